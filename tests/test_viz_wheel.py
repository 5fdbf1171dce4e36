"""The package files ship: the wheel, installed (not editable) in a fresh virtual environment, draws the demo.

The wheel is built from a copy of the sources (so no ``build/`` folder lands in the checkout) with
this environment's setuptools, and installed with ``--no-deps`` into a new environment whose only
other path is this environment's site-packages (a ``.pth`` file): the dependencies come from
there, but ``autograd_nn`` and ``viz`` only from the wheel, since a ``.pth`` file inside a folder
that a ``.pth`` line adds is never run, and so neither is the editable install's finder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What a wheel is built from (setup.cfg names its packages, README.md its long description).
SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "autograd_nn", "viz")
STATIC = ("viz/static/stepper.html", "viz/static/stepper.js", "viz/static/stepper.css")


def run(command, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of the checkout as it is now, built offline by this environment's setuptools."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        kwargs = {"ignore": shutil.ignore_patterns("__pycache__", "*.pyc")} if (ROOT / name).is_dir() else {}
        copy(ROOT / name, src / name, **kwargs)
    dist = tmp / "dist"
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist, src])
    (found,) = dist.glob("autograd_nn-*.whl")
    return found


def test_the_wheel_holds_the_packages_and_the_stepper_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("autograd_nn/__init__.py", "viz/__init__.py", "viz/__main__.py", "viz/_backend.py", *STATIC):
        assert rel in names, rel
    for rel in STATIC:
        assert zipfile.ZipFile(wheel).read(rel) == (ROOT / rel).read_bytes(), rel
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    metadata = metadata.decode("utf-8")
    assert "Requires-Dist: graphviz-pure>=" in metadata and 'extra == "viz"' in metadata


@pytest.mark.slow
def test_the_installed_wheel_draws_the_demo_outside_the_checkout(wheel, tmp_path, needs_graphviz_pure):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel])
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    site = Path(site)
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "dependencies.pth").write_text("".join(f"{p}\n" for p in ours))

    # Outside the checkout, with no PYTHONPATH: nothing but the wheel can provide the packages.
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # graphviz-pure lives beside this environment's python, not the fresh one's
    env["PATH"] = os.pathsep.join([env.get("PATH", ""), str(Path(needs_graphviz_pure).parent)])
    code = "import autograd_nn, viz; print(autograd_nn.__file__); print(viz.__file__)"
    where = run([python, "-c", code], cwd=work, env=env).stdout.splitlines()
    assert all(Path(p).is_relative_to(site) for p in where), where

    out = work / "figs"
    done = run([python, "-m", "viz", "xor", "--out", out], cwd=work, env=env)
    assert "Wrote " in done.stdout
    for rel in ("network.svg", "graph.svg", "paths/path_w_DA.svg", "paths/path_x1.svg"):
        assert (out / rel).read_bytes().startswith(b"<?xml"), rel
    page = (out / "backward" / "backward.html").read_text(encoding="utf-8")
    # the page is made from the package files the wheel shipped
    for rel in ("viz/static/stepper.js", "viz/static/stepper.css"):
        first = next(line for line in (ROOT / rel).read_text(encoding="utf-8").splitlines() if line.strip())
        assert first.strip() in page, rel
    assert "<svg" in page
