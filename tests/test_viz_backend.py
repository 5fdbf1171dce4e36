"""viz on any machine: the system Graphviz when installed, else graphviz-pure; clear errors; hostile labels.

``viz._backend`` picks the program (system ``dot``/``neato`` on the PATH, else the ``graphviz-pure``
command of the ``viz`` extra, found on the PATH or beside this Python) and is the one place a
Graphviz program runs.  These tests hide the system Graphviz with a PATH that holds only a
symlink to graphviz-pure, and hide every Graphviz with the ``no_graphviz`` fixture.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from svg_geometry import node_centres

import viz
from autograd_nn import Value
from autograd_nn.lecture import XOR_NAMES, worked_example
from viz import _backend
from viz._backend import Diagram, Program, check_graphviz, run_graphviz
from viz._util import esc, printable

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX shell scripts and symlinks")


@pytest.fixture
def pure_only(tmp_path, monkeypatch, needs_graphviz_pure):
    """A PATH with graphviz-pure on it and no system Graphviz; returns the symlink's path."""
    folder = tmp_path / "pure-bin"
    folder.mkdir()
    link = folder / "graphviz-pure"
    link.symlink_to(needs_graphviz_pure)
    monkeypatch.setenv("PATH", str(folder))
    return link


def fake_dot(tmp_path, monkeypatch, script: str) -> None:
    """A PATH whose only ``dot`` is a shell script: a Graphviz that fails in a chosen way."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    dot = folder / "dot"
    dot.write_text(script)
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))


def lecture_graph():
    ex = worked_example()
    return viz.draw_graph(ex.error, model=ex.model, names=ex.names)


def svg_texts(svg: bytes) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def ids_of(svg: bytes, cls: str) -> list[str]:
    return sorted(g.get("id") for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == cls)


# -- which program ---------------------------------------------------------------------------------


def test_the_system_graphviz_wins_when_it_is_on_the_path(needs_dot):
    for engine in ("dot", "neato"):
        program = check_graphviz(engine, "pdf")
        assert program == Program((shutil.which(engine),), pure=False)
        assert program.name == engine
    assert b"graphviz-pure" not in run_graphviz("digraph { a -> b }", "svg")


@posix_only
def test_graphviz_pure_draws_when_no_system_graphviz_is_on_the_path(pure_only):
    program = check_graphviz("neato", "png")
    assert program == Program((str(pure_only), "-Kneato"), pure=True)
    assert program.name == "graphviz-pure -Kneato"
    assert b"(graphviz-pure)" in run_graphviz("digraph { a -> b }", "svg")


def test_graphviz_pure_is_found_beside_this_python_off_the_path(tmp_path, monkeypatch, needs_graphviz_pure):
    # a virtual environment's python run by its full path has no bin folder on the PATH
    beside = {Path(d) for d in _backend._script_dirs()}
    if Path(needs_graphviz_pure).parent not in beside:
        pytest.skip("graphviz-pure is installed elsewhere than this Python's environment")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    program = check_graphviz("dot")
    assert program.pure and Path(program.argv[0]).parent in beside
    assert run_graphviz("digraph { a -> b }", "json0").startswith(b"{")


def test_no_graphviz_at_all_names_what_was_looked_for_and_how_to_install(no_graphviz, tmp_path):
    with pytest.raises(viz.GraphvizNotFoundError) as err:
        check_graphviz("neato")
    message = str(err.value)
    for needed in ("neato", "graphviz-pure", "pip install graphviz-pure", "autograd_nn[viz]"):
        assert needed in message, needed
    for needed in ("apt-get install graphviz", "brew install graphviz", "conda install graphviz"):
        assert needed in message, needed
    with pytest.raises(viz.GraphvizNotFoundError, match="graphviz-pure"):
        viz.render(lecture_graph(), tmp_path / "g.svg")
    # inline in a notebook: what to install, as text, instead of a traceback
    assert list(Diagram()._repr_mimebundle_()) == ["text/plain"]
    assert not (tmp_path / "g.svg").exists()


@posix_only
def test_pdf_without_the_system_graphviz_says_so_and_how_to_install_it(pure_only, tmp_path):
    dot = viz.draw_network(worked_example().model, names=XOR_NAMES)
    with pytest.raises(viz.GraphvizNotFoundError) as err:
        viz.render(dot, tmp_path / "n.pdf")
    message = str(err.value)
    assert message.startswith("PDF output needs the system Graphviz")
    assert "graphviz-pure" in message
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert os.listdir(tmp_path) == ["pure-bin"]
    # SVG and PNG work with graphviz-pure alone
    assert viz.render(dot, tmp_path / "n.svg").read_bytes().startswith(b"<?xml")
    assert viz.render(dot, tmp_path / "n.png", dpi=50).read_bytes().startswith(b"\x89PNG")


# -- failures ----------------------------------------------------------------------------------------


def programs() -> list:
    """Each Graphviz program found here: the system's dot and graphviz-pure."""
    found = [Program((shutil.which("dot"),), pure=False)] if shutil.which("dot") else []
    if _backend.find_pure():
        found.append(Program((_backend.find_pure(), "-Kdot"), pure=True))
    return found


