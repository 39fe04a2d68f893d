"""One article in, one Report out: the whole flow, wired once and reused.

    Article -> nlp (sentences, quantities, entity mentions, rule hits)
            -> claims + verdicts (verify.py)
            -> sentence scores -> promotion passages (promo.py)
            -> Report (records.py)

A ``Checker`` loads facts, rules, the model and the spaCy pipeline once; it is
what a worker process of ``scan`` keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from .claims import claim_status, extract_claims
from .drift import sentence_drift_many
from .facts import FactStore, load_facts
from .pipeline import LEXEME_ATTRS, build_nlp, keep_lexeme_attrs, run, run_batch, token_arrays
from .promo import build_passages, score_sentences, sentence_features
from .promo_model import PromoModel, load_model
from .reader import DEFAULT_MAX_BYTES, article_from_bytes, read_article
from .records import (CONTRADICTED, SUPPORTED, UNVERIFIABLE, Article, Claim, Report,
                      Summary)
from .rules import RuleSet, load_rules


@dataclass(frozen=True)
class Options:
    facts: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    default_facts: bool = True
    default_rules: bool = True
    use_model: bool = True
    model_dir: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    # False: fact-check only (no rules, classifier, drift or passages), the path
    # bench/throughput.py times against the tokenizer.
    promotions: bool = True


class Checker:
    """Everything loaded once; ``check`` is then a pure function of the article."""

    def __init__(self, options: Options | None = None, *, facts: FactStore | None = None,
                 rules: RuleSet | None = None, model: PromoModel | None = None) -> None:
        self.options = options or Options()
        o = self.options
        self.facts = facts if facts is not None else load_facts(o.facts, defaults=o.default_facts)
        # One pipeline: rule files are validated against its vocabulary, then added to it.
        self.nlp = build_nlp(self.facts)
        self.rules = rules if rules is not None else load_rules(o.rules, defaults=o.default_rules,
                                                               nlp=self.nlp)
        self.nlp.add_pipe("factcheck_rules").setup(self.rules)
        keep_lexeme_attrs(self.nlp, LEXEME_ATTRS | self.rules.token_attrs())
        if model is not None:
            self.model = model
        elif o.use_model:
            self.model = load_model(Path(o.model_dir) if o.model_dir else None)
        else:
            self.model = None

    def check_path(self, path: str | Path, published: date | None = None) -> Report:
        return self.check(read_article(path, published, self.options.max_bytes))

    def check_bytes(self, raw: bytes, source: str, published: date | None = None) -> Report:
        return self.check(article_from_bytes(raw, source, published))

    def check_text(self, text: str, source: str = "<text>", published: date | None = None) -> Report:
        return self.check(Article(text=text, source=source, published=published,
                                  published_from="option" if published else None))

    def _signals(self, docs) -> list[tuple]:
        """(sentence spans, rule hits, classifier probabilities or None, drift) per Doc,
        each signal computed over all the Docs in turn."""
        tables = [doc._.sentences for doc in docs]
        sentences = [[(s, e) for _, _, s, e in table] for table in tables]
        if self.model is not None:
            probabilities = self._probabilities_many(docs, tables)
        else:
            probabilities = [None] * len(docs)
        drifts = sentence_drift_many(docs, sentences)
        hits = [list(doc._.rule_hits or []) for doc in docs]
        return list(zip(sentences, hits, probabilities, drifts))

    def _probabilities_many(self, docs, tables) -> list[list[float | None]]:
        """The classifier's P(promotional) per sentence of each Doc's sentence table,
        in one call for all the Docs; None for sentences of fewer than MIN_WORDS
        alphabetic words, as written ("Ditto.", a stray "."): too little for the
        classifier, whose intercept alone would otherwise decide (it read "." as
        0.99 promotional)."""
        hashes, alphabetic, rows = [], [], []
        row = 0
        for doc, table in zip(docs, tables):
            if not table:
                continue
            tokens = token_arrays(doc)
            first = np.array([t[0] for t in table], dtype=np.int64)
            size = np.array([t[1] for t in table], dtype=np.int64) - first
            at = np.repeat(first - (np.cumsum(size) - size), size) + np.arange(size.sum())
            hashes.append(tokens.lower[at])
            alphabetic.append(tokens.alpha[at])
            rows.append(np.repeat(np.arange(row, row + len(table)), size))
            row += len(table)
        if not row:
            return [[] for _ in docs]
        rows = np.concatenate(rows)
        words = np.bincount(rows, np.concatenate(alphabetic), minlength=row).tolist()
        scores = self.model.predict_hashes(np.concatenate(hashes), rows, row,
                                           docs[0].vocab.strings.__getitem__)
        out, at = [], 0
        for table in tables:
            out.append([None if w < MIN_WORDS else p
                        for w, p in zip(words[at:at + len(table)], scores[at:at + len(table)])])
            at += len(table)
        return out

    def sentence_features(self, text: str, published: date | None = None):
        """Per-sentence promotion features and spans (for tuning: bench/fit_combiner.py)."""
        doc = run(self.nlp, text, published)
        sentences, hits, probabilities, drift = self._signals([doc])[0]
        feats, _ = sentence_features(sentences, probabilities, drift, hits, doc._.paragraphs or [])
        return feats, sentences

    def check(self, article: Article) -> Report:
        return self.check_many([article])[0]

    def check_many(self, articles: Sequence[Article]) -> list[Report]:
        """Reports for several articles, each step run over all of them in turn.

        The reports are those ``check`` gives one at a time; a batch is faster
        (batches of 32: 4.1 -> 3.0 ms an article over the 2,000 articles of
        bench/scan.py) because each step's tables stay in the CPU's caches
        across the batch.
        """
        docs = run_batch(self.nlp, [(a.text, a.published) for a in articles])
        claims = [extract_claims(doc, self.facts, a.published_from == "header")
                  for doc, a in zip(docs, articles)]
        if not self.options.promotions:
            return [_report(a, c, [], [], []) for a, c in zip(articles, claims)]
        reports = []
        for article, doc, claim, (sents, hits, probs, drift) in zip(articles, docs, claims,
                                                                    self._signals(docs)):
            scores = score_sentences(sents, probs, drift, hits, doc._.paragraphs or [])
            promotions = build_passages(article.text, scores, hits)
            reports.append(_report(article, claim, promotions, hits, scores))
        return reports


MIN_WORDS = 3


def _report(article: Article, claims: list[Claim], promotions, hits, scores) -> Report:
    statuses = [claim_status(c) for c in claims]
    advertorial = max((p.score for p in promotions), default=0.0)
    if not promotions:
        advertorial = round(max((s.smooth for s in scores), default=0.0), 3)
    summary = Summary(claims=len(claims), supported=statuses.count(SUPPORTED),
                      contradicted=statuses.count(CONTRADICTED),
                      unverifiable=statuses.count(UNVERIFIABLE), promotions=len(promotions),
                      advertorial_score=round(advertorial, 3),
                      label="advertorial" if promotions else "clean")
    warnings = ()
    if article.published is None:
        warnings = ("publication date unknown: relative dates were not resolved "
                    "(pass --published YYYY-MM-DD)",)
    return Report(source=article.source, published=article.published, summary=summary,
                  claims=tuple(claims), promotions=tuple(promotions), rule_hits=tuple(hits),
                  text=article.text, warnings=warnings)


def check_files(paths: Iterable[str | Path], options: Options | None = None,
                published: date | None = None) -> Iterator[Report]:
    checker = Checker(options)
    for p in paths:
        yield checker.check_path(p, published)
