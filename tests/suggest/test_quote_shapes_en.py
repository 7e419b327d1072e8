"""English attribution shapes found missing on PolNeAR train (issue 16 follow-up), on real sentences.

Every fragment is from PolNeAR's train split (``../shared/data/polnear/train/text``, file named);
the assertions are the content, cue and source an annotator would check against the PolNeAR
annotation of the same sentence.
"""

from __future__ import annotations

from tests.suggest.helpers import only, quotes_as_text

# -- two apostrophes as a double quote mark (the New York Times' style) -----------------------------


def test_two_apostrophes_quote_then_pronoun_said():
    # nyt_2016-03-21_factory-workers-feel-sting-of-gl
    text = ("Still he rejected the notion that pressure from Wall Street, or corporate greed, or even trade policy, "
            "had prompted the factory move to Monterrey. ''This was a really tough decision,'' he said.")
    found = quotes_as_text(text, "en")
    assert [(q.type, q.cue, q.sources, q.contents) for q in found][-1] == (
        "direct", "said", ["he"], ["This was a really tough decision"])


def test_two_apostrophes_quote_then_name_said():
    # nyt_2016-04-26_sanders-and-allies-aim-to-shape-
    q = only("''Both of our campaigns will be represented on the drafting committee,'' Mr. Miranda said.", "en")
    assert (q.type, q.cue, q.sources, q.contents) == (
        "direct", "said", ["Mr. Miranda"], ["Both of our campaigns will be represented on the drafting committee"])


def test_an_apostrophe_inside_a_two_apostrophe_quote_does_not_end_it():
    # nyt_2016-03-21_factory-workers-feel-sting-of-gl ("I'm", an apostrophe, inside the marks)
    q = only("''I'm more skilled with my hands than I am with my brain,'' said Robin Maynard, half joking.", "en")
    assert q.contents == ["I'm more skilled with my hands than I am with my brain"]
    assert q.cue == "said"


# -- the cue is the verb group: auxiliaries and adverbs before the verb belong to it --------------------


def test_the_auxiliary_belongs_to_the_cue():
    # breitbart_2016-04-14_the-latest-trump-delivers-defens: PolNeAR's cue is "has said"
    q = only("Sanders has said he would be honored to meet with the pope but no meeting has been arranged.", "en")
    assert (q.cue, q.sources) == ("has said", ["Sanders"])


def test_an_adverb_before_the_verb_belongs_to_the_cue():
    # breitbart_2016-02-08_former-mexico-leader-calderon-ca: PolNeAR's cue is "also said"
    q = only("Trump also said at the time that the United States has become a “dumping ground for everybody else’s "
             "problems.”", "en")
    assert (q.cue, q.sources) == ("also said", ["Trump"])


def test_the_grown_cue_stops_at_the_speaker():
    # nyt_2016-04-26_sanders-and-allies-aim-to-shape- (a cue after the quote: nothing to grow into)
    q = only("''Both of our campaigns will be represented on the drafting committee,'' Mr. Miranda said.", "en")
    assert (q.cue, q.sources) == ("said", ["Mr. Miranda"])


# -- the complementiser is part of the content -----------------------------------------------------------


def test_the_content_keeps_its_that():
    # breitbart_2016-03-01_the-latest-sanders-wins-minnesot: PolNeAR's content is "that Bill Clinton created …"
    text = ("Galvin also said that Bill Clinton created a traffic jam outside a polling location in New Bedford later "
            "in the day when he addressed voters on the street.")
    q = only(text, "en")
    assert (q.type, q.cue, q.sources) == ("indirect", "also said", ["Galvin"])
    assert q.contents == ["that Bill Clinton created a traffic jam outside a polling location in New Bedford later "
                          "in the day when he addressed voters on the street"]


def test_a_quoted_clause_after_that_is_mixed():
    # breitbart_2016-02-08_former-mexico-leader-calderon-ca
    q = only("Trump also said at the time that the United States has become a “dumping ground for everybody else’s "
             "problems.”", "en")
    assert (q.type, q.contents) == ("mixed", ["that the United States has become a “dumping ground for everybody "
                                              "else’s problems.”"])


# -- the attribution after or inside an unquoted content -------------------------------------------------


def test_the_attribution_inside_its_sentence_splits_the_content():
    # politico_2016-01-31_clinton-rolls-out-special-charac
    text = ("What really got under her skin, she said, was a question at a televised town hall last week, when a young "
            "man asked Clinton why young people didn’t like her and thought she was a liar.")
    q = only(text, "en")
    assert (q.cue, q.sources) == ("said", ["she"])
    assert q.contents == ["What really got under her skin", "was a question at a televised town hall last week, "
                          "when a young man asked Clinton why young people didn’t like her and thought she was a liar"]


def test_a_phrase_after_the_attribution_is_not_content():
    # huff-post_2016-07-18_so-long-grand-old-party-hello-wh (PolNeAR's content: the words before "he said")
    q = only("He was unable to find a single taker, he said, on condition of anonymity to speak freely about his "
             "party’s nominee.", "en")
    assert (q.cue, q.sources, q.contents) == ("said", ["he"], ["He was unable to find a single taker"])


def test_the_speaker_after_the_cue_keeps_its_apposition():
    # wash-post_2015-12-12_misinformation-enters-mainstream
    q = only("The Internet has greatly facilitated the speed and reach of such misinformation, said Angie Drobnic "
             "Holan, Politifact's editor.", "en")
    assert (q.cue, q.sources) == ("said", ["Angie Drobnic Holan, Politifact's editor"])
    assert q.contents == ["The Internet has greatly facilitated the speed and reach of such misinformation"]


