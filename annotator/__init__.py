"""annotator: a desktop tool for building labelled corpora of news articles."""

__version__ = "0.1.0"
