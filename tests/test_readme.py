"""The README's code must run and say what its comments claim."""

import re
from pathlib import Path

import pytest
from conftest import require_programs

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_the_two_commands_and_an_example():
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
    assert python_blocks(), "README.md should show a Python example"
    assert any("import viz" in b for b in python_blocks()), "README.md should show how to draw diagrams"


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_python_blocks_run(index, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples write their diagrams into the current folder
    block = python_blocks()[index]
    if "import viz" in block:
        require_programs(("dot", "neato"), "Graphviz", "apt-get install graphviz")
    namespace: dict = {}
    exec(compile(block, f"README.md block {index}", "exec"), namespace)
    if "E" in namespace and "w" in namespace:
        # The ten-line example prints h, dE/dw, dE/db and the local derivatives, then resets.
        first, second = capsys.readouterr().out.strip().splitlines()
        h, dw, db = map(float, first.split())
        assert dw == pytest.approx(-(1 - h) * h * (1 - h)) and db == dw  # x = 1, target 1
        assert second == "(1.0, 3.7, 1.0)"
        assert namespace["w"].grad == 0.0  # E.zero_grad() cleared the graph
    if "viz" in namespace:
        written = sorted(p.name for p in tmp_path.iterdir())
        assert written == [
            "and.svg", "backward", "delta", "delta.svg", "graph.svg", "graph_slide.svg", "iff.svg",
            "network.pdf", "w_DA.png",
        ]
        assert (tmp_path / "w_DA.png").read_bytes().startswith(b"\x89PNG")
        assert sorted(p.name for p in (tmp_path / "backward").iterdir()) == ["backward.html"]
        delta = sorted(p.name for p in (tmp_path / "delta").iterdir())
        assert len(delta) == 21 and delta[0] == "backward.html" and delta[-1] == "step_020.pdf"
        assert "E = ½(t − y)²" in (tmp_path / "graph_slide.svg").read_text()


DOCS = sorted((README.parent / "docs").glob("*.md"))
DOC_BLOCKS = [
    (doc, i, block)
    for doc in DOCS
    for i, block in enumerate(re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), re.S))
]


@pytest.mark.parametrize("doc, index, block", DOC_BLOCKS, ids=[f"{d.name}-{i}" for d, i, _ in DOC_BLOCKS])
def test_docs_python_blocks_run(doc, index, block):
    """Every example in docs/ runs (its asserts are its claims); PyTorch's need torch installed."""
    if "import torch" in block:
        pytest.importorskip("torch")
    exec(compile(block, f"{doc.name} block {index}", "exec"), {})


def test_docs_are_linked_from_the_readme():
    text = README.read_text(encoding="utf-8")
    assert all(f"docs/{doc.name}" in text for doc in DOCS)
