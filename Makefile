# The two front-door commands: `make run` and `make test`. Both create or update .venv
# themselves, are idempotent, and do nothing slow when nothing changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= corpus/corpus.db

.PHONY: run test bench lint clean-venv model-ar learning-curve quote-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's dependencies change.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	@$(BIN)/python -m annotator.ui.qt_platform  # the X11 libraries Qt needs, with the apt-get line if some are missing
	@test -f $(DB) || $(BIN)/annotator import seeds/ --db $(DB) --split-at-source
	$(BIN)/annotator open $(DB)

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

# Every benchmark but the learning curve, which has its own target (it trains six models).
bench: $(VENV)/.installed-bench
	@for script in $(filter-out benchmarks/bench_learning.py,$(wildcard benchmarks/bench_*.py)); do \
		echo "== $$script"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$script || exit 1; \
	done

# The model in the loop on ANERcorp (../shared/data): 50 ... 2,000 finished sentences, ~10-20 min on 2 shared cores.
learning-curve: $(VENV)/.installed-bench
	nice $(BIN)/python benchmarks/bench_learning.py --png docs/learning-curve.png

# Rebuild the shipped Arabic news NER model (resources/models/ar_news_ner) from ANERcorp and the shared
# articles in ../shared/data: the recipe is annotator/train/ar_ner_recipe.py (CPU, ~30-60 min).
model-ar: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,model]'
	nice $(BIN)/python -m annotator.train.ar_ner_recipe ../shared/data

# The English quote model, trained from PolNeAR's train split where the data is (not shipped:
# PolNeAR states no licence for its articles). Registered in build/quotes-en/corpus.db; measure it with
# `python benchmarks/bench_quotes.py --model build/quotes-en/model-best`.
POLNEAR ?= ../shared/data/polnear
quote-model: $(VENV)/.installed-app
	nice $(BIN)/python -m annotator.train.quote_recipe $(POLNEAR)/train build/quotes-en

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

clean-venv:
	rm -rf $(VENV)
