"""The learned suggester proposes a name only where the corpus's own evidence says it is one.

The sentences are written the way ANERcorp's are (news, clitics attached, hamza-less spellings);
the cases are the mistakes the suggester made on ANERcorp before it weighed its evidence:
``على`` proposed as the name ``علي``, a function word somebody once labelled, and a lone first
name where the article has a full name.
"""

from __future__ import annotations

from annotator.core.spans import DocumentRecord, Span
from annotator.suggest.runner import run_suggesters

ANNOTATOR = "amira"


def add(corpus, texts: list[str]) -> list[int]:
    return corpus.add_documents([DocumentRecord(text=t, language="ar") for t in texts]).new_ids


def label(corpus, doc_id: int, name: str, tag: str, nth: int = 0) -> None:
    text = corpus.document(doc_id).text
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    corpus.add_span(doc_id, ANNOTATOR, Span(start, start + len(name), tag))


def done(corpus, *doc_ids: int) -> None:
    for doc_id in doc_ids:
        corpus.set_status(doc_id, ANNOTATOR, "done")


def learned(corpus, doc_id: int) -> list[tuple[str, str, float]]:
    text = corpus.document(doc_id).text
    return [(text[s.start : s.end], s.label, s.score) for s in corpus.suggestions(doc_id, "learned")[0]]


def test_the_preposition_ala_is_not_proposed_for_the_name_ali(corpus) -> None:
    a, b, c, new = add(corpus, [
        "وقال علي عبد الله صالح ان الحكومة ستعمل على تحسين الاوضاع .",
        "واكد علي ان الاتفاق يقوم على اسس واضحة وعلى احترام السيادة .",
        "وحصل علي على المركز الاول في السباق .",
        "وشدد علي على ضرورة الحوار بين الاطراف ، وقال ان على الجميع التعاون .",
    ])
    label(corpus, a, "علي عبد الله صالح", "PER")
    label(corpus, b, "علي", "PER")
    label(corpus, c, "علي", "PER")
    done(corpus, a, b, c)
    run_suggesters(corpus, ["learned"])
    found = learned(corpus, new)
    assert [(t, lab) for t, lab, _ in found] == [("علي", "PER")]  # and not the two على
    # In the annotated articles too: على, وعلى were read past, never labelled.
    assert all(t == "علي" for t, _, _ in learned(corpus, b))


def test_a_function_word_is_never_reached_by_spelling_folding_even_unseen(corpus) -> None:
    # The name علي is well attested and the annotated articles never hold the preposition على:
    # only the spelling rule keeps ى/ي folding from proposing على.
    *annotated, ali, ala = add(corpus, ["والتقى الرئيس علي بالوفد .", "وقال علي ان الوفد وصل .",
                                        "واضاف علي ان المحادثات مستمرة .", "وغادر علي العاصمة .",
                                        "ووقع الاختيار على مدينة جدة لاستضافة البطولة ."])
    for doc_id in annotated:
        label(corpus, doc_id, "علي", "PER")
    done(corpus, *annotated)
    run_suggesters(corpus, ["learned"])
    assert [(t, lab) for t, lab, _ in learned(corpus, ali)] == [("علي", "PER")]
    assert learned(corpus, ala) == []


def test_a_word_labelled_once_but_read_past_many_times_is_not_proposed(corpus) -> None:
    texts = ["وجرت مباحثات بين الجانبين حول الملف النووي .",
             "وتراوحت الاصابات بين طفيفة وخطيرة .",
             "واكد الوزير ان التعاون بين البلدين يتطور .",
             "ووقعت اشتباكات بين الشرطة والمحتجين .",
             "واشار التقرير الى الفرق بين الاسعار .",
             "وحضر حفل بين الثقافات عدد من الفنانين ."]
    *annotated, new = add(corpus, [*texts, "وتتواصل المفاوضات بين الطرفين في جنيف ."])
    label(corpus, annotated[5], "بين الثقافات", "MISC")  # a festival's name, once
    label(corpus, annotated[0], "بين", "MISC")  # a slip of the hand
    label(corpus, annotated[1], "الاصابات", "MISC")
    done(corpus, *annotated)
    run_suggesters(corpus, ["learned"])
    assert all(t != "بين" for t, _, _ in learned(corpus, new))


