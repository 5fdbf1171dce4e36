"""Every public name of autograd_nn and viz has a docstring, and module-level ones show an example.

A public module is one with no name component starting with "_" (so ``viz._util`` and
``viz.__main__`` are not).  Its public names are its ``__all__`` when it declares one, else the
functions and classes it defines without a leading underscore (names it merely imports are
implementation details, PEP 8).  Every public function and class needs a docstring with a
``>>>`` example; every public method and property of those classes needs a docstring.  The
examples themselves run under ``pytest --doctest-modules``; this test makes sure they exist.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import autograd_nn
import viz

PROJECT = ("autograd_nn", "viz")

def _public_modules() -> list:
    modules = []
    for pkg in (autograd_nn, viz):
        modules.append(pkg)
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                modules.append(importlib.import_module(info.name))
    return modules


def _public_names(module) -> list[str]:
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and obj.__module__ == module.__name__
    ]


def _public_objects() -> dict[str, object]:
    """``{"module.qualname": obj}`` of every public function and class of the project, once each."""
    found: dict[str, object] = {}
    for module in _public_modules():
        for name in _public_names(module):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # constants and submodules
            if (obj.__module__ or "").split(".")[0] not in PROJECT:
                continue  # a third-party object re-exported
            # Named where it is defined, so a re-export (autograd_nn.Value) is checked once.
            found.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


def _members(cls):
    """The public methods and properties ``cls`` defines itself (inherited ones are checked where defined)."""
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, property):
            yield name, attr.fget
        elif isinstance(attr, (staticmethod, classmethod)):
            yield name, attr.__func__
        elif inspect.isfunction(attr):
            yield name, attr


def _audit() -> tuple[list[str], list[str]]:
    """(names without a docstring, functions and classes whose docstring has no ``>>>`` example)."""
    missing, no_example = [], []
    for where, obj in _public_objects().items():
        doc = inspect.getdoc(obj)
        if not doc:
            missing.append(where)
        elif ">>>" not in doc:
            no_example.append(where)
        if inspect.isclass(obj):
            # getdoc lets an override without a docstring of its own inherit its base's text.
            missing += [f"{where}.{name}" for name, func in _members(obj) if not inspect.getdoc(func)]
    return missing, no_example


def test_the_audit_sees_the_public_api_and_nothing_private():
    checked = _public_objects()
    for name in (
        "autograd_nn.value.Value",
        f"{autograd_nn.Tensor.__module__}.Tensor",  # where the tensor package defines it
        "autograd_nn.nn.scalar.MLP",
        "autograd_nn.lecture.worked_example",
        "viz.graph.draw_graph",
        "viz.naming.graph_naming",
        "viz.rendering.render",
        "viz.plots.plot_loss_curve",
    ):
        assert name in checked, f"{name} is not audited"
    private = [name for name in checked if any(part.startswith("_") for part in name.split("."))]
    assert not private, f"private names audited as public: {private}"
    # a helper of a private module, imported into a public one, is not public there
    assert "viz._scene.build_scene" not in checked


def test_every_public_name_has_a_docstring():
    missing, _ = _audit()
    assert not missing, f"{len(missing)} public name(s) without a docstring:\n  " + "\n  ".join(missing)


def test_every_public_function_and_class_shows_an_example():
    _, no_example = _audit()
    assert not no_example, (
        f"{len(no_example)} public function(s)/class(es) whose docstring has no `>>>` example:\n  "
        + "\n  ".join(no_example)
    )


def test_the_command_line_examples_run(needs_dot):
    """pytest's --doctest-modules skips __main__.py files, so the CLI's examples are run here."""
    cli = importlib.import_module("viz.__main__")
    result = doctest.testmod(cli, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4
    assert result.failed == 0, "an example in viz/__main__.py failed (doctest's report is above)"
