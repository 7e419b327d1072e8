"""Training spaCy pipelines on the corpus's own export (``annotator train``)."""
