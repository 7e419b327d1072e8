"""How sure a spaCy entity recognizer is of each entity it finds: its probability in a beam search.

spaCy's ``ner`` decides greedily and gives no score. Run as a beam search over the same weights,
it keeps the ``beam_width`` best analyses of the sentence with their probabilities; an entity's
score is the total probability of the analyses that contain it (what Prodigy's ``ner.teach``
shows, and what spaCy's ``EntityRecognizer.scored_ents`` computes). 0.98 means every likely
reading has that entity; 0.4 means most readings do not. The entities themselves are still the
greedy decision (``doc.ents``), so scoring changes no suggestion, only its score.

    for doc in pipe_with_entity_scores(nlp, texts):
        for ent in doc.ents:
            print(ent.text, ent.label_, entity_score(doc, ent.start_char, ent.end_char, ent.label_))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc
from spacy.util import minibatch

SCORES_KEY = "annotator_entity_scores"
BEAM_WIDTH = 16


def recognizer_name(nlp: Language) -> str | None:
    """The name of the pipeline's (first) transition-based entity recognizer, if it has one."""
    return next((name for name, pipe in nlp.pipeline if isinstance(pipe, EntityRecognizer)), None)


def pipe_with_entity_scores(nlp: Language, texts: Iterable[str], batch_size: int = 32,
                            beam_width: int = BEAM_WIDTH) -> Iterator[Doc]:
    """``nlp.pipe(texts)`` whose docs also carry each entity's beam probability (see :func:`entity_score`).

    A pipeline without a transition-based ``ner`` is run as it is (no scores).
    """
    name = recognizer_name(nlp)
    if name is None:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    ner: EntityRecognizer = nlp.get_pipe(name)
    after = nlp.pipe_names[nlp.pipe_names.index(name) + 1:]
    for batch in minibatch(texts, size=batch_size):
        # Everything before the recognizer (tok2vec) runs once; the beam and the greedy pass share it.
        docs = list(nlp.pipe(batch, batch_size=batch_size, disable=[name, *after]))
        beams = ner.beam_parse(docs, beam_width=beam_width)
        scored = ner.scored_ents(beams)
        ner.set_annotations(docs, ner.predict(docs))
        for doc, scores in zip(docs, scored, strict=True):
            doc.user_data[SCORES_KEY] = {
                (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), str(label)): round(min(1.0, float(p)), 3)
                for (start, end, label), p in scores.items() if end > start
            }
        for component in after:
            docs = list(nlp.get_pipe(component).pipe(docs))
        yield from docs


def entity_score(doc: Doc, start_char: int, end_char: int, label: str) -> float | None:
    """The beam probability of an entity of ``doc`` (None when the doc was not scored)."""
    scores = doc.user_data.get(SCORES_KEY)
    if scores is None:
        return None
    return scores.get((start_char, end_char, label), 0.0)
