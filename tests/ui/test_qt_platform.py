"""What Qt's X11 plugin needs: the missing libraries found with ldd, named as Debian packages."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.ui import qt_platform
from annotator.ui.qt_platform import XCB_PACKAGES, apt_line, missing_libraries, needs_xcb, package_for

README = Path(__file__).resolve().parents[2] / "README.md"
LDD = """\
\tlinux-vdso.so.1 (0x00007ffd5b9f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1c0e000000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f1c0dff0000)
"""


def test_not_found_libraries_become_the_packages_to_install():
    assert missing_libraries(LDD) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    packages = [package_for(name) for name in missing_libraries(LDD)]
    assert packages == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"]
    assert apt_line(packages) == "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"


def test_package_names_follow_debian_naming():
    assert package_for("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert package_for("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert package_for("libX11-xcb.so.1") == "libx11-xcb1"
    assert package_for("libdbus-1.so.3") == "libdbus-1-3"
    assert package_for("libglib-2.0.so.0") == "libglib2.0-0"
    assert package_for("libEGL.so.1") == "libegl1"


def test_this_machines_missing_packages_are_ones_the_readme_lists():
    packages = qt_platform.missing_packages()
    assert packages is None or all(isinstance(p, str) for p in packages)
    readme = README.read_text(encoding="utf-8")
    listed = re.search(r"apt-get install (libxcb[^`\n]*)", readme)
    assert listed, "the README gives the apt-get line for Qt's X11 libraries"
    assert set(listed.group(1).split()) == set(XCB_PACKAGES)
    assert set(packages or []) <= set(XCB_PACKAGES)


def test_only_an_x11_session_needs_them(monkeypatch):
    assert not needs_xcb({"QT_QPA_PLATFORM": "offscreen"})
    assert needs_xcb({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"})
    assert not needs_xcb({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"})
    monkeypatch.setattr(qt_platform, "needs_xcb", lambda: True)
    monkeypatch.setattr(qt_platform, "missing_packages", lambda: ["libxcb-icccm4", "libxcb-keysyms1"])
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in qt_platform.problem()
    assert qt_platform.main() == 1
    monkeypatch.setattr(qt_platform, "missing_packages", lambda: [])
    assert qt_platform.main() == 0
