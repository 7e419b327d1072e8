"""Making written files durable: fsync of a file or of the folder that holds a rename."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """fsync a file or a folder (folders: so a rename inside them is on disk).

    File systems that cannot fsync a folder (``/proc``, some FUSE mounts) are tolerated.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)