@pytest.mark.parametrize("program", programs(), ids=lambda p: p.name)
def test_a_failing_graphviz_raises_graphviz_error_with_its_message(program):
    with pytest.raises(viz.GraphvizError) as err:
        run_graphviz("digraph { a -> }", "svg", program=program)
    assert isinstance(err.value, RuntimeError) and not isinstance(err.value, subprocess.CalledProcessError)
    assert "syntax error" in err.value.stderr and err.value.stderr in str(err.value)
    assert str(err.value).startswith(f"{program.name} failed to draw the diagram (svg, exit status ")
    with pytest.raises(viz.GraphvizError, match="nope"):
        run_graphviz("digraph { a -> b }", "nope", program=program)


@posix_only
def test_a_failing_program_is_a_graphviz_error_and_writes_nothing(tmp_path, monkeypatch):
    fake_dot(tmp_path, monkeypatch, "#!/bin/sh\necho 'Error: out of cheese' >&2\nexit 3\n")
    with pytest.raises(viz.GraphvizError, match=r"dot failed .*exit status 3\): Error: out of cheese") as err:
        viz.render(Diagram(), tmp_path / "g.svg")
    assert err.value.stderr == "Error: out of cheese"
    assert not (tmp_path / "g.svg").exists()


@posix_only
def test_a_graphviz_that_hangs_is_stopped_by_the_timeout(tmp_path, monkeypatch):
    fake_dot(tmp_path, monkeypatch, f"#!/bin/sh\nexec {shutil.which('sleep')} 30\n")
    start = time.monotonic()
    with pytest.raises(viz.GraphvizError) as err:
        run_graphviz("digraph { a }", "svg", timeout=0.3)
    assert str(err.value) == "dot did not finish drawing the diagram (svg) within 0.3 s"
    assert time.monotonic() - start < 10


@posix_only
def test_a_program_that_cannot_start_is_not_found(tmp_path, monkeypatch):
    fake_dot(tmp_path, monkeypatch, "#!/no/such/interpreter\n")
    with pytest.raises(viz.GraphvizNotFoundError, match="dot could not be run"):
        run_graphviz("digraph { a }", "svg")


# -- graphviz-pure draws our diagrams as the system Graphviz does ------------------------------------


def test_graphviz_pure_draws_the_pinned_xor_graph_where_neato_does(needs_dot, needs_graphviz_pure):
    dot = lecture_graph()
    assert isinstance(dot, Diagram) and dot.pinned and dot.engine == "neato"
    system = run_graphviz(dot.source, "svg", "neato", no_op=2)
    program = Program((needs_graphviz_pure, "-Kneato"), pure=True)
    pure = run_graphviz(dot.source, "svg", no_op=2, program=program)
    assert b"(graphviz-pure)" in pure and b"(graphviz-pure)" not in system
    a, b = node_centres(system), node_centres(pure)
    assert len(a) >= 29 and a.keys() == b.keys()  # every value, op and edge-label node
    for node, (x, y) in a.items():
        assert abs(x - b[node][0]) <= 0.5 and abs(y - b[node][1]) <= 0.5, node
    assert ids_of(pure, "cluster") == ids_of(system, "cluster") == ["cluster_D", "cluster_E", "cluster_G"]
    assert ids_of(pure, "edge") == ids_of(system, "edge")
    assert sorted(svg_texts(pure)) == sorted(svg_texts(system))


