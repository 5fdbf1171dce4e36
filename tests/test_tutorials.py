"""Every tutorial notebook runs top to bottom (its own asserts are the tests), and the committed
notebooks carry no outputs."""

import ast
import json
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import NOTEBOOK_SECONDS

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "tutorials"
NOTEBOOKS = sorted(TUTORIALS.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-threshold-logic-units", "02-networks-of-tlus", "03-linear-models-and-xor", "04-non-linearities",
    "05-worked-example", "06-training-xor", "07-gradient-checking", "08-vectorised-tensors",
    "09-why-gpus", "10-second-derivatives",
]
PER_NOTEBOOK_TIMEOUT = 180  # seconds for one cell; each notebook runs in well under a minute
# The optional extras a notebook may need; its first cell lists the ones it does (``require(...)``).
EXTRAS = ("matplotlib", "graphviz")


def _code(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def needed_extras(path) -> tuple[str, ...]:
    """The extras a notebook's first code cell requires: the arguments of its ``require(...)``."""
    calls = [node for node in ast.walk(ast.parse(_code(path)[0]))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "require"]
    assert len(calls) == 1, f"{path.name}: the first code cell does not call require(...) once"
    return tuple(ast.literal_eval(arg) for arg in calls[0].args)


def _blocking(tmp_path, monkeypatch, *modules):
    """Make ``modules`` unimportable in kernels started from now on (an IPython startup file)."""
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-block.py").write_text(
        "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    )
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))


DRAWN_GRADIENTS = Path(__file__).resolve().parent / "drawn_gradients.py"


def _checking_drawn_gradients(tmp_path, monkeypatch):
    """In kernels started from now on, every diagram must draw the gradients of a fresh backward
    (``tests/drawn_gradients.py``, loaded by path from an IPython startup file beside ``_blocking``'s)."""
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "01-drawn-gradients.py").write_text(
        "def _install(path):\n"
        "    import importlib.util, sys\n"
        "    spec = importlib.util.spec_from_file_location('drawn_gradients', path)\n"
        "    module = sys.modules['drawn_gradients'] = importlib.util.module_from_spec(spec)\n"
        "    spec.loader.exec_module(module)\n"
        "    module.install()\n"
        f"_install({str(DRAWN_GRADIENTS)!r})\n"
        "del _install\n"
    )
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))


def test_the_tutorial_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {i} has outputs: clear them before committing"
            assert cell["execution_count"] is None, f"{path.name} cell {i} has an execution count"
    first = nb["cells"][0] if nb["cells"][0]["cell_type"] == "code" else nb["cells"][1]
    assert "".join(first["source"]).startswith("from extras import require\n"), \
        "the first code cell checks the extras"


def test_every_notebook_is_generated_from_its_plain_source():
    pytest.importorskip("jupytext")
    from tutorials import sync

    assert [p.stem for p in sync.sources()] == EXPECTED
    assert sync.disagreements() == []


def test_a_pair_that_disagrees_is_reported(tmp_path, monkeypatch):
    """Edit a source without regenerating, delete a notebook, leave a notebook without a source:
    the check names each, and ``sync`` puts the first two right."""
    pytest.importorskip("jupytext")
    from tutorials import sync

    for name in ("01-threshold-logic-units", "02-networks-of-tlus"):
        for suffix in (".py", ".ipynb"):
            (tmp_path / f"{name}{suffix}").write_bytes((TUTORIALS / f"{name}{suffix}").read_bytes())
    monkeypatch.setattr(sync, "HERE", tmp_path)
    assert sync.disagreements() == []
    source = tmp_path / "01-threshold-logic-units.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# %%\nprint('a new cell')\n", encoding="utf-8")
    (tmp_path / "02-networks-of-tlus.ipynb").unlink()
    (tmp_path / "99-orphan.ipynb").write_text("{}", encoding="utf-8")
    assert sync.main(["--check"]) == 1
    assert sync.disagreements() == [
        "01-threshold-logic-units.ipynb differs from 01-threshold-logic-units.py: "
        "run python -m tutorials.sync",
        "02-networks-of-tlus.ipynb is missing: run python -m tutorials.sync",
        "99-orphan.ipynb has no plain source 99-orphan.py",
    ]
    before = json.loads((TUTORIALS / "01-threshold-logic-units.ipynb").read_text(encoding="utf-8"))
    assert sync.main([]) == 0
    after = json.loads((tmp_path / "01-threshold-logic-units.ipynb").read_text(encoding="utf-8"))
    # The new cell is appended; every other cell keeps its id.
    assert [c["id"] for c in after["cells"][:-1]] == [c["id"] for c in before["cells"]]
    assert "".join(after["cells"][-1]["source"]) == "print('a new cell')"
    assert sync.disagreements() == ["99-orphan.ipynb has no plain source 99-orphan.py"]