def test_a_lone_first_name_is_not_proposed_where_full_names_follow(corpus) -> None:
    *annotated, new = add(corpus, [
        "وقال محمد صبري ابو تريكة ان الفريق جاهز .",
        "واعلن محمد عبد السلام ان الجلسة انتهت .",
        "وصرح محمد الدوري بان الوفد سيعود .",
        "وغادر محمد الى القاهرة صباح اليوم .",
        "والتقى محمد صبري ابو تريكة بالمدرب .",
        "واكد محمد منصور ان اللجنة ستجتمع .",
    ])
    label(corpus, annotated[0], "محمد صبري ابو تريكة", "PER")
    label(corpus, annotated[1], "محمد عبد السلام", "PER")
    label(corpus, annotated[2], "محمد الدوري", "PER")
    label(corpus, annotated[3], "محمد", "PER")
    done(corpus, *annotated[:4])
    run_suggesters(corpus, ["learned"])
    # The full name it knows is proposed whole, once; the lone first name before a new family name is not.
    assert [(t, lab) for t, lab, _ in learned(corpus, annotated[4])] == [("محمد صبري ابو تريكة", "PER")]
    assert learned(corpus, new) == []


def test_a_first_name_mostly_labelled_alone_is_still_proposed(corpus) -> None:
    *annotated, new = add(corpus, [
        "وقال كيري ان المحادثات مثمرة .",
        "واضاف كيري ان واشنطن تدعم الحل .",
        "وغادر كيري جنيف مساء .",
        "والتقى جون كيري بنظيره الروسي .",
        "وقال كيري للصحافيين ان الاتفاق قريب .",
    ])
    for doc_id in annotated[:3]:
        label(corpus, doc_id, "كيري", "PER")
    label(corpus, annotated[3], "جون كيري", "PER")
    done(corpus, *annotated[:4])
    run_suggesters(corpus, ["learned"])
    assert [(t, lab) for t, lab, _ in learned(corpus, new)] == [("كيري", "PER")]


def test_the_score_says_how_sure_the_corpus_is(corpus) -> None:
    often = [f"وقال بوتين في المؤتمر رقم {i} ان روسيا مستعدة ." for i in range(5)]
    *annotated, new = add(corpus, [*often, "وزار لافروف المدينة .", "والتقى بوتين لافروف في الكرملين ."])
    for doc_id in annotated[:5]:
        label(corpus, doc_id, "بوتين", "PER")
    label(corpus, annotated[5], "لافروف", "PER")
    done(corpus, *annotated)
    run_suggesters(corpus, ["learned"])
    scores = {t: score for t, _, score in learned(corpus, new)}
    assert set(scores) == {"بوتين", "لافروف"}
    assert scores["بوتين"] > 0.9 > scores["لافروف"] >= 0.5  # five labels, none missed; one label


def test_only_a_finished_set_or_a_rejection_counts_against_a_name(corpus) -> None:
    # In progress, the annotator may still label the later الهلال: that says nothing yet. Once the
    # article is done, the two left unlabelled count against the name.
    a, new = add(corpus, ["فاز الهلال على النصر .\nوفي مباراة اخرى خسر الهلال .\nوتعادل الهلال مع الاتحاد .",
                          "وواجه الهلال الشباب امس ."])
    label(corpus, a, "الهلال", "ORG")
    run_suggesters(corpus, ["learned"])
    assert [(t, tag) for t, tag, _ in learned(corpus, new)] == [("الهلال", "ORG")]
    done(corpus, a)
    run_suggesters(corpus, ["learned"])
    assert learned(corpus, new) == []


def test_a_rejected_suggestion_counts_against_the_name_at_once(corpus) -> None:
    a, b, new = add(corpus, ["وقال سلمان ان الاتفاق قريب .", "وقرر سلمان السفر .", "واضاف سلمان ان الوفد وصل ."])
    label(corpus, a, "سلمان", "PER")
    run_suggesters(corpus, ["learned"])
    [(_, _, before)] = learned(corpus, new)
    [suggestion] = corpus.suggestions(b, "learned")[0]
    corpus.decide_suggestion(b, ANNOTATOR, "entity", suggestion.start, suggestion.end, "PER", "rejected")
    run_suggesters(corpus, ["learned"])  # b is still in progress (not even started): the rejection counts
    assert learned(corpus, new) == [] or learned(corpus, new)[0][2] < before
