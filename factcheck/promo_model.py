"""The sentence-level promotion classifier at run time: plain arrays, no pickle.

``factcheck train`` fits scikit-learn's TfidfVectorizer + LogisticRegression
with sigmoid calibration and exports what prediction needs (vocabulary, idf,
coefficients, calibration) as JSON, with a sidecar of library versions, the
corpus hash, held-out scores and the model file's SHA-256. Loading checks that
checksum and executes nothing. Prediction re-implements the three linear steps
(tf-idf, dot product, sigmoid) so that a check does not pay scikit-learn's
import time; ``tests/test_promo_model.py`` asserts it equals scikit-learn's
own ``predict_proba`` on the same inputs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError
from .resources import shipped_model_dir

MODEL_FORMAT = "factcheck.promo-model/1"
MODEL_FILE = "promo-model.json"
META_FILE = "promo-model.meta.json"

_NUM = re.compile(r"^\d[\d,.]*$")
_SHAPES = {
    "$": "__cur__", "¥": "__cur__", "€": "__cur__", "£": "__cur__", "%": "__pct__",
    "!": "__excl__", "?": "__quest__",
}
# Quotation marks are left out on purpose: news quotes people all the time, and
# with quotes as features the model read every quoted sentence as a testimonial
# (27% -> 23% of BBC dev sentences above 0.5 without them, same ad recall).
_QUOTES = {'"', "“", "”", "'", "‘", "’", "«", "»"}
CHAR_N = 4


def features(words: list[str]) -> list[str]:
    """Features of one sentence from its lower-cased tokens.

    Words, word bigrams, character 4-grams inside words (so unseen brand-ish
    and inflected words still carry signal) and shapes; numbers collapse to a
    shape so that "40% off" and "15% off" look alike.
    """
    norm: list[str] = []
    grams: list[str] = []
    for w in words:
        if not w or w.isspace() or w in _QUOTES:
            continue
        grams.extend(_word_grams(w))
        norm.append(_normalise(w))
    out = list(norm)
    out.extend(f"{a} {b}" for a, b in zip(norm, norm[1:]))
    if norm:
        out.append("__bos__ " + norm[0])
    out.extend(grams)
    return out


_URL = re.compile(r"\.(com|cn|net|org|io)\b")


def _normalise(w: str) -> str:
    if _NUM.match(w):
        return "__num__"
    if w in _SHAPES:
        return _SHAPES[w]
    if "://" in w or w.startswith("www.") or _URL.search(w):
        return "__url__"
    return w


@lru_cache(maxsize=200_000)
def _word_grams(word: str) -> tuple[str, ...]:
    # Words repeat across sentences and articles: compute each word's grams once.
    if not (word.isalpha() and len(word) > CHAR_N - 1):
        return ()
    padded = f"<{word}>"
    return tuple("#" + padded[i:i + CHAR_N] for i in range(len(padded) - CHAR_N + 1))


def tokens_of(text: str, tokenizer) -> list[str]:
    return [t.lower_ for t in tokenizer(text)]


@dataclass(frozen=True)
class PromoModel:
    """Calibrated P(promotional | sentence) from exported linear-model arrays."""

    index: dict[str, int]
    idf: list[float]
    coef: list[float]
    intercept: float
    calib_a: float
    calib_b: float
    meta: dict
    # word -> (normalised word, vocabulary indices of it and its char grams)
    _word_cache: dict = field(default_factory=dict, compare=False, repr=False)
    _numpy: dict = field(default_factory=dict, compare=False, repr=False)  # idf, coef arrays

    def predict_words(self, sentences: list[list[str]]) -> list[float]:
        """P(promotional) per sentence: scikit-learn's ``predict_proba`` on ``features(words)``.

        Words go straight to vocabulary indices through a per-word cache (the
        word's own index and those of its character grams), and the tf-idf,
        norm and dot product of all sentences run as a few numpy operations:
        building and scoring ~150 feature strings per sentence in Python was
        the classifier's cost (about 1.5 ms an article).
        """
        index, cache = self.index, self._word_cache
        if len(cache) > 200_000:
            cache.clear()
        ids: list[int] = []
        sizes: list[int] = []
        for words in sentences:
            before = len(ids)
            prev = first = None
            for w in words:
                if not w or w.isspace() or w in _QUOTES:
                    continue
                entry = cache.get(w)
                if entry is None:
                    norm = _normalise(w)
                    entry = cache[w] = (norm, tuple(i for i in ([index.get(norm)] + [
                        index.get(g) for g in _word_grams(w)]) if i is not None))
                norm, known = entry
                ids.extend(known)
                if prev is None:
                    first = norm
                else:
                    i = index.get(prev + " " + norm)
                    if i is not None:
                        ids.append(i)
                prev = norm
            if first is not None:
                i = index.get("__bos__ " + first)
                if i is not None:
                    ids.append(i)
            sizes.append(len(ids) - before)
        n = len(sentences)
        if not n:
            return []
        idf, coef = self._arrays()
        vocab = len(idf)
        rows = np.repeat(np.arange(n, dtype=np.int64), sizes)
        keys, counts = np.unique(rows * vocab + np.asarray(ids, dtype=np.int64), return_counts=True)
        feature, row = keys % vocab, keys // vocab
        # sublinear tf, idf, l2 norm: TfidfVectorizer(sublinear_tf=True)
        weight = (1.0 + np.log(counts)) * idf[feature]
        squares = np.bincount(row, weight * weight, minlength=n)
        dot = np.bincount(row, weight * coef[feature], minlength=n)
        norm = np.sqrt(squares)
        decision = self.intercept + np.divide(dot, norm, out=np.zeros(n), where=norm > 0)
        # scikit-learn's _SigmoidCalibration: 1 / (1 + exp(a * f + b))
        z = self.calib_a * decision + self.calib_b
        with np.errstate(over="ignore"):
            return (1.0 / (1.0 + np.exp(z))).tolist()

    def _arrays(self):
        arrays = self._numpy
        if not arrays:
            arrays["idf"] = np.asarray(self.idf, dtype=np.float64)
            arrays["coef"] = np.asarray(self.coef, dtype=np.float64)
        return arrays["idf"], arrays["coef"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_model(directory: Path | None = None) -> PromoModel:
    """Load and verify the model; refuse a file whose checksum differs from its sidecar."""
    directory = Path(directory) if directory else shipped_model_dir()
    model_path, meta_path = directory / MODEL_FILE, directory / META_FILE
    if not model_path.is_file() or not meta_path.is_file():
        raise ModelError(f"no promotion model in {directory}",
                         hint="run `factcheck train` in a checkout, or pass --no-model")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"model sidecar unreadable: {exc}", path=str(meta_path)) from None
    digest = sha256_file(model_path)
    if not isinstance(meta, dict) or meta.get("model_sha256") != digest:
        raise ModelError("model file does not match the checksum in its sidecar (altered or "
                         "from elsewhere); refusing to load it", path=str(model_path),
                         hint="retrain with `factcheck train`")
    try:
        data = json.loads(model_path.read_text("utf-8"))
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        vocab = data["vocabulary"]
        model = PromoModel(index={f: i for i, f in enumerate(vocab)}, idf=list(map(float, data["idf"])),
                           coef=list(map(float, data["coef"])), intercept=float(data["intercept"]),
                           calib_a=float(data["calibration"]["a"]),
                           calib_b=float(data["calibration"]["b"]), meta=meta)
        if not (len(model.idf) == len(model.coef) == len(vocab)):
            raise ValueError("array lengths differ")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"model file malformed: {exc}", path=str(model_path)) from None
    return model
