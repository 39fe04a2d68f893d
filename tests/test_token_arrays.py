"""The numpy paths (token arrays, drift, the classifier on token hashes) against
plain word-by-word versions of the same definitions, on the project's articles
and on hand-picked awkward text."""

from __future__ import annotations

import bisect
import math
from collections import Counter

import pytest
from spacy.lang.en.stop_words import STOP_WORDS

from conftest import ROOT
from factcheck import promo_model
from factcheck.drift import combine, sentence_drift, sentence_drift_many
from factcheck.pipeline import run, token_arrays, token_lowers, upper_at

ARTICLES = sorted((ROOT / "corpora").rglob("*.txt"))
AWKWARD = [
    "",
    " \n\n ",
    "Hello.",
    "The the the.\n\nOf and.",
    "Apple Apple. Banana Apple.\n\nCherry Mango.\n\n",
    "İstanbul Ölçü Ürün. Ölçü nice.\n\nÉcole Zebra.",
    "ΣΑΣ ΟΔΟΣ. Σοφία said so.\n\nΣΑΣ again, “quoted” ‘text’ — dashes…",
    '"Buy now!" she said. "Now!"\n\nOrder today at www.shop.com, 50% off.',
    "word " * 400,
]


def _texts():
    return [p.read_text("utf-8") for p in ARTICLES[:60]] + AWKWARD


def _drift_by_words(doc, sentences):
    """Similarities and name novelty word by word (the implementation before numpy)."""
    text = doc.text
    words = [t.text for t in doc]
    idx = [t.idx for t in doc]
    lowers = [w.lower() for w in words]
    paragraphs = doc._.paragraphs or [(0, len(text))]
    para_starts = [p[0] for p in paragraphs]
    n_para = len(paragraphs)
    para_bags = [Counter() for _ in range(n_para)]
    para_names = [set() for _ in range(n_para)]
    sent_bags = [Counter() for _ in sentences]
    sent_names = [set() for _ in sentences]
    sent_starts = [s for s, _ in sentences]
    p = s = 0
    for word, pos, lower in zip(words, idx, lowers):
        if len(word) <= 2 or not word.isalpha() or lower in STOP_WORDS:
            continue
        while p + 1 < n_para and para_starts[p + 1] <= pos:
            p += 1
        while s + 1 < len(sent_starts) and sent_starts[s + 1] <= pos:
            s += 1
        para_bags[p][lower] += 1
        if sentences:
            sent_bags[s][lower] += 1
        if word[0].isupper() and pos not in sent_starts:
            para_names[p].add(lower)
            if sentences:
                sent_names[s].add(lower)
    total = Counter()
    for bag in para_bags:
        total.update(bag)
    name_count = Counter()
    for names in para_names:
        name_count.update(names)
    total_sq = sum(v * v for v in total.values())
    rest_norm = [math.sqrt(max(0.0, total_sq - 2 * sum(v * total[k] for k, v in bag.items())
                               + sum(v * v for v in bag.values()))) for bag in para_bags]
    sims, novelty = [], []
    for i, (start, _end) in enumerate(sentences):
        p = max(0, bisect.bisect_right(para_starts, start) - 1)
        bag = sent_bags[i]
        if n_para > 1:
            dot = sum(v * (total[k] - para_bags[p][k]) for k, v in bag.items())
            norm_rest = rest_norm[p]
        else:
            dot = sum(v * (total[k] - v) for k, v in bag.items())
            norm_rest = math.sqrt(max(0.0, total_sq - sum(2 * v * total[k] - v * v
                                                          for k, v in bag.items())))
        norm_s = math.sqrt(sum(v * v for v in bag.values()))
        sims.append(dot / (norm_s * norm_rest) if dot > 0 and norm_s and norm_rest else 0.0)
        names = sent_names[i]
        novel = [n for n in names if name_count[n] <= 1] if n_para > 1 else []
        novelty.append(len(novel) / len(names) if names else 0.0)
    return combine(sims, novelty)  # the step both versions share


@pytest.fixture(scope="module")
def docs(shipped_checker):
    return [run(shipped_checker.nlp, text) for text in _texts()]


def test_token_arrays_equal_the_tokens(docs):
    for doc in docs:
        arrays = token_arrays(doc)
        assert arrays.idx.tolist() == [t.idx for t in doc]
        assert arrays.ends.tolist() == [t.idx + len(t) for t in doc]
        assert arrays.lower.tolist() == [t.lex.lower for t in doc]
        assert arrays.orth.tolist() == [t.orth for t in doc]
        assert arrays.alpha.tolist() == [t.text.isalpha() for t in doc]
        assert arrays.stop.tolist() == [t.text.lower() in STOP_WORDS for t in doc]
        assert token_lowers(doc) == [t.text.lower() for t in doc]
        assert upper_at(doc.text, arrays.idx).tolist() == [t.text[0].isupper() for t in doc]


def test_drift_equals_the_word_by_word_definition(docs):
    compared = 0
    for doc in docs:
        sentences = [(s, e) for _, _, s, e in doc._.sentences]
        for subset in (sentences, sentences[:1], []):
            assert sentence_drift(doc, subset) == _drift_by_words(doc, subset)
            compared += len(subset)
    assert compared > 1000  # the articles were read, not skipped


def test_drift_of_a_batch_equals_each_article_alone(docs, shipped_checker):
    # Batches mixing articles of one and of several paragraphs, and ones with no
    # sentences, must give each article the word-by-word drift.
    flat = [run(shipped_checker.nlp, " ".join(doc.text.split())) for doc in docs[:40:4]]
    docs = [d for pair in zip(docs, flat) for d in pair] + docs[len(flat):]
    tables = [[(s, e) for _, _, s, e in doc._.sentences] for doc in docs]
    tables[3] = []
    one_para = [doc for doc, t in zip(docs, tables) if len(doc._.paragraphs or []) <= 1 and len(t) > 3]
    assert len(one_para) >= 9 and len(one_para) < len(docs)
    for at in range(0, len(docs), 17):
        batch = slice(at, at + 17)
        assert sentence_drift_many(docs[batch], tables[batch]) == \
            [_drift_by_words(doc, t) for doc, t in zip(docs[batch], tables[batch])]


def _by_words(checker, doc):
    """Sentences of under three alphabetic words get None (the word as written:
    "İstanbul" is one, though its lower-case form carries a combining dot)."""
    table = doc._.sentences
    words = [[t.text.lower() for t in doc[a:b]] for a, b, _, _ in table]
    alphabetic = [sum(t.text.isalpha() for t in doc[a:b]) for a, b, _, _ in table]
    return [None if n < 3 else p for n, p in zip(alphabetic, checker.model.predict_words(words))]


def test_classifier_on_token_hashes_equals_it_on_words(shipped_checker, docs):
    for doc in docs:
        on_hashes = shipped_checker._probabilities_many([doc], [doc._.sentences])[0]
        assert on_hashes == _by_words(shipped_checker, doc)


def test_classifier_cache_reset_changes_nothing(monkeypatch, docs):
    model = promo_model.load_model()
    sentences = [[t.text.lower() for t in doc[a:b]] for doc in docs[:20] for a, b, _, _ in doc._.sentences]
    expected = model.predict_words(sentences)
    small = promo_model.load_model()
    monkeypatch.setattr(promo_model, "MAX_CACHE", 50)  # cleared many times over
    got = [p for s in sentences for p in small.predict_words([s])]
    assert got == expected
    assert len(small._words) <= 50 + max(len(s) for s in sentences)
