"""Files written so that a reader never sees half of one (shared by ``Module.save`` and ``viz``)."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

# Tries at a free temporary name, as ``tempfile.TMP_MAX``: with 64 random bits a second is rare.
_TRIES = 100
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_atomic(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A reader never sees a half-written file, and a failure leaves nothing behind (an existing
    file stays as it was).  Otherwise it behaves as ``open(path, "wb")``:

    - a symlink is followed: the link's target is written and the link stays a link;
    - an existing file keeps its permission bits; a new one gets what ``open`` gives under the
      process's umask (``0o666 & ~umask``), never more;
    - an empty path raises ``ValueError``, a folder ``IsADirectoryError`` and a missing folder
      ``FileNotFoundError``; every OS error names ``path`` as given, never the temporary file.

    Returns ``path`` as a ``Path``.

    Example:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> path = write_atomic(os.path.join(folder, "notes.txt"), b"whole or not at all")
        >>> path.read_bytes(), os.listdir(folder)
        (b'whole or not at all', ['notes.txt'])
    """
    given = os.fsdecode(path)
    target, existing = _resolve(given)
    try:
        fd, tmp = _create_temporary(target, existing)
    except OSError as err:
        raise _naming(err, given, f"cannot write into {str(target.parent)!r}") from err
    try:
        with os.fdopen(fd, "wb") as fh:
            if existing is not None:
                # Before the first byte: the data is never readable by more users than the old
                # file's.  Permission bits only: set-user-ID and the like do not carry over to a
                # replacement (the kernel clears them when another user writes a file in place).
                os.chmod(fd if os.chmod in os.supports_fd else tmp, stat.S_IMODE(existing.st_mode) & 0o777)
            fh.write(data)
        os.replace(tmp, target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError):
            raise _naming(err, given) from err
        raise
    return Path(given)


def _resolve(given: str) -> tuple[Path, os.stat_result | None]:
    """The file a path names after its symlinks, and its status (None if there is none yet)."""
    if not given:
        raise ValueError("cannot write a file at an empty path ''")
    # Into the link's target, in the target's folder: os.replace on the link itself would swap
    # the link for a regular file and leave the file it points to untouched.
    target = Path(os.path.realpath(given))
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as err:  # a symlink loop, a folder we may not search
        raise _naming(err, given) from err
    if given.endswith(("/", os.sep)) or (existing is not None and stat.S_ISDIR(existing.st_mode)):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), given)
    return target, existing


def _create_temporary(target: Path, existing: os.stat_result | None) -> tuple[int, Path]:
    """Create an empty temporary file next to ``target``, its mode never wider than the final one.

    A new file is created with ``0o666`` and the kernel applies the umask (and a folder's
    default ACL) itself, exactly as for ``open``.  Reading the umask instead is no option:
    ``os.umask`` reads it only by setting it, for the whole process, which races with every
    other thread creating a file meanwhile.  A replacement starts owner-only; the caller gives
    it the old file's bits.
    """
    for _ in range(_TRIES):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, _CREATE, 0o666 if existing is None else 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, f"no free temporary name after {_TRIES} tries", str(target))


def _naming(err: OSError, given: str, where: str = "") -> OSError:
    """``err`` again, with the path the caller gave as its file name instead of our temporary."""
    reason = f"{err.strerror} ({where})" if where else err.strerror
    return type(err)(err.errno, reason, given)
