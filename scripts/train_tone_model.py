"""Train the tone model the lint uses besides its rules (letterkit/lint/model/<lang>.tsv).

    pip install scikit-learn        # for training only; letterkit reads the model without it
    python scripts/train_tone_model.py [--check HOLDOUT_FOLDER]

The rules find wording they know; the model judges a sentence as a whole, from its words
and word pairs, and catches the paraphrases the rules miss ("Es war Ihre Entscheidung, die
Tests zu streichen"). It is a multinomial logistic regression over TF-IDF weighted words
and word pairs (scikit-learn's defaults: lower case, tokens of two or more word
characters, sublinear term frequency), with one class per category and one for "fine".

Training data: every labelled sentence in tests/lint_corpus (de.yaml/en.yaml, dev2,
holdout2 and training/*), written for this project, the sentences of its whole drafts, plus
the sentences of the letters letterkit composes (fine by definition: they must lint clean),
plus every rule's ``pass`` examples as fine sentences (a rule's words in harmless use: the
hard negatives a model of words alone gets wrong).

The threshold: a sentence no rule flags is flagged when the model gives it a probability
of at least T of not being fine. T is the smallest value (in steps of 0.05) at which the
rules and the model together keep a precision of at least 0.97 in 5-fold
cross-validation on the training data (the rules' examples left out of that count: they
are made up around the rules, not text the lint meets), plus a margin of 0.05 (drafts in
the wild are not the labelled sets); it is written into the model file. The labelled
sets are never scored with a model that saw them: --check scores a held-out folder.

The file: lines ``#key<TAB>value`` (classes, intercepts, threshold, how it was trained),
then one line per feature: ``feature<TAB>idf<TAB>coefficient per class``. A reference
file (tests/lint_corpus/model_reference.json) keeps the probabilities scikit-learn gives
a sample of sentences, which the tests compare with letterkit's own reading of the file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import yaml

from letterkit.lint.engine import judged as engine_judges
from letterkit.lint.text import TOKEN, Draft, Sentence

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "lint_corpus"
OUT = ROOT / "letterkit" / "lint" / "model"
REFERENCE = CORPUS / "model_reference.json"
TARGET_PRECISION = 0.97
FINE_WEIGHT = 2.0
MARGIN = 0.05  # above the cross-validated threshold: real drafts are not the labelled sets


def labelled(lang: str) -> list[tuple[str, str]]:
    """(sentence, class) of every labelled set; class 'fine' or the category."""
    files = [CORPUS / f"{lang}.yaml", CORPUS / "dev2" / f"{lang}.yaml", CORPUS / "holdout2" / f"{lang}.yaml"]
    files += sorted(CORPUS.glob(f"training/*/{lang}.yaml"))
    items: list[tuple[str, str]] = []
    for path in files:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            items.append((str(item["text"]), str(item["category"]) if item["flag"] else "fine"))
    return [(text, label) for text, label in items + drafted(lang) if label not in UNSEEN]


# What the model cannot see: it reads words in lower case, so capitals and "!!!" are no
# features; trained on such sentences it learnt "shouting" from their ordinary words and
# read "You must be very busy at the moment, so there is no rush." as a raised voice. The
# shouting rules find these; the model is not trained on them.
UNSEEN = frozenset({"shouting"})


def rule_examples(lang: str) -> list[tuple[str, str]]:
    """The examples every rule carries (letterkit/lint/rules/<lang>): each ``pass`` example
    fine — most are the rule's words in harmless use, the hard negatives a model of words
    alone gets wrong — and each ``fail`` example in the rule's category (tone categories only;
    structure and the model's own rule are left out)."""
    from letterkit.lint.rules import load_rules

    items: list[tuple[str, str]] = []
    for rule in load_rules(lang):
        if rule.kind in ("structure", "model") or rule.category in ("structure", "judged"):
            continue
        items += [(str(text), "fine") for text in rule.examples.get("pass") or []]
        # (fail examples left out: the rules catch them already, and they crowd the threshold)
    return items


