"""Files written so that a reader never sees half of one (shared by ``Module.save`` and ``viz``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A reader never sees a half-written file, and a failure leaves nothing behind.  The OS error
    of an unwritable folder is raised with the requested path in it.
    """
    path = Path(path)
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise type(err)(err.errno, f"{err.strerror} (cannot write into {str(folder)!r})", str(path)) from err
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
