"""Every tutorial notebook runs top to bottom (its own asserts are the tests), and the committed
notebooks carry no outputs."""

import ast
import json
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "tutorials"
NOTEBOOKS = sorted(TUTORIALS.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-threshold-logic-units", "02-networks-of-tlus", "03-linear-models-and-xor", "04-non-linearities",
    "05-worked-example", "06-training-xor", "07-gradient-checking", "08-vectorised-tensors",
    "09-why-gpus",
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
    startup.mkdir(parents=True)
    (startup / "00-block.py").write_text(
        "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    )
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))


def test_the_nine_lecture_notebooks_are_there():
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


def test_the_extras_helper_stops_with_one_message(monkeypatch):
    import doctest

    monkeypatch.syspath_prepend(str(TUTORIALS))
    import extras

    assert doctest.testmod(extras).failed == 0
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
    that a student without them can run it (e.g. 01 without graphviz, 05 without matplotlib)."""
    from tutorials.build import execute

    _blocking(tmp_path, monkeypatch, *(m for m in EXTRAS if m not in needed_extras(path)))
    nb, error, seconds = execute(path, timeout=PER_NOTEBOOK_TIMEOUT, kernel_name=kernel_name)
    if error is not None:
        pytest.fail(f"{path.name} failed after {seconds:.1f} s:\n{str(error)[-4000:]}", pytrace=False)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code" and c.source.strip())


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
def test_build_writes_html_with_outputs_and_an_index(tmp_path, kernel_name, capsys):
    pytest.importorskip("nbconvert")
    from tutorials import build

    out = tmp_path / "site"
    assert build.main(["--html", str(out), "04"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "04-non-linearities.html", "04-non-linearities.ipynb", "index.html"]
    page = (out / "04-non-linearities.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in page                 # the activation plots, executed
    assert "largest |engine - y(1-y)|" in page             # a printed result
    assert "04-non-linearities.html" in (out / "index.html").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name != "site"], "no staging folder left behind"
    assert build.main(["--html", str(out), "no-such-notebook"]) == 2