@pytest.mark.parametrize("module", ["extras", "sync", "build", "pages", "svg_text"])
def test_the_tutorial_tools_doctests(module, monkeypatch):
    """The doctests of the tutorials' own modules (pytest collects tests/, autograd_nn/ and viz/,
    not tutorials/, whose NN-name.py sources would run as notebooks on import)."""
    pytest.importorskip("jupytext")
    pytest.importorskip("nbconvert")
    import doctest
    import importlib

    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.syspath_prepend(str(TUTORIALS))
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))  # build's doctest sets it
    result = doctest.testmod(importlib.import_module(module if module == "extras" else f"tutorials.{module}"))
    assert result.attempted > 0 and result.failed == 0


def test_the_extras_helper_stops_with_one_message(monkeypatch):
    monkeypatch.syspath_prepend(str(TUTORIALS))
    import extras

    monkeypatch.setitem(sys.modules, "graphviz", None)        # as the notebook tests block an extra
    with pytest.raises(extras.MissingExtraError) as caught:
        extras.require("math", "graphviz")
    assert str(caught.value) == ('This notebook needs graphviz. Install the tutorials extra:  '
                                 'pip install "autograd_nn[tutorials]"')


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory):
    """A kernel running this Python, set up once; JUPYTER_PATH and sys.path are restored after."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(ROOT))
        mp.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
        mp.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
        from tutorials.build import checkout_on_path, kernel_for_this_python

        checkout_on_path()
        yield kernel_for_this_python(tmp_path_factory.mktemp("kernelspec"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_first_cell_checks_exactly_the_extras_the_notebook_uses(path):
    later = "\n".join(_code(path)[1:])
    uses = {
        "matplotlib": bool(re.search(r"\bmatplotlib\b|\bviz\.plots\b", later)),
        # viz's diagrams (viz.draw_*, viz.graph, viz.paths, ...) are graphviz Digraphs; viz.plots is not.
        "graphviz": bool(re.search(r"\bgraphviz\b|^import viz$|\bviz\.(?!plots\b)\w+", later, re.MULTILINE)),
    }
    assert set(needed_extras(path)) == {m for m, used in uses.items() if used}


@pytest.mark.timeout(PER_NOTEBOOK_TIMEOUT * 3)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, kernel_name, tmp_path, monkeypatch):
    """Each notebook runs with the extras it does not ask for made unimportable, which proves
    that a student without them can run it (e.g. 04 without graphviz, 05 without matplotlib).
    Every diagram it draws is drawn after a fresh backward (``_checking_drawn_gradients``), and
    every image it shows has its alt text."""
    from tutorials.build import execute
    from tutorials.pages import label_images

    _blocking(tmp_path, monkeypatch, *(m for m in EXTRAS if m not in needed_extras(path)))
    _checking_drawn_gradients(tmp_path, monkeypatch)
    nb, error, seconds = execute(path, timeout=PER_NOTEBOOK_TIMEOUT, kernel_name=kernel_name)
    if error is not None:
        pytest.fail(f"{path.name} failed after {seconds:.1f} s:\n{str(error)[-4000:]}", pytrace=False)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code" and c.source.strip())
    assert label_images(nb, path.name) == []
    NOTEBOOK_SECONDS[path.stem] = seconds


# One unit trained a step (its gradients left on the weights, as after ``fit``), then the error on
# (0, 1) drawn: the weight from x1 = 0 must show gradient 0, as notebook 06's last diagram once did not.
_A_TRAINED_UNIT = """\
import viz
from autograd_nn import losses
from autograd_nn.nn import MLP

model = MLP(2, [1], activation="sigmoid", seed=0)
losses.l2(model([1.0, 1.0]), [1.0]).backward()      # the last training step's gradients stay
"""
_DRAW_ERROR_ON_0_1 = """\
E = losses.l2(model([0.0, 1.0]), [1.0])
{zero}E.backward()
viz.draw_graph(E, model=model)
"""


def _run_cells(tmp_path, monkeypatch, kernel_name, *cells):
    import nbformat

    from tutorials.build import execute

    path = tmp_path / "drawn.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
    _checking_drawn_gradients(tmp_path, monkeypatch)
    return execute(path, PER_NOTEBOOK_TIMEOUT, kernel_name)


@pytest.mark.timeout(PER_NOTEBOOK_TIMEOUT)
def test_a_diagram_of_accumulated_gradients_fails_its_notebook(tmp_path, monkeypatch, kernel_name):
    """Backward on top of the last step's gradients, then draw: the old notebook 06 bug is caught."""
    _, error, _ = _run_cells(tmp_path, monkeypatch, kernel_name, _A_TRAINED_UNIT,
                             _DRAW_ERROR_ON_0_1.format(zero=""))
    assert error is not None and getattr(error, "ename", None) == "StaleGradientError"
    assert "the diagram 'computation_graph' draws gradients that a fresh backward() of its root 'E'" \
        in error.evalue
    assert "'L0.N0.w0': drawn grad -0.1478, a fresh backward gives 0.0000" in error.evalue


