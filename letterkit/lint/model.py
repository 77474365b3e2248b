"""The tone model: how likely a sentence is to need rewording, and as what, from its words.

The rules know wording; the model (trained by scripts/train_tone_model.py on the labelled
sentences in tests/lint_corpus) weighs every word and word pair of a sentence and catches
paraphrases no rule names. It is read here without scikit-learn, from the data file
letterkit/lint/model/<lang>.tsv: TF-IDF features as scikit-learn makes them (lower case,
tokens of two or more word characters, words and word pairs, 1 + log of the count, times
the idf, scaled to unit length), then a multinomial logistic regression (softmax). The
file starts with ``#key<TAB>value`` lines (classes, intercepts, threshold, and ``spelling``
when German is read with ß as ss), then one line per feature: ``feature<TAB>idf<TAB>coefficient per class``.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from zlib import crc32

from ..errors import TemplateError
from .regexes import regex
from .spelling import SPELLED_OUT

MODEL_DIR = Path(__file__).resolve().parent / "model"
_TOKEN = regex(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_KNOWN_LIMIT = 50_000  # words and pairs remembered per process (a few MB)


@dataclass(frozen=True)
class Judgement:
    """The probability that a sentence is not fine, and the category it most likely is."""

    flag: float
    category: str


class ToneModel:
    """One language's model, loaded once."""

    def __init__(self, path: Path) -> None:
        self.key = ""  # what a cached copy was made from (see tone_model)
        meta: dict[str, str] = {}
        features: list[str] = []
        # per row its idf, and its coefficients (times the idf, see judge) one after the
        # other in one flat array
        self._idf = array("d")
        self._weights = array("d")
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    key, value = line[1:].rstrip("\n").split("\t", 1)
                    meta[key] = value
                    continue
                try:
                    feature, idf_text, weights = line.rstrip("\n").split("\t")
                    idf = float(idf_text)
                    row = [idf * float(w) for w in weights.split()]
                    if len(row) != len(meta["classes"].split()) or not feature:
                        raise ValueError
                except (ValueError, KeyError):
                    raise TemplateError(f"{path}: not a tone model file (line {line[:40]!r})") from None
                features.append(feature)
                self._idf.append(idf)
                self._weights.extend(row)
        try:
            self._features = _FeatureTable(features)
        except ValueError as problem:
            raise TemplateError(f"{path}: not a tone model file ({problem})") from None
        self.classes: list[str] = meta["classes"].split()
        self.intercepts: list[float] = [float(x) for x in meta["intercepts"].split()]
        self.threshold = float(meta["threshold"])
        # trained on German with ß read as ss (#spelling): so are the drafts it judges
        self.sharp_s_as_ss = meta.get("spelling") == "ß as ss"
        self._fine = self.classes.index("fine")
        # German typed without umlauts ("unverschaemt") is read as written with them
        self.respells = path.stem == "de"
        self._fresh()

    def _fresh(self) -> None:
        """What a process fills as it judges: each feature's row once looked up, each row
        as a tuple once needed (a slice of the array is a new array whose floats are boxed
        again on every sum)."""
        self._known: dict[str, int | None] = {}
        self._tuples: dict[int, tuple[float, ...]] = {}
        self._respelled: dict[str, str] | None = None

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_known"], state["_tuples"], state["_respelled"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._fresh()

    def _row(self, gram: str) -> int | None:
        """The row of ``gram``, remembered: a sentence's words recur in the next ones."""
        known = self._known
        at = known.get(gram, -1)
        if at == -1:
            if len(known) >= _KNOWN_LIMIT:  # a long-lived process linting draft after draft
                known.clear()
            at = known[gram] = self._features.row(gram)
        return at

    def judge(self, text: str) -> Judgement:
        """The model's reading of one sentence."""
        row_of = self._row
        lowered = text.lower()
        tokens = _TOKEN.findall(lowered.replace("ß", "ss") if self.sharp_s_as_ss else lowered)
        if self.respells and text.isascii():  # a sentence with an umlaut is written with them
            tokens = [token if row_of(token) is not None else self._with_umlauts(token) for token in tokens]
        counts: dict[str, int] = {}
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
        for a, b in pairwise(tokens):
            if row_of(a) is not None and row_of(b) is not None:  # a known pair is made of known words
                pair = f"{a} {b}"
                counts[pair] = counts.get(pair, 0) + 1
        idfs, weights, width, tuples = self._idf, self._weights, len(self.classes), self._tuples
        rows: list[Sequence[float]] = []
        square = 0.0
        for gram, count in counts.items():
            at = row_of(gram)
            if at is None:
                continue
            idf = idfs[at]
            row = tuples.get(at)
            if row is None:
                row = tuples[at] = tuple(weights[at * width : (at + 1) * width])
            if count == 1:
                rows.append(row)
                square += idf * idf
            else:  # 1 + log of the count, as scikit-learn's sublinear_tf
                tf = 1 + math.log(count)
                rows.append([tf * w for w in row])
                square += (tf * idf) ** 2
        if rows:  # the rows are idf x coefficient: sum each class's column, scale to unit length
            norm = math.sqrt(square)
            scores = [
                b + total / norm
                for b, total in zip(self.intercepts, map(sum, zip(*rows, strict=True)), strict=True)
            ]
        else:
            scores = list(self.intercepts)
        top = max(scores)
        exps = [math.exp(x - top) for x in scores]
        fine = self._fine
        flag = 1 - exps[fine] / sum(exps)
        scores[fine] = -math.inf
        return Judgement(flag, self.classes[scores.index(max(scores))])


    def _with_umlauts(self, token: str) -> str:
        """The known word that ``token`` is when typed without umlauts or ß ("versaeumt":
        "versäumt"), or ``token`` itself. The table of them is made when first needed."""
        respelled = self._respelled
        if respelled is None:
            respelled = self._respelled = {}
            for feature in self._features.names():
                plain = feature.translate(SPELLED_OUT)
                if plain != feature and " " not in feature and self._features.row(plain) is None:
                    respelled[plain] = feature
        return respelled.get(token, token)


