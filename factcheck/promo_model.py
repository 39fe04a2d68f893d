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
from typing import Callable

import numpy as np
from spacy.strings import hash_string

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
MAX_CACHE = 200_000  # distinct words remembered per model
SKIPPED = -1  # id of a word that is no feature (space, quotation mark)
NO_PAIR = (1 << 31) - 1  # id of a word in no bigram or first-word feature


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


def _char_grams(word: str) -> tuple[str, ...]:
    if not (word.isalpha() and len(word) > CHAR_N - 1):
        return ()
    padded = f"<{word}>"
    return tuple("#" + padded[i:i + CHAR_N] for i in range(len(padded) - CHAR_N + 1))


# Words repeat across sentences and articles: ``features`` computes each word's
# grams once. (``predict_hashes`` meets each word once anyway: it calls _char_grams.)
_word_grams = lru_cache(maxsize=200_000)(_char_grams)


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
    # Lookup tables built on first use (see _tables) and a per-word cache that lives as
    # long as the model (a worker's lifetime), bounded by MAX_CACHE words.
    _tables: dict = field(default_factory=dict, compare=False, repr=False)
    _words: dict = field(default_factory=dict, compare=False, repr=False)

    def predict_words(self, sentences: list[list[str]]) -> list[float]:
        """P(promotional) per sentence: scikit-learn's ``predict_proba`` on ``features(words)``.

        ``sentences`` are lists of lower-cased tokens; ``predict_hashes`` is the
        same computation on a Doc's token hashes.
        """
        hashes: list[int] = []
        rows: list[int] = []
        strings: dict[int, str] = {}
        for row, words in enumerate(sentences):
            for w in words:
                h = hash_string(w)
                strings[h] = w
                hashes.append(h)
                rows.append(row)
        return self.predict_hashes(np.array(hashes, dtype=np.uint64), np.array(rows, dtype=np.int64),
                                   len(sentences), strings.__getitem__)

    def predict_hashes(self, hashes: np.ndarray, rows: np.ndarray, n: int,
                       string_of: Callable[[int], str]) -> list[float]:
        """P(promotional) for ``n`` sentences given their tokens in order: ``hashes``
        (spaCy StringStore hashes of the lower-cased words), ``rows`` (the sentence
        of each token, non-decreasing) and ``string_of`` (hash -> word).

        Python touches each distinct word of the article once, through a cache of
        its normalised form and feature ids; bigrams and first words are looked up
        by numbers in sorted tables, and features are counted and scored with
        numpy. A loop over every token building feature strings was the
        classifier's cost (0.7 ms of a 4.3 ms check).
        """
        if not n:
            return []
        t = self._lookup_tables()
        words = self._words
        if len(words) > MAX_CACHE:
            words.clear()
            t["used"] = t["slots"] = 0
        get = words.get
        distinct, inverse = np.unique(hashes, return_inverse=True)
        distinct = distinct.tolist()
        slots = np.array([get(h, -1) for h in distinct], dtype=np.int64)
        missing = np.flatnonzero(slots < 0).tolist()
        if missing:  # words this model has not met yet
            slots[missing] = self._add_words([distinct[k] for k in missing], string_of)
        slots = slots[inverse.reshape(-1)]
        norm = t["norm"][slots]
        kept = norm != SKIPPED  # spaces and quotation marks are not features
        slots, norm = slots[kept], norm[kept]
        start, size = t["start"][slots], t["size"][slots]
        rows = np.asarray(rows, dtype=np.int64)[kept]

        # each word's own and character-gram ids, gathered from the flat id store
        firsts = np.cumsum(size) - size
        at = np.repeat(start - firsts, size) + np.arange(size.sum())
        ids = [t["flat"][at]]
        id_rows = [np.repeat(rows, size)]

        # word bigrams inside a sentence
        same = rows[1:] == rows[:-1]
        ids_, rows_ = _lookup(t["pair_keys"], t["pair_ids"], (norm[:-1][same] << 32) | norm[1:][same],
                              rows[1:][same])
        ids.append(ids_)
        id_rows.append(rows_)
        # the sentence's first word
        opens = np.ones(len(rows), dtype=bool)
        opens[1:] = ~same
        ids_, rows_ = _lookup(t["bos_keys"], t["bos_ids"], norm[opens], rows[opens])
        ids.append(ids_)
        id_rows.append(rows_)

        idf, coef = t["idf"], t["coef"]
        vocab = len(idf)
        keys, counts = _counts(np.concatenate(id_rows) * vocab + np.concatenate(ids))
        feature, row = keys % vocab, keys // vocab
        # sublinear tf, idf, l2 norm: TfidfVectorizer(sublinear_tf=True)
        weight = (1.0 + np.log(counts)) * idf[feature]
        squares = np.bincount(row, weight * weight, minlength=n)
        dot = np.bincount(row, weight * coef[feature], minlength=n)
        length = np.sqrt(squares)
        decision = self.intercept + np.divide(dot, length, out=np.zeros(n), where=length > 0)
        # scikit-learn's _SigmoidCalibration: 1 / (1 + exp(a * f + b))
        z = self.calib_a * decision + self.calib_b
        with np.errstate(over="ignore"):
            return (1.0 / (1.0 + np.exp(z))).tolist()

    def _lookup_tables(self) -> dict:
        """Numbers for the string features, built once (~10 ms for the shipped model).

        Normalised words that open a bigram or "__bos__" feature get ids; each such
        feature becomes a key (id << 32 | id, or the id) in a sorted array, so a
        Doc's bigrams are found with one ``searchsorted``. Other words get
        NO_PAIR, which is in no key.
        """
        t = self._tables
        if not t:
            norm_ids: dict[str, int] = {}
            pairs, bos = {}, {}
            for feature, i in self.index.items():
                if feature.startswith("__bos__ "):
                    bos[norm_ids.setdefault(feature[8:], len(norm_ids))] = i
                if " " in feature:  # "__bos__ w" too: the bigram of a word "__bos__" and w
                    first, second = feature.split(" ", 1)
                    a = norm_ids.setdefault(first, len(norm_ids))
                    pairs[a << 32 | norm_ids.setdefault(second, len(norm_ids))] = i
            for name, found in (("pair", pairs), ("bos", bos)):
                keys = np.array(sorted(found), dtype=np.int64)
                t[name + "_keys"] = keys
                t[name + "_ids"] = np.array([found[k] for k in keys.tolist()], dtype=np.int64)
            t["norm_ids"] = norm_ids
            t["flat"] = np.zeros(1 << 16, dtype=np.int64)  # feature ids of the words met
            t["used"] = 0
            # per word met (its slot): normalised id, start and count of its ids in "flat"
            for name in ("norm", "start", "size"):
                t[name] = np.zeros(1 << 12, dtype=np.int64)
            t["slots"] = 0
            t["idf"] = np.asarray(self.idf, dtype=np.float64)
            t["coef"] = np.asarray(self.coef, dtype=np.float64)
        return t

    def _add_words(self, hashes: list[int], string_of: Callable[[int], str]) -> list[int]:
        """Remember words (by hash, repeats allowed): each gets a slot holding its
        normalised id and the span of its feature ids in the flat store. Returns
        the slots. The arrays are written once per call, not once per word."""
        t, index, words = self._tables, self.index, self._words
        first_slot, first_id = t["slots"], t["used"]
        norms: list[int] = []
        starts: list[int] = []
        sizes: list[int] = []
        flat: list[int] = []
        slots = []
        for h in hashes:
            slot = words.get(h)
            if slot is None:
                slot = words[h] = first_slot + len(norms)
                w = string_of(h)
                if not w or w.isspace() or w in _QUOTES:
                    norms.append(SKIPPED)
                    starts.append(0)
                    sizes.append(0)
                else:
                    norm = _normalise(w)
                    ids = [i for i in map(index.get, (norm, *_char_grams(w))) if i is not None]
                    norms.append(t["norm_ids"].get(norm, NO_PAIR))
                    starts.append(first_id + len(flat))
                    sizes.append(len(ids))
                    flat.extend(ids)
            slots.append(slot)
        t["slots"], t["used"] = first_slot + len(norms), first_id + len(flat)
        for name, values, at in (("norm", norms, first_slot), ("start", starts, first_slot),
                                 ("size", sizes, first_slot), ("flat", flat, first_id)):
            array = t[name]
            if at + len(values) > len(array):
                array = t[name] = np.concatenate([array, np.zeros(max(len(array), len(values)),
                                                                  dtype=np.int64)])
            array[at:at + len(values)] = values
        return slots


def _counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)``, without its generic overhead."""
    keys = np.sort(keys)
    if not len(keys):
        return keys, keys
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    at = np.flatnonzero(first)
    return keys[at], np.diff(np.append(at, len(keys)))


def _lookup(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray,
            rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of the ``wanted`` keys found in sorted ``keys``, with their rows."""
    if not len(keys):
        return wanted[:0], rows[:0]
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = keys[at] == wanted
    return values[at[found]], rows[found]


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
