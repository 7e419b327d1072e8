"""Language detection: what lingua costs at start-up, in memory, per document and per import.

* start-up and peak RSS of the detectors (each in a fresh process): the per-script,
  low-accuracy detectors annotator builds, against lingua with every language
  (``--all-languages``: high accuracy; ~1 GB and ~20 s, so off by default);
* per document: ``detect_language`` (script, then lingua) against the script count alone
  on the 2,000 shared Arabic articles and the PolNeAR English articles;
* per import: ``import_paths`` of the same articles detecting the language, against the same
  import with ``language`` given (``--lang``), which skips detection and does everything else.

    .venv/bin/python benchmarks/bench_language.py [--all-languages]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.text import _dominant_script, detect_language  # noqa: E402
from annotator.formats.importer import import_paths  # noqa: E402
from annotator.store import Corpus  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
ARABIC = DATA / "saudinewsnet-sample.jsonl"
POLNEAR = DATA / "polnear" / "train" / "text"

STARTUP = r"""
import resource, sys, time
start = time.perf_counter()
{build}
print(f"{{time.perf_counter() - start:.2f}} {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}}")
"""
OURS = """
from annotator.core.text import detect_language
assert detect_language("The prime minister announced on Tuesday that the general election will be held in "
                       "November, after weeks of negotiations with the opposition parties.") == "en"
assert detect_language("رئیس جمهور روز سه‌شنبه اعلام کرد که انتخابات پس از هفته‌ها مذاکره با احزاب مخالف برگزار "
                       "خواهد شد.") == "fa"
"""
BASELINE = "import annotator.core.text"
ALL_HIGH = """
from lingua import LanguageDetectorBuilder
detector = LanguageDetectorBuilder.from_all_languages().build()
detector.detect_language_of("The prime minister announced on Tuesday that the election will be held in November.")
detector.detect_language_of("وقال رئيس الوزراء إن الانتخابات ستجرى في نوفمبر بعد أسابيع من المفاوضات مع أحزاب المعارضة")
"""


def startup(build: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", STARTUP.format(build=build)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    return float(out[0]), float(out[1])


def texts_of(name: str) -> list[str]:
    if name == "arabic":
        texts = [json.loads(line)["content"] for line in ARABIC.read_text(encoding="utf-8").splitlines()]
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted(POLNEAR.glob("*.txt"))]
    return [t for t in texts if t.strip()]


def per_document(name: str, texts: list[str]) -> None:
    detect_language(texts[0])  # the detector is built once per process: not part of the per-document cost
    start = time.perf_counter()
    for text in texts:
        _dominant_script(text)
    script_only = time.perf_counter() - start
    start = time.perf_counter()
    found: dict[str, int] = {}
    for text in texts:
        code = detect_language(text)
        found[code] = found.get(code, 0) + 1
    full = time.perf_counter() - start
    print(f"{name}: {len(texts):,} articles, detected {found}")
    print(f"  detect_language {full / len(texts) * 1000:.3f} ms/article; script count alone "
          f"{script_only / len(texts) * 1000:.3f} ms/article ({full / script_only:.1f}x)")


def per_import(name: str, texts: list[str], folder: Path) -> None:
    jsonl = folder / f"{name}.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for text in texts:
            out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    times = {}
    for label, language in (("detected", None), ("--lang", "ar" if name == "arabic" else "en")):
        with Corpus.open(folder / f"{name}-{label}.db") as corpus:
            start = time.perf_counter()
            summary = import_paths(corpus, [jsonl], language=language)
            times[label] = time.perf_counter() - start
            assert summary.ok, summary.errors[:3]
    extra = times["detected"] - times["--lang"]
    print(f"  import_paths: {times['detected']:.2f} s detecting, {times['--lang']:.2f} s with --lang "
          f"({times['detected'] / times['--lang']:.2f}x; detection {extra / len(texts) * 1000:.2f} ms/article)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-languages", action="store_true",
                        help="also measure lingua with every language in high-accuracy mode (~1 GB, ~20 s)")
    args = parser.parse_args()
    base_s, base_mb = startup(BASELINE)
    ours_s, ours_mb = startup(OURS)
    print(f"start-up: annotator.core.text alone {base_s:.2f} s, {base_mb:.0f} MB peak RSS; with the Latin- and "
          f"Arabic-script detectors built and used once {ours_s:.2f} s, {ours_mb:.0f} MB (+{ours_mb - base_mb:.0f} MB)")
    if args.all_languages:
        all_s, all_mb = startup(ALL_HIGH)
        print(f"  lingua with all 75 languages, high accuracy: {all_s:.2f} s, {all_mb:.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        for name, present in (("arabic", ARABIC.exists()), ("polnear", POLNEAR.exists())):
            if not present:
                print(f"skipped {name}: {ARABIC if name == 'arabic' else POLNEAR} is absent")
                continue
            texts = texts_of(name)
            per_document(name, texts)
            per_import(name, texts, Path(tmp))
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