class _FeatureTable:
    """The features' rows, found by a hash table kept in arrays: a model has some 30,000
    features, and a dict of them took ~6 ms to unpickle in every process that lints; these
    arrays and one bytes object load as fast as the file is read. The hash is CRC-32 of the
    UTF-8 text (stable between processes, unlike ``hash``); the table is open addressing
    with linear probing, at most half full."""

    def __init__(self, features: Sequence[str]) -> None:
        encoded = [feature.encode("utf-8") for feature in features]
        self._text = b"".join(encoded)
        self._starts = array("I", [0])
        for feature in encoded:
            self._starts.append(self._starts[-1] + len(feature))
        size = 1 << max(4, (2 * len(features)).bit_length())
        self._mask = size - 1
        self._table = array("i", [-1]) * size
        for number, (name, key) in enumerate(zip(features, encoded, strict=True)):
            if self.row(name) is not None:
                raise ValueError(f"feature {name!r} twice")
            at = crc32(key) & self._mask
            while self._table[at] >= 0:
                at = (at + 1) & self._mask
            self._table[at] = number

    def names(self) -> list[str]:
        """Every feature, in row order."""
        text, starts = self._text, self._starts
        return [text[starts[n] : starts[n + 1]].decode("utf-8") for n in range(len(starts) - 1)]

    def row(self, feature: str) -> int | None:
        """The row of ``feature``, or None for a feature the model does not know."""
        table, starts, text, mask = self._table, self._starts, self._text, self._mask
        key = feature.encode("utf-8")
        at = crc32(key) & mask
        while True:
            number = table[at]
            if number < 0:
                return None
            if text[starts[number] : starts[number + 1]] == key:
                return number
            at = (at + 1) & mask


@cache
def tone_model(lang: str) -> ToneModel | None:
    """The model of a language, or None when there is none. Parsing the file takes a cold
    start ~60 ms, so the parsed model is kept in the user's cache folder (as the rules
    are), keyed by the file's size and modification time; loading it takes ~10 ms."""

    from .. import __version__
    from .rules import cache_digest, cache_folder, load_cache, remove_older, save_cache

    path = MODEL_DIR / f"{lang}.tsv"
    if not path.is_file():
        return None
    stat = path.stat()
    key = f"tone model 7\0{__version__}\0{lang}\0{stat.st_size}:{stat.st_mtime_ns}"
    cache = cache_folder() / f"tone-{lang}-{cache_digest(key)}.pickle"
    found = load_cache(cache)
    if isinstance(found, ToneModel) and found.key == key:
        return found
    model = ToneModel(path)
    model.key = key
    if save_cache(model, cache):
        remove_older(cache, rf"tone-{re.escape(lang)}-{{hex}}\.pickle")
    return model
