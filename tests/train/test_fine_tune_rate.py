"""How freely a resumed model may move: by the new articles' share of all the articles behind it."""

from annotator.train.job import COLD_LEARN_RATE, FINE_TUNE_LEARN_RATE, fine_tune_rate


def test_a_shipped_base_is_resumed_gently_and_a_young_one_freely():
    assert fine_tune_rate(40, None) == FINE_TUNE_LEARN_RATE  # shipped: trained on an unknown, large amount
    assert fine_tune_rate(200, 1009) == FINE_TUNE_LEARN_RATE  # far more behind it than in front of it
    assert FINE_TUNE_LEARN_RATE < fine_tune_rate(80, 40) < COLD_LEARN_RATE
    assert fine_tune_rate(10_000, 1) == COLD_LEARN_RATE
