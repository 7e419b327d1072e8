"""English quote patterns: the same detector, driven by resources/quotes/en.json."""

from __future__ import annotations

from tests.suggest.helpers import only, quotes_as_text


def test_quote_then_speaker_then_cue() -> None:
    q = only('"We will not retreat," Putin said.', "en")
    assert (q.type, q.cue, q.sources, q.contents) == ("direct", "said", ["Putin"], ["We will not retreat"])


def test_quote_then_inverted_cue_and_speaker() -> None:
    q = only('"The talks were useful," said Vladimir Putin.', "en")
    assert (q.cue, q.sources, q.contents) == ("said", ["Vladimir Putin"], ["The talks were useful"])


def test_speaker_cue_colon_quote() -> None:
    q = only('Putin said: "We will not retreat."', "en")
    assert (q.type, q.cue, q.sources, q.contents) == ("direct", "said", ["Putin"], ["We will not retreat."])


def test_split_quote_has_two_content_parts() -> None:
    q = only('"We will not retreat," he said, "and we will not give up."', "en")
    assert q.contents == ["We will not retreat", "and we will not give up."]
    assert q.sources == ["he"]


def test_indirect_with_that() -> None:
    # The content keeps its "that", as PolNeAR annotates it (train: 2,432 contents start with it, 30 not).
    q = only("Kremlin spokesman Dmitry Peskov told reporters that the meeting had gone well.", "en")
    assert (q.type, q.cue, q.sources, q.contents) == ("indirect", "told", ["Kremlin spokesman Dmitry Peskov"],
                                                       ["that the meeting had gone well"])


def test_indirect_without_that_scores_lower() -> None:
    bare = only("Obama also said the ceasefire was holding.", "en")
    with_that = only("Obama also said that the ceasefire was holding.", "en")
    assert bare.contents == ["the ceasefire was holding"]
    assert with_that.contents == ["that the ceasefire was holding"]
    assert bare.sources == ["Obama"]
    assert bare.score < with_that.score


def test_mixed_quote() -> None:
    q = only('The president said that the talks were "very useful" for both sides.', "en")
    assert (q.type, q.contents) == ("mixed", ['that the talks were "very useful" for both sides'])


def test_participle_inherits_the_speaker() -> None:
    found = quotes_as_text("Obama said the talks had failed, adding that they would resume next week.", "en")
    assert [(q.cue, q.sources, q.contents) for q in found] == [
        ("said", ["Obama"], ["the talks had failed"]),
        ("adding", ["Obama"], ["that they would resume next week"]),
    ]


def test_according_to_after_and_before_the_content() -> None:
    after = only("The talks failed, according to a Kremlin spokesman.", "en")
    assert (after.cue, after.sources, after.contents) == ("according to", ["a Kremlin spokesman"], ["The talks failed"])
    before = only("According to Reuters, the talks failed on Monday after hours of discussion.", "en")
    assert (before.sources, before.contents) == (["Reuters"], ["the talks failed on Monday after hours of discussion"])


def test_headline_colon_quote() -> None:
    # PARC 3.0 and PolNeAR take the colon for the cue of "Speaker: words" (our Arabic guidelines do not).
    q = only("Putin: We will not retreat\n\nThe summit ended on Monday.", "en")
    assert (q.sources, q.contents, q.cue) == (["Putin"], ["We will not retreat"], ":")


def test_floating_quote_takes_the_previous_speaker_within_its_paragraph() -> None:
    found = quotes_as_text('Kerry said that the deal was close. "Nobody wants this war to go on forever, nobody."', "en")
    assert found[1].sources == ["Kerry"] and found[1].cue is None
    assert found[1].score < found[0].score


def test_a_bare_quote_in_another_paragraph_does_not_take_the_previous_speaker() -> None:
    # issue 16: "the previous speaker carried over" — only within a paragraph or an explicit continuation.
    found = quotes_as_text('Kerry said that the deal was close.\n\n"Nobody wants this war to go on forever, nobody."', "en")
    assert found[1].sources == [] and found[1].cue is None


def test_curly_quotes_and_apostrophes() -> None:
    q = only("“Putin’s plan is a mistake,” the minister wrote in a statement.", "en")
    assert (q.contents, q.sources, q.cue) == (["Putin’s plan is a mistake"], ["the minister"], "wrote")


def test_short_scare_quotes_are_not_quotes() -> None:
    assert quotes_as_text('The so-called "peace plan" was published on Monday.', "en") == []
