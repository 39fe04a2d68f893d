"""Choose the weights that combine classifier, rules, puffery, drift and product hits.

The sentence classifier is trained on project-written text; how much to trust
it against rule hits and topic drift on real text is a handful of numbers, set
here on the development sets in ../shared/data, never on the project's
evaluation articles:

1. start: logistic regression over the sentences of the even-numbered
   development articles (BBC with inserted Facebook ads, Webis answers), each
   set weighted equally, with passage evidence "strongest sentence only"
   (support 0); and, separately, the weights shipped in factcheck/promo.py;
2. refine: coordinate ascent on what the issue measures, passage F1 on the
   inserted ads plus response F1 on Webis, over the even-numbered articles,
   each candidate with the lowest PEAK that keeps the even-numbered BBC
   articles at most 2% flagged (a candidate that cannot is rejected); first
   the per-sentence weights, then the passage evidence (support, margin);
   rule, drift and support weights stay >= 0. Of the two starts, the one
   ending with the higher even-half objective is kept (the objective has many
   local optima; the shipped weights are a fixed point of this search);
3. PEAK: the lowest that keeps the odd-numbered BBC articles at most 2%
   flagged; the odd-numbered inserted and Webis articles are scored as a check.

Prints the weights and PEAK to paste into factcheck/promo.py. Deterministic:
seeded insertion, fixed step schedule, no randomness in the search.

Usage: python bench/fit_combiner.py [--limit N] [--rounds 20] [--start best|logistic|shipped]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import promo_eval as pe  # noqa: E402

from factcheck.check import Checker, Options  # noqa: E402
from factcheck.evaluation import PassageScores  # noqa: E402
from factcheck.promo import PASSAGE_KEYS, WEIGHTS, passage_runs, raw_scores, smoothed  # noqa: E402

FEATURES = ("logit_p", "contrast", "rules", "meta", "drift", "puffery")
HAND_SET = {"product": WEIGHTS["product"]}  # no support in the development sets
# passage evidence starts as "strongest sentence only" (support 0) and is searched
PASSAGE_START = {"support": 0.0, "margin": 2.0}
# A rule hit, drift or a corroborating sentence is evidence for a promotion, never
# against: their weights stay >= 0 (a negative one only fits noise in the halves).
NON_NEGATIVE = ("rules", "meta", "drift", "puffery", "support")
CLEAN_TARGET = 0.02
PEAKS = [x / 200 for x in range(100, 200)]  # 0.500, 0.505, ... 0.995


def passages(doc, weights, peak):
    feats, spans = doc
    raw = raw_scores(feats, weights)
    return [(spans[r[0]][0], spans[r[-1]][1]) for r in passage_runs(raw, smoothed(raw), peak=peak,
                                                                   weights=weights)]


def lowest_peak(clean, weights):
    """Binary search: the number of flagged articles only falls as PEAK rises."""
    raws = []
    for feats, _spans in clean:
        raw = raw_scores(feats, weights)
        raws.append((raw, smoothed(raw)))

    def ok(peak):
        flagged = sum(bool(passage_runs(raw, smooth, peak=peak, weights=weights))
                      for raw, smooth in raws)
        return flagged <= CLEAN_TARGET * len(clean)

    lo, hi = 0, len(PEAKS) - 1
    if not ok(PEAKS[hi]):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(PEAKS[mid]):
            hi = mid
        else:
            lo = mid + 1
    return PEAKS[lo]


def scores(sets, weights, peak):
    clean, inserted, webis = sets
    ins = PassageScores()
    for doc, gold in inserted:
        ins.add(passages(doc, weights, peak), [gold])
    tp = fp = fn = 0
    for doc, label in webis:
        pred = bool(passages(doc, weights, peak))
        tp += pred and label == 1
        fp += pred and label == 0
        fn += (not pred) and label == 1
    web_f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    flagged = sum(bool(passages(d, weights, peak)) for d in clean) / len(clean)
    return {"clean_flagged": round(flagged, 4), "insert_f1": round(ins.f1, 4),
            "webis_f1": round(web_f1, 4)}


def objective(sets, weights):
    peak = lowest_peak(sets[0], weights)
    if peak is None:
        return -1.0, None
    s = scores(sets, weights, peak)
    return s["insert_f1"] + s["webis_f1"], peak


def logistic_start(inserted, webis):
    """Sentence-level logistic regression, each development set weighted equally."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows, weights = [], []
    for docs in (inserted, webis):
        part = []
        for (feats, spans), gold in docs:
            for f, (s, e) in zip(feats, spans):
                label = int(any(s < b and a < e and (min(e, b) - max(s, a)) >= 0.5 * (e - s)
                                for a, b in gold))
                part.append(([f[k] for k in FEATURES], label))
        rows.extend(part)
        weights.append(len(part))
    w = [1.0 / (2 * weights[0])] * weights[0] + [1.0 / (2 * weights[1])] * weights[1]
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=np.array(w) * len(rows))
    out = {"bias": round(float(lr.intercept_[0]), 3)}
    out.update({k: round(float(v), 3) for k, v in zip(FEATURES, lr.coef_[0])})
    return out