def test_a_content_ending_in_a_quoted_fragment_before_she_said():
    # usa-today_2016-01-19_clinton-media-strategy-follows-b (the comma is inside the marks)
    q = only('Others are "having to be leaner, be more resourceful and deal with a smaller staff," she said.', "en")
    assert (q.type, q.cue, q.sources) == ("mixed", "said", ["she"])
    assert q.contents == ['Others are "having to be leaner, be more resourceful and deal with a smaller staff,"']


# -- speakers: a relative pronoun, the subject of a coordinated verb -------------------------------------


def test_a_relative_pronoun_is_the_source():
    # west-journal_2016-05-10_trump-s-support-twice-that-of-cl: PolNeAR's source of the second quote is "who"
    found = quotes_as_text("“The candidates left just don’t understand the military,” said Army Capt. Christian "
                           "Pardo, who said he would not vote for either Clinton or Trump.", "en")
    assert [(q.cue, q.sources, q.contents) for q in found][1] == (
        "said", ["who"], ["he would not vote for either Clinton or Trump"])


def test_the_subject_of_the_sentence_speaks_after_and():
    # politico_2015-12-23_ben-carson-hints-at-major-campai
    q = only("Giles attempted to re-engage the Carson campaign in October and said he had prepared a slew of policy "
             "papers for Carson.", "en")
    assert (q.cue, q.sources, q.contents) == ("said", ["Giles"], ["he had prepared a slew of policy papers for Carson"])


def test_it_opens_the_reported_clause():
    # nyt_2015-12-09_terrorists-mock-bids-to-block-th
    q = only("In response, Twitter said it actively investigated potential terrorist threats.", "en")
    assert (q.cue, q.sources, q.contents) == ("said", ["Twitter"], ["it actively investigated potential terrorist threats"])


# -- interview transcripts -------------------------------------------------------------------------------


def test_transcript_turns_are_quotes_of_their_speakers():
    # breitbart_2016-07-10_ok-gov-fallin-trump-is-trying-to: PolNeAR's cue is the colon, the content the turn
    text = ("TAPPER: Do you think Donald Trump has campaigned as a racial healer?\n\n"
            "FALLIN: I think he is trying to campaign as a racial healer. I think that has been part of his message.")
    found = quotes_as_text(text, "en")
    assert [(q.cue, q.sources, q.contents) for q in found] == [
        (":", ["TAPPER"], ["Do you think Donald Trump has campaigned as a racial healer?"]),
        (":", ["FALLIN"], ["I think he is trying to campaign as a racial healer. I think that has been part of his "
                           "message."]),
    ]


def test_a_turn_opened_by_a_quote_mark_is_a_turn():
    # breitbart_2016-03-09_hillary-benghazi-victim-mother-a: a mark opens each paragraph of the transcript
    turn = ("I feel a great deal of sympathy for the families of the four brave Americans that we lost at Benghazi, "
            "and I certainly can’t even imagine the grief that she has for losing her son, but she’s wrong.")
    text = f'"RAMOS: Secretary Clinton, did you lie to them?\n\n"CLINTON: {turn}'
    found = quotes_as_text(text, "en")
    assert [(q.cue, q.sources, q.contents) for q in found] == [
        (":", ["RAMOS"], ["Secretary Clinton, did you lie to them?"]),
        (":", ["CLINTON"], [turn]),
    ]


def test_a_note_or_a_video_is_not_a_turn():
    # huff-post_2016-04-06_wisconsin-elects-a-supreme-court; a "VIDEO:" line, not annotated in PolNeAR train
    text = ("CORRECTION:\xa0Due to an editing error, an alternate version of this article, premised on a Kloppenburg "
            "victory, was inadvertently published early Wednesday morning.\n\n"
            '"VIDEO: Hillary and Obama and Panetta and Biden and Susan Rice all told me it was a video.')
    assert [q.sources for q in quotes_as_text(text, "en") if q.cue == ":"] == []


def test_the_speaker_after_the_cue_of_a_direct_quote_keeps_its_apposition():
    # nyt_2016-07-25_political-future-unsure-at-fox-a
    q = only("''Obviously, when we were running in the Republican primary, you make your focus Fox News,'' said Corey "
             "Lewandowski, the former campaign manager for Mr. Trump and current CNN analyst.", "en")
    assert (q.type, q.cue) == ("direct", "said")
    assert q.sources == ["Corey Lewandowski, the former campaign manager for Mr. Trump and current CNN analyst"]
    assert q.contents == ["Obviously, when we were running in the Republican primary, you make your focus Fox News"]


# -- told + addressee + the reported clause, without "that" ---------------------------------------------


def test_told_me_then_the_reported_clause():
    # nyt_2016-08-22_pundit-turns-adviser-in-the-serv
    q = only("Mr. Hannity told me his support for Mr. Trump makes him ''more honest'' than mainstream reporters who "
             "hide their biases.", "en")
    assert (q.type, q.cue, q.sources) == ("mixed", "told", ["Mr. Hannity"])
    assert q.contents == ["his support for Mr. Trump makes him ''more honest'' than mainstream reporters who hide "
                          "their biases"]


def test_told_a_named_addressee_then_the_reported_clause_and_no_determiner_as_speaker():
    # politico_2016-08-17_ap-trump-chair-routed-ukrainian-
    text = ("The director of the European Centre, Ina Kirsch, told the AP her group never worked with Manafort or Gates "
            "and said the group hired the Washington lobbyists on its own.")
    found = quotes_as_text(text, "en")
    assert [(q.cue, q.sources, q.contents) for q in found] == [
        ("told", ["The director of the European Centre, Ina Kirsch"], ["her group never worked with Manafort or Gates"])]

