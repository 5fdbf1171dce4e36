"""Files: ``Module.save``/``load`` and ``viz.render`` through ``_files.write_atomic``.

Permissions (never wider than ``open()`` would give), symlinks, paths that cannot be written,
and load errors that say what the file really is, each naming the path the user gave.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile

import numpy as np
import pytest

import viz
from autograd_nn import Value
from autograd_nn._files import write_atomic
from autograd_nn.nn import MLP, Linear, Module, Sequential

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits and symlinks")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _values(model) -> list:
    return [np.array(p.data, copy=True) for p in model.parameters()]


def _same(a: list, b: list) -> bool:
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b, strict=True))


class _Umask:
    """Run a block under another umask (tests are single-threaded, so the global is safe here)."""

    def __init__(self, mask: int) -> None:
        self.mask = mask

    def __enter__(self):
        self.old = os.umask(self.mask)

    def __exit__(self, *exc):
        os.umask(self.old)


def _writers(tmp_path):
    """Each public writer of a file: Module.save and viz.render (a .dot file needs no Graphviz)."""
    model = MLP(2, [2, 1], seed=0)
    return {
        "save": lambda p: model.save(p),
        "render": lambda p: viz.render(viz.draw_graph(Value(2.0) * 3), p),
    }


WRITERS = ["save", "render"]


# -- permissions ----------------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("existing_mode", [0o600, 0o640, 0o444, 0o755], ids=oct)
def test_overwriting_keeps_the_files_permission_bits(tmp_path, writer, existing_mode):
    path = tmp_path / "out.dot"
    path.write_text("old")
    os.chmod(path, existing_mode)
    with _Umask(0o022):
        _writers(tmp_path)[writer](path)
    assert _mode(path) == existing_mode
    assert path.read_bytes() != b"old"


@posix_only
@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("umask", [0o077, 0o022, 0o027, 0o002], ids=oct)
def test_a_new_file_gets_what_open_gives_under_the_umask(tmp_path, writer, umask):
    with _Umask(umask):
        _writers(tmp_path)[writer](tmp_path / "new.dot")
        with open(tmp_path / "by_open", "w"):
            pass
    assert _mode(tmp_path / "new.dot") == 0o666 & ~umask == _mode(tmp_path / "by_open")


@posix_only
def test_the_data_is_never_readable_wider_than_the_final_mode(tmp_path, monkeypatch):
    # The temporary file already has its final mode when the first byte is written into it.
    path = tmp_path / "m.npz"
    path.write_bytes(b"old")
    os.chmod(path, 0o600)
    seen = []
    real_fdopen = os.fdopen

    def watching_fdopen(fd, *args, **kwargs):
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", watching_fdopen)
    with _Umask(0o000):
        MLP(1, [1], seed=0).save(path)
    assert seen == [0o600] and _mode(path) == 0o600


# -- symlinks and paths that cannot be written ----------------------------------------------------


@posix_only
@pytest.mark.parametrize("writer", WRITERS)
def test_saving_through_a_symlink_writes_the_links_target(tmp_path, writer):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.dot"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "link.dot"
    link.symlink_to(target)
    _writers(tmp_path)[writer](link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() != b"old" and _mode(target) == 0o640
    assert sorted(os.listdir(tmp_path / "real")) == ["out.dot"]  # the temporary file went there
    assert sorted(os.listdir(tmp_path)) == ["link.dot", "real"]


@posix_only
def test_a_relative_symlink_and_a_dangling_one(tmp_path):
    model = MLP(1, [1], seed=0)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "rel").symlink_to("../target.npz")  # relative to the link's folder
    model.save(tmp_path / "d" / "rel")
    assert (tmp_path / "target.npz").is_file() and (tmp_path / "d" / "rel").is_symlink()
    other = MLP(1, [1], seed=5)
    other.load(tmp_path / "d" / "rel")
    assert _same(_values(other), _values(model))


@pytest.mark.parametrize("writer", WRITERS)
def test_an_empty_path_is_a_value_error(tmp_path, writer, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # render asks the suffix for the format first; both name the path given.
    with pytest.raises(ValueError, match="empty path ''|format of ''"):
        _writers(tmp_path)[writer]("")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("writer", WRITERS)
def test_a_directory_is_named_as_given(tmp_path, writer):
    folder = tmp_path / "folder.dot"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as info:
        _writers(tmp_path)[writer](folder)
    assert info.value.filename == str(folder) and ".tmp" not in str(info.value)
    assert os.listdir(folder) == [] and os.listdir(tmp_path) == ["folder.dot"]


@pytest.mark.parametrize("writer", WRITERS)
def test_a_missing_folder_is_named_with_the_path_given(tmp_path, writer):
    path = tmp_path / "missing" / "out.dot"
    with pytest.raises(FileNotFoundError) as info:
        _writers(tmp_path)[writer](path)
    assert info.value.filename == str(path) and ".tmp" not in str(info.value)
    assert info.value.errno == errno.ENOENT
    assert os.listdir(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    path.write_bytes(b"old")

    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space") as info:
        MLP(1, [1], seed=0).save(path)
    assert info.value.filename == str(path)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["m.npz"]


def test_write_atomic_returns_the_path_given(tmp_path):
    with pytest.raises(ValueError, match="empty path ''"):
        write_atomic("", b"x")
    assert write_atomic(tmp_path / "a.txt", b"x") == tmp_path / "a.txt"
    assert (tmp_path / "a.txt").read_bytes() == b"x"


# -- load errors that tell the truth --------------------------------------------------------------


def _saved(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    path = tmp_path / "m.npz"
    model.save(path)
    return model, path


def _refused(path, error, words):
    model = MLP(2, [3, 1], seed=7)
    before = _values(model)
    with pytest.raises(error, match=words) as info:
        model.load(path)
    assert str(path) in str(info.value)
    assert _same(_values(model), before)
    return info.value


def test_a_npy_file_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "w.npy"
    np.save(path, np.zeros(3))
    _refused(path, ValueError, r"is a \.npy array, not a \.npz archive of parameters")


@pytest.mark.parametrize(
    "content",
    [b"layers.0.neurons.0.w.0 = 1.0\n", bytes(range(256)) * 4, b"", b"P", b"\x80\x04K\x01."],
    ids=["text", "random bytes", "empty", "one byte", "a pickle"],
)
def test_a_file_that_is_no_archive_says_so(tmp_path, content):
    path = tmp_path / "m.npz"
    path.write_bytes(content)
    _refused(path, ValueError, r"is not a \.npz archive")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_archive_says_so(tmp_path, keep):
    _, path = _saved(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    _refused(path, ValueError, "is truncated or corrupt")


def test_a_corrupt_member_says_so(tmp_path):
    _, path = _saved(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    # The last byte of the first member's data: its CRC no longer matches.
    data[info.header_offset + 30 + len(info.filename) + info.compress_size - 1] ^= 0xFF
    path.write_bytes(bytes(data))
    _refused(path, ValueError, "is truncated or corrupt")


def test_pickled_objects_are_still_named(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, **{"layers.0.neurons.0.w.0": np.array([object()], dtype=object)})
    _refused(path, ValueError, "pickled objects")


def test_a_missing_file_and_a_folder_raise_the_os_error_with_the_path(tmp_path):
    _refused(tmp_path / "nope.npz", FileNotFoundError, "nope.npz")
    _refused(tmp_path, IsADirectoryError, "Is a directory")


def test_load_still_round_trips(tmp_path):
    model, path = _saved(tmp_path)
    other = MLP(2, [3, 1], seed=7)
    other.load(path)
    assert _same(_values(other), _values(model))


# -- a value that does not fit the parameter's dtype -----------------------------------------------


def _tensor_model():
    return Sequential(Linear(2, 2, seed=0), Linear(2, 1, seed=1))


def test_overflow_into_float32_names_the_parameter_and_changes_nothing(tmp_path):
    model = _tensor_model()
    state = model.state_dict()
    state = {k: v.astype(np.float64) for k, v in state.items()}
    state["1.weight"][1, 0] = 1e40
    before = _values(model)
    with pytest.raises(ValueError, match=r"'1.weight'.*float32.*1e\+40"):
        model.load_state_dict(state)
    assert _same(_values(model), before)
    # The same through a file.
    path = tmp_path / "big.npz"
    np.savez(path, **state)
    with pytest.raises(ValueError, match="1.weight"):
        model.load(path)
    assert _same(_values(model), before)


@pytest.mark.filterwarnings("error")  # no RuntimeWarning on the way either
def test_values_that_fit_load_and_non_finite_values_are_kept():
    model = _tensor_model()
    state = {k: v.astype(np.float64) for k, v in model.state_dict().items()}
    state["0.weight"][0, 0] = 3.0e38  # just inside float32
    state["0.weight"][0, 1] = np.inf  # already infinite in the state: loaded as it is
    state["0.bias"][0] = np.nan
    model.load_state_dict(state)
    w = model[0].weight.data
    assert w.dtype == np.float32 and w[0, 0] == np.float32(3.0e38) and w[0, 1] == np.inf
    assert np.isnan(model[0].bias.data[0])


def test_a_scalar_value_too_big_for_float64_is_refused():
    m = Module()
    m.w = Value(1.0)
    big = np.longdouble(10) ** 400
    if not np.isfinite(big):
        pytest.skip("this platform's long double is float64")
    with pytest.raises(ValueError, match=r"'w'.*float64"):
        m.load_state_dict({"w": big})
    assert m.w.data == 1.0
    m.load_state_dict({"w": np.float64("inf")})
    assert m.w.data == float("inf")


def test_an_integer_too_big_for_float16():
    m = Module()
    m.w = Linear(1, 1, seed=0, dtype=np.float16).weight
    with pytest.raises(ValueError, match=r"'w'.*float16.*70000"):
        m.load_state_dict({"w": np.array([[70000]])})