@posix_only
def test_graphviz_pure_alone_lays_out_and_draws_every_view(pure_only, tmp_path):
    ex = worked_example()
    views = {
        "graph": viz.draw_graph(ex.error, model=ex.model, names=ex.names),
        "collapsed": viz.draw_graph(ex.error, model=ex.model, names=ex.names, collapse=True),
        "paths": viz.draw_gradient_paths(ex.error, ex.inputs[0], model=ex.model, names=ex.names),
        "network": viz.draw_network(ex.model, names=ex.names),
        "step 1": viz.backward_steps(ex.error, model=ex.model, names=ex.names).frames[0],
    }
    for name, dot in views.items():
        # laid out by graphviz-pure -Tjson0 and pinned, then drawn by graphviz-pure -Kneato -n2
        assert isinstance(dot, Diagram) and dot.pinned and 'pos="' in dot.source, name
        svg = dot.pipe(format="svg")
        assert b"(graphviz-pure)" in svg, name
        assert len(node_centres(svg)) >= 5, name
    graph = views["graph"].pipe(format="svg")
    assert ids_of(graph, "cluster") == ["cluster_D", "cluster_E", "cluster_G"]
    assert "w_DA" in svg_texts(graph) and "data 3.7000" in svg_texts(graph)
    png = viz.render(views["network"], tmp_path / "n.png", dpi=72).read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    svg_size = re.search(rb'<svg width="(\d+)pt" height="(\d+)pt"', views["network"].pipe(format="svg"))
    # at 72 dpi a pixel is a point
    assert abs(width - int(svg_size[1])) <= 2 and abs(height - int(svg_size[2])) <= 2


@posix_only
def test_diagram_displays_inline_and_renders_through_the_backend(pure_only, tmp_path):
    dot = lecture_graph()
    bundle = dot._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and "(graphviz-pure)" in bundle["image/svg+xml"]
    copy = dot.copy()
    assert isinstance(copy, Diagram) and copy.pinned and copy.source == dot.source
    path = dot.render(directory=tmp_path, format="svg")
    assert Path(path) == tmp_path / "computation_graph.gv.svg"
    assert sorted(os.listdir(tmp_path)) == ["computation_graph.gv", "computation_graph.gv.svg", "pure-bin"]
    out = dot.render(outfile=tmp_path / "out" / "g.png", cleanup=True)
    assert Path(out).read_bytes().startswith(b"\x89PNG") and sorted(os.listdir(tmp_path / "out")) == ["g.png"]


def test_without_any_graphviz_a_notebook_shows_what_to_install(no_graphviz):
    bundle = lecture_graph()._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    text = bundle["text/plain"]
    assert text.startswith("(the diagram is not drawn:") and "graphviz-pure" in text


# -- hostile labels -----------------------------------------------------------------------------------

#: Every C0 and C1 control character, DEL, lone surrogates, and the characters DOT and HTML quote.
HOSTILE = [
    "".join(map(chr, range(0x00, 0x20))),
    "".join(map(chr, range(0x7F, 0xA0))),
    "lone \ud800 and \udfff",
    'quote " back\\slash <b>&amp;</b> ] > \n new line',
]


def hostile_value_graph():
    leaves = [Value(float(k + 1), label=text) for k, text in enumerate(HOSTILE)]
    y = Value.sum(leaves) * leaves[0]
    y.label = "y\x1b[31m\ud83d"
    y.backward()
    return y, leaves


def hostile_names() -> dict[str, str]:
    return {key: f"{name} {HOSTILE[k % len(HOSTILE)]}" for k, (key, name) in enumerate(XOR_NAMES.items())}


