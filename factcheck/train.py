"""`factcheck train`: fit the sentence classifier from corpora/promo, seeded and reproducible.

Steps: read the labelled sentences (and hash them), split 80/20 stratified by
label and domain with a fixed seed, choose C by 5-fold cross-validation on
the training part, fit LogisticRegression with sigmoid calibration
(CalibratedClassifierCV, ensemble=False), score the 20% held-out sentences
and the evaluation articles (never used for training), then export plain
arrays (JSON) and a sidecar. scikit-learn is imported here only.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .promo_model import META_FILE, MODEL_FILE, MODEL_FORMAT, PromoModel, features, sha256_file

SEED = 20240129
C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
LABELS = {"promo": 1, "editorial": 0}


@dataclass(frozen=True)
class Sentence:
    text: str
    label: int
    domain: str
    register: str


def read_corpus(folder: Path) -> tuple[list[Sentence], str]:
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise DataError("no *.jsonl sentence files", path=str(folder),
                        hint="run from a checkout that has corpora/promo/sentences")
    h = hashlib.sha256()
    out: list[Sentence] = []
    for f in files:
        raw = f.read_bytes()
        h.update(f.name.encode() + b"\0" + raw + b"\0")
        for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out.append(Sentence(row["text"], LABELS[row["label"]], row["domain"], row["register"]))
            except (ValueError, KeyError) as exc:
                raise DataError(f"bad corpus line: {exc}", path=str(f), line=n) from None
    return out, h.hexdigest()


def _tokenizer():
    from .pipeline import build_nlp

    return build_nlp().tokenizer


def _binary_scores(y_true, prob) -> dict[str, float]:
    from sklearn.metrics import (brier_score_loss, f1_score, log_loss, precision_score,
                                 recall_score, roc_auc_score)

    pred = [int(p >= 0.5) for p in prob]
    return {"precision": round(float(precision_score(y_true, pred)), 4),
            "recall": round(float(recall_score(y_true, pred)), 4),
            "f1": round(float(f1_score(y_true, pred)), 4),
            "roc_auc": round(float(roc_auc_score(y_true, prob)), 4),
            "log_loss": round(float(log_loss(y_true, prob)), 4),
            "brier": round(float(brier_score_loss(y_true, prob)), 4)}


def fit(sentences: list[Sentence], seed: int = SEED):
    """Return (calibrated classifier, vectorizer, chosen C, held-out scores, split sizes)."""
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

    tok = _tokenizer()
    feats = [features([t.lower_ for t in tok(s.text)]) for s in sentences]
    y = np.array([s.label for s in sentences])
    strata = [f"{s.label}-{s.domain}" for s in sentences]
    idx = np.arange(len(sentences))
    train_idx, test_idx = train_test_split(idx, test_size=0.2, random_state=seed, stratify=strata)

    def vectorizer():
        return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2)

    vec = vectorizer()
    x_train = vec.fit_transform([feats[i] for i in train_idx])
    x_test = vec.transform([feats[i] for i in test_idx])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    cv = {}
    for c in C_GRID:
        lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        cv[c] = float(np.mean(cross_val_score(lr, x_train, y[train_idx], cv=folds, scoring="f1")))
    best_c = max(C_GRID, key=lambda c: (round(cv[c], 4), -c))
    base = LogisticRegression(C=best_c, max_iter=5000, class_weight="balanced")
    clf = CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=False)
    clf.fit(x_train, y[train_idx])
    prob = clf.predict_proba(x_test)[:, 1]
    scores = _binary_scores(y[test_idx], prob)
    scores["cv_f1_by_C"] = {str(c): round(v, 4) for c, v in cv.items()}
    return clf, vec, best_c, scores, (len(train_idx), len(test_idx)), [sentences[i] for i in test_idx]


def _identity(x):
    return x


def export(clf, vec) -> dict:
    inner = clf.calibrated_classifiers_[0]
    lr = inner.estimator
    calibrator = inner.calibrators[0]
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    return {"format": MODEL_FORMAT, "vocabulary": vocab,
            "idf": [float(v) for v in vec.idf_], "coef": [float(v) for v in lr.coef_[0]],
            "intercept": float(lr.intercept_[0]),
            "calibration": {"a": float(calibrator.a_), "b": float(calibrator.b_)}}


def model_from_export(data: dict, meta: dict | None = None) -> PromoModel:
    return PromoModel({f: i for i, f in enumerate(data["vocabulary"])}, data["idf"], data["coef"],
                      data["intercept"], data["calibration"]["a"], data["calibration"]["b"],
                      meta or {})


def evaluate_articles(folder: Path, model: PromoModel | None, **checker_kwargs) -> dict:
    """Passage scores on the marked evaluation articles (rules + model, as shipped)."""
    from .check import Checker, Options
    from .evaluation import PassageScores, load_marked

    articles = load_marked(folder)
    if not articles:
        return {}
    checker = Checker(Options(use_model=False), model=model, **checker_kwargs)
    if model is None:
        checker.model = None
    scores = PassageScores()
    for art in articles:
        report = checker.check_text(art.text, art.name)
        scores.add([(p.start, p.end) for p in report.promotions], [(s, e) for s, e, _ in art.spans])
    return scores.as_dict()


def train(corpus: Path, out_dir: Path, articles: Path | None = None, seed: int = SEED) -> dict:
    import numpy
    import scipy
    import sklearn
    import spacy

    sentences, corpus_hash = read_corpus(corpus)
    clf, vec, best_c, scores, (n_train, n_test), _ = fit(sentences, seed)
    data = export(clf, vec)
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILE
    model_path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
    meta = {
        "format": MODEL_FORMAT,
        "model_file": MODEL_FILE,
        "model_sha256": sha256_file(model_path),
        "estimator": f"TfidfVectorizer(words, word bigrams, char 4-grams inside words, shapes; "
                     f"sublinear_tf, min_df=2) + "
                     f"LogisticRegression(C={best_c}, class_weight=balanced) + sigmoid calibration",
        "seed": seed,
        "corpus": str(corpus).replace("\\", "/"),
        "corpus_sha256": corpus_hash,
        "sentences": {"train": n_train, "heldout": n_test,
                      "promo": sum(s.label for s in sentences),
                      "editorial": sum(1 - s.label for s in sentences)},
        "features": len(data["vocabulary"]),
        "heldout_sentences": scores,
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                     "numpy": numpy.__version__, "scipy": scipy.__version__,
                     "spacy": spacy.__version__},
    }
    if articles is not None and Path(articles).is_dir():
        model = model_from_export(data, meta)
        meta["heldout_articles"] = {"combined": evaluate_articles(articles, model)}
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", "utf-8")
    return meta