def drafted(lang: str) -> list[tuple[str, str]]:
    """The sentences of the whole drafts in tests/lint_corpus/drafts (the model reads
    sentences, not lines): one holding an expected finding's text in that finding's
    category, every other sentence of three words or more fine; the quoted
    history of a reply (from its 'Am … schrieb' / 'On … wrote:' line, and '>' lines) is
    left out, as the lint leaves it out."""
    items: list[tuple[str, str]] = []
    for expected_path in sorted((CORPUS / "drafts").glob(f"{lang}*.expected.yaml")):
        expected = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
        stem = expected_path.name.removesuffix(".expected.yaml")
        (draft,) = [p for p in expected_path.parent.glob(f"{stem}.*") if not p.name.endswith(".yaml")]
        flagged: dict[int, list[tuple[str, str]]] = {}
        for finding in expected.get("findings") or []:
            flagged.setdefault(int(finding["line"]), []).append(
                (str(finding["text"]), str(finding["category"]))
            )
        for number, line in enumerate(draft.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith(">") or "schrieb" in line or "wrote:" in line:
                if not line.startswith(">"):
                    break  # the quoted history starts here
                continue
            # sentence by sentence, as the engine reads them: a sentence holding an expected
            # finding's text in its category, the others of the line fine
            for sentence in Draft(line).sentences():
                if len(sentence.words) < 3:
                    continue
                found = [c for text, c in flagged.get(number, []) if _overlaps(line, text, sentence)]
                items.append((sentence.text.strip(), found[0] if found else "fine"))
    return items


def _overlaps(line: str, text: str, sentence: Sentence) -> bool:
    """Does an expected finding's text (a substring of the line) fall in the sentence?"""
    at = line.find(text)
    return at >= 0 and at < sentence.end and at + len(text) > sentence.start


def composed(lang: str) -> list[tuple[str, str]]:
    """The sentences letterkit itself writes (fine by definition: its letters must lint
    clean): the samples, and for every reason each kind of step taken (once, several
    times, on dates), a final invoice of 0, in every locale, register and channel."""
    import copy
    import itertools

    import letterkit
    from letterkit.lint.text import Draft
    from letterkit.parts import reason_codes
    from letterkit.schema import STEP_KINDS

    inputs: list[object] = [p for p in sorted((ROOT / "samples").glob("*.yaml"))]
    registers = {
        "de": [("de-DE", "sie"), ("de-DE", "du"), ("de-AT", "sie"), ("de-CH", "du")],
        "en": [("en-GB", None), ("en-US", None)],
    }
    steps = [{"count": 1}, {"count": 3}, {"dates": ["2026-08-05", "2026-09-02"]}, {"date": "2026-09-15"}]
    from letterkit.sources import read_input

    sample = "de-DE-wartungsvertrag.yaml" if lang == "de" else "en-GB-bookkeeping.yaml"
    base = read_input(ROOT / "samples" / sample)[0]
    for (locale, register), channel, reason, step in itertools.product(
        registers[lang], ("letter", "email"), reason_codes(), steps
    ):
        data = copy.deepcopy(base)
        data.update(locale=locale, channel=channel, reasons=[reason])
        data["steps_taken"] = [{"kind": kind, **step} for kind in STEP_KINDS]
        if register:
            data["register"] = register
        if channel == "email" and not data["recipient"].get("email"):
            data["recipient"]["email"] = "client@example.com"
        inputs.append(data)
        if reason == "unspecified" and step == steps[0]:
            zero = copy.deepcopy(data)
            zero.setdefault("final_invoice", {"due_date": "2027-01-15"})["amount"] = "0"
            inputs.append(zero)
    sentences: set[str] = set()
    for source in inputs:
        try:
            letter = letterkit.compose(source)
        except letterkit.LetterkitError:
            continue
        if letter.lang == lang:
            for block in letter.blocks:
                sentences.update(s.text for s in Draft(block.text).sentences())
    return [(text, "fine") for text in sorted(sentences)]


def rules_flag(texts: list[str], lang: str) -> np.ndarray:
    from letterkit.lint import lint

    return np.array(
        [any(f.category != "structure" for f in lint(t + "\n", lang=lang, ignore=["judged"])) for t in texts]
    )


def precision_recall(flagged: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    tp = int((flagged & gold).sum())
    fp = int((flagged & ~gold).sum())
    fn = int((~flagged & gold).sum())
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def train(lang: str) -> dict[str, object]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline

    data = labelled(lang)
    extra = composed(lang)
    examples = rule_examples(lang)
    texts = [t for t, _ in data + extra + examples]
    classes = [c for _, c in data + extra + examples]
    gold = np.array([c != "fine" for c in classes])
    # the threshold is set on the labelled sets and letterkit's letters, the text the lint
    # meets; the rules' examples (hard negatives made up around each rule's words) only teach
    calibrate = np.array([True] * (len(data) + len(extra)) + [False] * len(examples))

    def model() -> object:
        return make_pipeline(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(C=8, max_iter=5000),
        )

    # Real letters are mostly fine sentences, the labelled sets about half: fine sentences
    # weigh FINE_WEIGHT times, so that a sentence of unknown words leans to fine.
    weights = np.array([FINE_WEIGHT if c == "fine" else 1.0 for c in classes])
    fit = {"logisticregression__sample_weight": weights}
    folds = cross_val_predict(model(), texts, classes, cv=5, method="predict_proba", params=fit)
    fitted = model()
    fitted.fit(texts, classes, **fit)
    vectorizer, regression = fitted[0], fitted[1]
    fine = list(regression.classes_).index("fine")
    rules = rules_flag(texts, lang)
    judged = np.array([engine_judges(TOKEN.findall(t), lang) for t in texts])  # what the engine judges
    threshold = MARGIN + next(
        round(float(t), 2)
        for t in np.arange(0.3, 0.96, 0.05)
        if precision_recall((rules | (judged & (1 - folds[:, fine] >= t)))[calibrate], gold[calibrate])[0]
        >= TARGET_PRECISION
    )
    threshold = round(threshold, 2)
    cv_precision, cv_recall = precision_recall(
        (rules | (judged & (1 - folds[:, fine] >= threshold)))[calibrate], gold[calibrate]
    )
    print(
        f"{lang}: {len(data)} labelled + {len(extra)} composed sentences + {len(examples)} rule examples, "
        f"{len(vectorizer.vocabulary_)} features; "
        f"threshold {threshold}: cross-validated with the rules P {cv_precision:.3f} R {cv_recall:.3f}"
    )
    features = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    idf = vectorizer.idf_
    coef = regression.coef_
    lines = [
        "#version\t1",
        f"#classes\t{' '.join(str(c) for c in regression.classes_)}",
        f"#intercepts\t{' '.join(f'{x:.6g}' for x in regression.intercept_)}",
        f"#threshold\t{threshold}",
        f"#trained on\t{len(data)} labelled and {len(extra)} composed sentences, {len(examples)} rule examples",
        f"#cross-validated with the rules\tprecision {cv_precision:.3f} recall {cv_recall:.3f}",
    ]
    for feature in features:
        column = vectorizer.vocabulary_[feature]
        weights = " ".join(f"{w:.6g}" for w in coef[:, column])
        lines.append(f"{feature}\t{idf[column]:.6g}\t{weights}")
    OUT.mkdir(exist_ok=True)
    (OUT / f"{lang}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sample = texts[:: max(1, len(texts) // 40)]
    return {"lang": lang, "texts": sample, "flag": [float(1 - p[fine]) for p in fitted.predict_proba(sample)]}


def check(folder: Path) -> None:
    """Score a held-out folder with the rules alone and with rules and model, and list the
    misses and false alarms of rules and model per language: the sentence, its expected
    category, what fired. A sentence counts as flagged by a warning or an error, or by an
    info note in its labelled category (letterkit.lint.accuracy); an info note elsewhere
    ("leider" on an apology) is no call to change the sentence and no false alarm. The
    figures that count every info note as a flag follow on the next line."""
    from letterkit.lint.accuracy import score

    print("flagged: a warning or an error, or an info note in the sentence's labelled category")
    for lang in ("de", "en"):
        items = yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8"))
        rules = score(items, lang, ignore=["judged"])
        both = score(items, lang)
        print(
            f"{lang} {folder}: rules P %.3f R %.3f; rules and model P %.3f R %.3f"
            % (rules.precision, rules.recall, both.precision, both.recall)
        )
        print(
            f"{lang}   counting info notes as flags too: rules P %.3f R %.3f; rules and model P %.3f R %.3f"
            % (
                rules.with_info.precision,
                rules.with_info.recall,
                both.with_info.precision,
                both.with_info.recall,
            )
        )
        print(f"{lang}   rules and model: {both.counts()}")
        for line in both.details():
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", type=Path, help="only score this held-out folder (de.yaml, en.yaml)")
    args = parser.parse_args()
    if args.check:
        check(args.check)
        return
    from letterkit.lint import model

    model.MODEL_DIR = OUT / "none"  # the letters composed for training are linted without a model
    model.tone_model.cache_clear()
    reference = [train(lang) for lang in ("de", "en")]
    REFERENCE.write_text(json.dumps(reference, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
