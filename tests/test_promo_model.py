"""The promotion classifier: runtime arrays equal scikit-learn, checksums, reproducibility."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from conftest import ROOT
from factcheck.errors import ModelError
from factcheck.promo_model import META_FILE, MODEL_FILE, features, load_model
from factcheck.train import Sentence, export, fit, model_from_export, read_corpus

SENTENCES = [
    Sentence("Order now and get 40% off the Glow Serum, today only!", 1, "d", "ad_copy"),
    Sentence("Thousands of families swear by PureLiver capsules for better sleep.", 1, "d", "advertorial"),
    Sentence("Try StayWell Suites, where every stay feels effortless.", 1, "d", "native"),
    Sentence("Sign up in two minutes and start trading with zero fees.", 1, "d", "ad_copy"),
    Sentence("Look no further than Northbank, your trusted partner for everyday banking.", 1, "d", "native"),
    Sentence("Celebrities have flocked to Tmall to buy the new cream.", 1, "d", "advertorial"),
    Sentence("Limited stock: grab yours before the offer ends on Sunday.", 1, "d", "ad_copy"),
    Sentence("Our customers say the course changed their careers forever.", 1, "d", "advertorial"),
    Sentence("The central bank held interest rates at 5.25% on Thursday.", 0, "d", "news"),
    Sentence("Shares fell 3% after the retailer cut its profit forecast.", 0, "d", "news"),
    Sentence("The council approved plans for 300 new homes near the river.", 0, "d", "news"),
    Sentence("Researchers warned the supplement trial was too small to draw conclusions.", 0, "d", "hard_negative"),
    Sentence("Alibaba said sales on Tmall rose 8% during the festival.", 0, "d", "hard_negative"),
    Sentence("The striker scored twice as the home side won 3-1.", 0, "d", "news"),
    Sentence("Critics said the phone runs hot during long games.", 0, "d", "analysis"),
    Sentence("Officials said the airline would add three routes next year.", 0, "d", "news"),
] * 3


def _fitted():
    clf, vec, _c, _scores, _sizes, test = fit(SENTENCES, seed=3)
    return clf, vec, test


def test_promo_model_runtime_equals_sklearn():
    from factcheck.pipeline import build_nlp

    clf, vec, test = _fitted()
    model = model_from_export(export(clf, vec))
    tok = build_nlp().tokenizer
    texts = [s.text for s in test] + ["An unseen sentence about Tmall discounts!", ""]
    words = [[t.lower_ for t in tok(t)] for t in texts]
    ours = model.predict_words(words)
    theirs = clf.predict_proba(vec.transform([features(w) for w in words]))[:, 1]
    assert np.allclose(ours, theirs, atol=1e-9)


def test_promo_model_training_is_reproducible():
    first = json.dumps(export(*_fitted()[:2]), sort_keys=True)
    second = json.dumps(export(*_fitted()[:2]), sort_keys=True)
    assert first == second


def test_promo_model_shipped_sidecar_matches_corpus():
    model = load_model()
    _, corpus_hash = read_corpus(ROOT / "corpora" / "promo" / "sentences")
    assert model.meta["corpus_sha256"] == corpus_hash, "retrain: factcheck train"
    for key in ("scikit-learn", "numpy", "spacy"):
        assert key in model.meta["versions"]
    assert 0.0 < model.meta["heldout_sentences"]["f1"] <= 1.0


def test_promo_model_altered_file_is_refused(tmp_path):
    src = ROOT / "factcheck" / "model"
    for name in (MODEL_FILE, META_FILE):
        shutil.copy(src / name, tmp_path / name)
    data = (tmp_path / MODEL_FILE).read_bytes()
    (tmp_path / MODEL_FILE).write_bytes(data.replace(b'"intercept":', b'"intercept": ', 1))
    with pytest.raises(ModelError, match="checksum"):
        load_model(tmp_path)


def test_promo_model_missing_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no promotion model"):
        load_model(tmp_path)


def test_promo_model_scores_promotion_above_news():
    model = load_model()
    from factcheck.pipeline import build_nlp

    tok = build_nlp().tokenizer
    ad, news = model.predict_words([
        [t.lower_ for t in tok("Order today and enjoy 50% off with free shipping!")],
        [t.lower_ for t in tok("The ministry said inflation slowed to 2.1% in March.")],
    ])
    assert ad > 0.5 > news