@pytest.mark.timeout(PER_NOTEBOOK_TIMEOUT)
def test_diagrams_of_fresh_gradients_pass_and_the_check_changes_no_gradient(tmp_path, monkeypatch,
                                                                             kernel_name):
    checks = """\
E.backward()                               # accumulated: draw_graph would be stale, the stepper replays
accumulated = [p.grad for p in model.parameters()]
steps = viz.backward_steps(E, model=model)
assert len(steps.frames) == len(steps)                           # every frame checked, none stale
assert [p.grad for p in model.parameters()] == accumulated      # the check put every gradient back
model.zero_grad()
viz.draw_graph(losses.l2(model([1.0, 0.0]), [1.0]), model=model)  # before any backward: every grad 0
"""
    nb, error, seconds = _run_cells(tmp_path, monkeypatch, kernel_name, _A_TRAINED_UNIT,
                                    _DRAW_ERROR_ON_0_1.format(zero="model.zero_grad()\n"), checks)
    if error is not None:
        pytest.fail(f"failed after {seconds:.1f} s:\n{str(error)[-3000:]}", pytrace=False)
    assert [o["output_type"] for o in nb.cells[1].outputs] == ["execute_result"]     # the diagram


def test_kernelspec_for_another_python_is_replaced(tmp_path, monkeypatch):
    """On a machine whose ``python3`` kernelspec starts another Python, ours is used instead."""
    pytest.importorskip("jupyter_client")
    monkeypatch.syspath_prepend(str(ROOT))
    from tutorials import build

    other = tmp_path / "other" / "kernels" / "python3"
    other.mkdir(parents=True)
    (other / "kernel.json").write_text(json.dumps(
        {"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
         "display_name": "elsewhere", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "other"))
    name = build.kernel_for_this_python(tmp_path / "ours")
    assert name == build.KERNEL_NAME
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    assert spec.argv[0] == sys.executable


STOPS = [(p, m) for p in NOTEBOOKS for m in needed_extras(p)
         if m == "graphviz" or p.name.startswith("01")]     # every graphviz notebook, one matplotlib


@pytest.mark.timeout(PER_NOTEBOOK_TIMEOUT * 2)
@pytest.mark.parametrize("path, extra", STOPS, ids=[f"{p.stem[:2]}-without-{m}" for p, m in STOPS])
def test_missing_extra_stops_in_the_first_cell_with_just_the_message(path, extra, tmp_path, monkeypatch,
                                                                      kernel_name):
    from tutorials.build import execute

    _blocking(tmp_path, monkeypatch, extra)
    nb, error, _ = execute(path, PER_NOTEBOOK_TIMEOUT, kernel_name)
    message = (f"This notebook needs {extra}. Install the tutorials extra:  "
               'pip install "autograd_nn[tutorials]"')
    assert error is not None and getattr(error, "ename", None) == "MissingExtraError"
    assert error.evalue == message
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert not any(c.get("outputs") for c in code_cells[1:]), "later cells must not have run"
    # The student sees the message alone: no traceback, no IPython "To exit: use 'exit'" warning.
    (output,) = code_cells[0].outputs
    assert output.output_type == "error" and output.traceback == [message]


@pytest.mark.timeout(PER_NOTEBOOK_TIMEOUT * 2)
def test_vectorised_notebook_without_sklearn_trains_on_two_moons(tmp_path, monkeypatch, kernel_name):
    from tutorials.build import execute

    _blocking(tmp_path, monkeypatch, "sklearn")
    nb, error, seconds = execute(TUTORIALS / "08-vectorised-tensors.ipynb", PER_NOTEBOOK_TIMEOUT, kernel_name)
    if error is not None:
        pytest.fail(f"08 without scikit-learn failed after {seconds:.1f} s:\n{str(error)[-3000:]}",
                    pytrace=False)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "sklearn is not installed" in text and 'pip install "autograd_nn[tutorials]"' in text
    assert "two moons:" in text


@pytest.mark.timeout(PER_NOTEBOOK_TIMEOUT * 2)
def test_worked_example_without_torch_skips_only_the_pytorch_section(tmp_path, monkeypatch, kernel_name):
    """torch is no extra of the tutorials: without it nb05 says how to get it and goes on."""
    from tutorials.build import execute

    path = TUTORIALS / "05-worked-example.ipynb"
    _blocking(tmp_path, monkeypatch, "torch", *(m for m in EXTRAS if m not in needed_extras(path)))
    nb, error, seconds = execute(path, PER_NOTEBOOK_TIMEOUT, kernel_name)
    if error is not None:
        pytest.fail(f"05 without torch failed after {seconds:.1f} s:\n{str(error)[-3000:]}", pytrace=False)
    code = [c for c in nb.cells if c.cell_type == "code"]
    texts = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in code]
    (skipped,) = [i for i, text in enumerate(texts) if "PyTorch is not installed" in text]
    assert texts[skipped] == ("PyTorch is not installed, so this section is skipped. "
                              "To run it:  pip install torch\n")
    assert not any("engine's gradients" in text for text in texts)         # the section itself did not run
    assert all(c.get("execution_count") for c in code)
    # The cells after it ran, to the last: the stepper's captions, the gradient paths and their diagrams.
    assert any("step 5/20: δ_G" in text for text in texts[skipped + 1:])
    assert "two paths to x1" in texts[-1] and "image/svg+xml" in code[-1].outputs[-1]["data"]
