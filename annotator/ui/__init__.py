"""PySide6 user interface: the annotation window and its parts (Qt-free session in session.py)."""