def ascend(sets, weights, keys, best, peak, rounds):
    """Coordinate ascent: each round tries +-step on every key and keeps the first
    gain; a round without gain halves the step. Stops when the step falls below 0.06."""
    step = 1.0
    for rnd in range(rounds):
        improved = False
        for k in keys:
            for delta in (step, -step):
                trial = dict(weights, **{k: round(weights[k] + delta, 3)})
                if k in NON_NEGATIVE and trial[k] < 0:
                    continue
                value, trial_peak = objective(sets, trial)
                if value > best + 1e-4:
                    best, weights, peak, improved = value, trial, trial_peak, True
                    print(f"round {rnd}: {k} -> {trial[k]}, objective {best:.4f} at PEAK {peak}")
                    break
        if not improved:
            step /= 2
            if step < 0.06:
                break
    return weights, best, peak


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--start", choices=("best", "logistic", "shipped"), default="best",
                    help="search from a logistic regression, from factcheck.promo.WEIGHTS, or "
                         "from both, keeping the higher even-half objective (default)")
    args = ap.parse_args()
    if not pe.SHARED.is_dir():
        print("skipped: ../shared/data not found")
        return 0
    rng = random.Random(pe.SEED)
    checker = Checker(Options())
    bbc = pe.bbc_articles(args.limit)
    inserted = pe.build_inserted(bbc, pe.commercial_ads(), rng)
    webis = pe.webis(args.limit)
    docs_bbc = [checker.sentence_features(t) for _n, t in bbc]
    docs_ins = [(checker.sentence_features(t), gold) for _n, t, gold in inserted]
    docs_web = [(checker.sentence_features(t), label, span) for _i, t, label, span in webis]

    def half(parity):
        return ([d for i, d in enumerate(docs_bbc) if i % 2 == parity],
                [d for i, d in enumerate(docs_ins) if i % 2 == parity],
                [(d, label) for i, (d, label, _s) in enumerate(docs_web) if i % 2 == parity])

    even, odd = half(0), half(1)
    logistic = logistic_start([(d, [g]) for d, g in even[1]],
                              [(d, [s] if s else []) for i, (d, _l, s) in enumerate(docs_web)
                               if i % 2 == 0])
    starts = {"logistic": {**logistic, **HAND_SET, **PASSAGE_START}, "shipped": dict(WEIGHTS)}
    results = []
    for name in ("logistic", "shipped") if args.start == "best" else (args.start,):
        weights = starts[name]
        best, peak = objective(even, weights)
        print(f"{name} start:", json.dumps(weights), f"objective {best:.4f} at PEAK {peak}")
        # Two stages: the per-sentence weights, then the passage evidence with those
        # fixed (searched together, the passage terms pulled the sentence weights
        # towards the inserted ads and away from Webis).
        for keys in (("bias", *FEATURES), PASSAGE_KEYS):
            weights, best, peak = ascend(even, weights, keys, best, peak, args.rounds)
        print(f"{name} start ends at objective {best:.4f}")
        results.append((best, name, weights))
    # the higher even-half objective wins (a tie: the logistic start)
    best, name, weights = max(results, key=lambda r: r[0])
    print(f"chosen: the {name} start")
    final_peak = lowest_peak(odd[0], weights)
    print("WEIGHTS =", json.dumps(weights))
    print(f"PEAK = {final_peak} (lowest keeping the odd-numbered BBC dev articles <= 2% flagged)")
    if final_peak is not None:
        print("even half (searched):", scores(even, weights, final_peak))
        print("odd half (held back):", scores(odd, weights, final_peak))
    return 0


if __name__ == "__main__":
    sys.exit(main())
