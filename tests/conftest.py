"""Shared test helpers: tests that need an outside program skip without it, except in CI.

CI (``CI=true``) installs Graphviz and Chromium (see ``.ci/run``), so there a missing program
is a broken setup and fails the test instead of hiding behind a skip.
"""

import os
import shutil

import pytest


def require_programs(programs, what: str, install: str) -> None:
    """Skip the calling test when a program is missing; fail it instead when CI=true."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        message = f"{what}'s {', '.join(missing)} not installed ({install})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, but CI=true: CI must install {what}")
        pytest.skip(message)


@pytest.fixture
def needs_dot():
    """Graphviz's dot and neato (the diagrams are laid out by dot, drawn pinned by neato)."""
    require_programs(("dot", "neato"), "Graphviz", "apt-get install graphviz")


@pytest.fixture
def needs_chromium():
    """Headless Chromium, to run the backward stepper's page in a real browser."""
    if not any(shutil.which(p) for p in ("chromium", "chromium-browser", "google-chrome")):
        require_programs(("chromium",), "Chromium", "apt-get install chromium")


@pytest.fixture
def no_graphviz(tmp_path, monkeypatch):
    """No Graphviz program at all: neither on the PATH nor graphviz-pure beside this Python."""
    import viz._backend

    monkeypatch.setenv("PATH", str(tmp_path / "no-graphviz"))
    monkeypatch.setattr(viz._backend, "_script_dirs", lambda: [])


@pytest.fixture
def needs_graphviz_pure():
    """The path of graphviz-pure's command (installed with the viz extra; skip, or fail in CI, without)."""
    from viz._backend import find_pure

    path = find_pure()
    if path is None:
        message = 'graphviz-pure not installed (pip install "autograd_nn[viz]")'
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, but CI=true: CI must install the viz extra")
        pytest.skip(message)
    return path


# Each tutorial notebook's run time, filled by test_tutorials.py: all of them together must run in
# under 60 s on 2 cores, a budget reported at the end of the run rather than a timed test.
NOTEBOOK_SECONDS: dict[str, float] = {}


def pytest_terminal_summary(terminalreporter):
    if NOTEBOOK_SECONDS:
        total = sum(NOTEBOOK_SECONDS.values())
        slowest = sorted(NOTEBOOK_SECONDS.items(), key=lambda item: -item[1])[:3]
        terminalreporter.write_line(
            f"{len(NOTEBOOK_SECONDS)} tutorial notebooks ran in {total:.1f} s together "
            f"(slowest: {', '.join(f'{name} {s:.1f} s' for name, s in slowest)})"
        )
