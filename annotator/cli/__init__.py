"""The ``annotator`` command line. Each command lives in ``annotator/cli/commands/<name>.py``."""
