"""Review: span metrics, inter-annotator agreement and adjudication into a reviewed set.

Everything here is Qt-free; the review window (:mod:`annotator.ui.review_window`) and the
``annotator agreement`` / ``annotator review`` commands call these modules.
"""
