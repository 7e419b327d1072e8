"""One module per ``annotator`` command; each exposes ``command``."""
