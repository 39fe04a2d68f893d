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
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
        if w.isalpha() and len(w) > CHAR_N - 1:
            grams.extend(_char_grams(w))
        if _NUM.match(w):
            norm.append("__num__")
        elif w in _SHAPES:
            norm.append(_SHAPES[w])
        elif "://" in w or w.startswith("www.") or re.search(r"\.(com|cn|net|org|io)\b", w):
            norm.append("__url__")
        else:
            norm.append(w)
    out = list(norm)
    out.extend(f"{a} {b}" for a, b in zip(norm, norm[1:]))
    if norm:
        out.append("__bos__ " + norm[0])
    out.extend(grams)
    return out


@lru_cache(maxsize=200_000)
def _char_grams(word: str) -> tuple[str, ...]:
    # Words repeat across sentences and articles: compute each word's grams once.
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

    def decision(self, feats: list[str]) -> float:
        counts: dict[int, int] = {}
        for f in feats:
            i = self.index.get(f)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return self.intercept
        # sublinear tf, idf, l2 norm: TfidfVectorizer(sublinear_tf=True)
        weights = {i: (1.0 + math.log(c)) * self.idf[i] for i, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return self.intercept + sum(w * self.coef[i] for i, w in weights.items()) / norm

    def probability(self, feats: list[str]) -> float:
        z = self.calib_a * self.decision(feats) + self.calib_b
        # scikit-learn's _SigmoidCalibration: 1 / (1 + exp(a * f + b))
        if z >= 0:
            return math.exp(-z) / (1.0 + math.exp(-z))
        return 1.0 / (1.0 + math.exp(z))

    def predict_words(self, sentences: list[list[str]]) -> list[float]:
        return [self.probability(features(words)) for words in sentences]


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