def hostile_diagrams() -> dict:
    """Every way a user's string reaches a diagram: labels, ``names=``, ``input_names=``, captions."""
    y, leaves = hostile_value_graph()
    ex = worked_example()
    names = hostile_names()
    steps = viz.backward_steps(ex.error, model=ex.model, names=names)
    units = [names[f"layers.{i}.neurons.{j}"] for i, j in ((0, 0), (0, 1), (1, 0))]
    return {
        "labels": (viz.draw_graph(y), [y.label, *HOSTILE]),
        "names": (viz.draw_graph(ex.error, model=ex.model, names=names), list(names.values())),
        "collapsed": (viz.draw_graph(ex.error, model=ex.model, names=names, collapse=True), units),
        "paths": (viz.draw_gradient_paths(y, leaves[2]), HOSTILE),
        "network": (viz.draw_network(ex.model, names=names, input_names=HOSTILE[:2]), [*HOSTILE[:2], *units]),
        "step": (steps.frames[len(steps.frames) // 2], []),
    }


def test_printable_shows_what_no_label_can_hold_as_python_writes_it():
    assert printable(HOSTILE[0]) == "".join(repr(chr(c))[1:-1] for c in range(0x20))
    assert printable("\x7f\x85\x9f") == "\\x7f\\x85\\x9f"
    assert printable("lone \ud800 \udfff \ufffe ok: ∂Σ é") == "lone \\ud800 \\udfff \\ufffe ok: ∂Σ é"
    for text in HOSTILE:
        shown = printable(text)
        shown.encode("utf-8")  # no lone surrogate left
        assert not re.search("[\x00-\x1f\x7f-\x9f]", shown)
    assert esc("<a> & \x01") == "&lt;a&gt; &amp; \\x01"


def test_hostile_labels_make_a_dot_export_that_parses_and_render_everywhere(needs_dot, tmp_path):
    pure = _backend.find_pure()
    for name, (dot, shown) in hostile_diagrams().items():
        written = viz.render(dot, tmp_path / f"{name}.dot")
        text = written.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]", text), name
        for program in [["dot"], *([[pure, "-Kdot"]] if pure else [])]:
            run = subprocess.run([*program, "-Tsvg", str(written)], capture_output=True)
            assert run.returncode == 0, (name, program, run.stderr)
        svg = viz.render(dot, tmp_path / f"{name}.svg").read_bytes()
        words = set(svg_texts(svg))
        for label in shown:
            assert any(printable(label) in w for w in words), (name, printable(label))
        assert viz.render(dot, tmp_path / f"{name}.png", dpi=30).read_bytes().startswith(b"\x89PNG")


@posix_only
def test_hostile_labels_render_with_graphviz_pure_alone(pure_only, tmp_path):
    for name, (dot, shown) in hostile_diagrams().items():
        svg = dot.pipe(format="svg")
        assert b"(graphviz-pure)" in svg, name
        words = set(svg_texts(svg))
        for label in shown:
            assert any(printable(label) in w for w in words), (name, printable(label))


def test_a_hostile_stepper_title_and_captions_make_a_valid_page(needs_dot, tmp_path):
    ex = worked_example()
    steps = viz.backward_steps(ex.error, model=ex.model, names=hostile_names())
    title = f"Backward {HOSTILE[0]} {HOSTILE[2]} </title><script>"
    page = steps.html(title=title)
    page.encode("utf-8")  # no lone surrogate
    assert esc(title) in page and "</title><script>" not in page
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page)


# -- the whole demo without a system Graphviz ----------------------------------------------------------


@pytest.mark.slow
@posix_only
def test_demo_renders_every_file_with_graphviz_pure_and_no_system_graphviz(pure_only, tmp_path):
    env = {**os.environ, "PATH": str(pure_only.parent)}
    out = tmp_path / "figs"
    command = [sys.executable, "-m", "viz", "xor", "--out", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    assert run.returncode == 0, run.stderr
    count = int(re.search(r"Wrote (\d+) files into", run.stdout)[1])
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(written) == count
    ex = worked_example()
    names = [*ex.weights, "x1", "x2"]
    wanted = ["network.svg", "trained_network.svg", "graph.svg", *(f"paths/path_{n}.svg" for n in names)]
    for rel in wanted:
        svg = (out / rel).read_bytes()
        assert b"(graphviz-pure)" in svg and len(node_centres(svg)) >= 4, rel
    assert (out / "backward" / "backward.html").stat().st_size > 0
    assert any(p.name.startswith("step_") for p in (out / "backward").iterdir())
    # PDF needs the system Graphviz: said before anything is written
    run = subprocess.run(
        [sys.executable, "-m", "viz", "xor", "--out", str(tmp_path / "pdf"), "--format", "pdf"],
        capture_output=True, text=True, cwd=ROOT, env=env,
    )
    assert run.returncode == 1
    assert "PDF output needs the system Graphviz" in run.stderr and "apt-get install graphviz" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "pdf").exists()
