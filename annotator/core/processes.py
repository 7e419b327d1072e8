"""Is a process on this machine still running? Used to tell a live writer's temporary files
and locks from those a killed run left behind."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    """True unless ``pid`` certainly names no running process on this machine.

    Our own process counts as alive; a process of another user (``PermissionError``) is alive;
    any other doubt (an ``OSError`` we cannot interpret) is treated as alive too, so nothing a
    running program still uses is ever cleaned up.
    """
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
