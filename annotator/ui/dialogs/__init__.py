"""Dialogs of the annotation window, one module each, each a thin view over a function the CLI also calls."""
