"""Can Qt open a window here? The system libraries Qt's X11 (xcb) platform plugin needs.

PySide6 ships Qt but not the X11 libraries its ``xcb`` plugin links against; on a fresh
Debian or Ubuntu desktop several are missing (``libxcb-cursor0``, ``libxcb-icccm4``,
``libxcb-keysyms1``, …) and Qt's own message names only the first. This module asks ``ldd``
which libraries of the installed plugin are not found and turns them into the one
``apt-get install`` line. ``make run`` runs it first:

    python -m annotator.ui.qt_platform      # exit 1 and the apt-get line when something is missing

Nothing here imports Qt's GUI modules (they are what may fail to load).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Debian/Ubuntu packages whose names do not follow "lib<name><version>" from the soname.
PACKAGE_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libz.so.1": "zlib1g",
    "libgcc_s.so.1": "libgcc-s1",
    "libstdc++.so.6": "libstdc++6",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
}
# Every library the xcb plugin links, with its package: the README's list, and the fallback
# when ldd is not available.
XCB_PACKAGES = (
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
    "libxcb-randr0", "libxcb-shape0", "libxcb-xkb1", "libxcb-xfixes0", "libxcb-sync1", "libxcb-shm0",
    "libxcb-render0", "libxcb-util1", "libxkbcommon-x11-0", "libxkbcommon0", "libx11-xcb1", "libegl1",
    "libfontconfig1", "libdbus-1-3",
)
_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)
_SONAME = re.compile(r"^lib(?P<name>.+?)\.so\.(?P<version>\d+)")


def package_for(soname: str) -> str:
    """The Debian/Ubuntu package that provides a shared library (``libxcb-icccm.so.4`` -> ``libxcb-icccm4``)."""
    if soname in PACKAGE_EXCEPTIONS:
        return PACKAGE_EXCEPTIONS[soname]
    match = _SONAME.match(soname)
    if not match:
        return soname
    name, version = match.group("name").lower().replace("_", "-"), match.group("version")
    return f"lib{name}{'-' if name[-1].isdigit() else ''}{version}"


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reports as ``not found``, each once, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def xcb_plugin() -> Path | None:
    """The installed ``libqxcb.so`` of PySide6 (found without importing Qt's GUI)."""
    try:
        import PySide6
    except ImportError:
        return None
    base = Path(PySide6.__file__).resolve().parent
    for candidate in (base / "Qt" / "plugins" / "platforms" / "libqxcb.so", base / "plugins" / "platforms" / "libqxcb.so"):
        if candidate.is_file():
            return candidate
    return None


def missing_packages() -> list[str] | None:
    """Packages to install for Qt's xcb plugin ([] when none); None when it cannot be told (no ldd, no plugin)."""
    plugin = xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return None
    try:
        output = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return list(dict.fromkeys(package_for(name) for name in missing_libraries(output)))


def apt_line(packages: list[str]) -> str:
    return "sudo apt-get install " + " ".join(packages)


def needs_xcb(environ: dict[str, str] | None = None) -> bool:
    """Will Qt use its X11 plugin here? (Linux, and no other platform chosen.)"""
    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0] == "xcb"
    return environ.get("XDG_SESSION_TYPE") != "wayland" or not environ.get("WAYLAND_DISPLAY")


def problem() -> str | None:
    """What stops the window from opening on this machine's X11, with the command that fixes it; None if nothing."""
    if not needs_xcb():
        return None
    packages = missing_packages()
    if not packages:
        return None
    return ("Qt's X11 platform plugin needs system libraries that are missing here: "
            + ", ".join(packages) + ".\nInstall them with:\n    " + apt_line(packages))


def main() -> int:
    found = problem()
    if found:
        print(found, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
