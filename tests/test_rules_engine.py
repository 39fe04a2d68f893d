"""Rule kinds, exceptions, meta rules, products and lint messages."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.pipeline import build_nlp, run
from factcheck.rules import lint_rules, load_rules


def _ruleset(tmp_path, body: str):
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(body), "utf-8")
    return path


def _hits(path, text):
    ruleset = load_rules([path], defaults=False)
    nlp = build_nlp(rules=ruleset)
    return run(nlp, text)._.rule_hits


RULES = """\
version: 1
products:
  - {id: liver-formula, name: Liver Formula, aliases: [Liver Lifang], threshold: 85}
rules:
  - id: t.platform
    category: commerce_channel
    kind: phrase
    patterns: [Tmall, JD.com]
    description: platforms
    unless: ['\\bquarterly results\\b']
  - id: t.velocity
    category: sales_claim
    kind: regex
    patterns: ['\\b\\d[\\d,.]* ?(million|thousand)? transactions in (one|an|1) hour\\b']
    description: velocity
  - id: t.flocked
    category: sales_claim
    kind: pattern
    patterns: [[{LOWER: flocked}, {LOWER: to}]]
    description: flocked to
  - id: t.fuzzy
    category: commerce_channel
    kind: fuzzy
    patterns: [Pinduoduo]
    threshold: 85
    description: near spellings
  - id: t.younger
    category: health_claim
    kind: phrase
    patterns: [looking younger]
    description: anti-ageing
  - id: t.meta
    category: combination
    kind: meta
    min_categories: 3
    scope: paragraph
    description: three categories in one paragraph
"""


@pytest.fixture
def rules_file(tmp_path):
    return _ruleset(tmp_path, RULES)


def test_rules_each_kind_fires(rules_file):
    text = ("Families flocked to Tmall and Pinduodou. It hit 10 million transactions in one hour, "
            "and buyers report looking younger.")
    fired = {h.rule for h in _hits(rules_file, text)}
    assert {"t.platform", "t.velocity", "t.flocked", "t.fuzzy", "t.younger", "t.meta"} <= fired


def test_rules_unless_drops_hit_in_same_sentence(rules_file):
    assert not [h for h in _hits(rules_file, "Tmall posted quarterly results today.") if h.rule == "t.platform"]
    assert [h for h in _hits(rules_file, "Buy it on Tmall. It posted quarterly results.")
            if h.rule == "t.platform"]


def test_rules_meta_needs_distinct_categories_in_one_paragraph(rules_file):
    split = "Families flocked to Tmall.\n\nBuyers report looking younger."
    assert "t.meta" not in {h.rule for h in _hits(rules_file, split)}


def test_rules_products_aliases_and_fuzzy_are_one_product(rules_file):
    hits = _hits(rules_file, "Liver Formula sold out. Liver Lifang is back. Liver Formulla too.")
    products = [h for h in hits if h.category == "product_mention"]
    assert len(products) == 3
    assert {h.product for h in products} == {"Liver Formula"}


def test_rules_hit_offsets_give_back_the_text(rules_file):
    text = "Families flocked to Tmall to try it."
    for h in _hits(rules_file, text):
        assert text[h.start:h.end] == h.text


@pytest.mark.parametrize("body,needle", [
    ("version: 1\nrules:\n  - id: Bad Id\n    category: scarcity\n    kind: phrase\n    patterns: [x]\n    description: d\n", "rule id"),
    ("version: 1\nrules:\n  - id: a.b\n    category: nonsense\n    kind: phrase\n    patterns: [x]\n    description: d\n", "unknown category"),
    ("version: 1\nrules:\n  - id: a.b\n    category: scarcity\n    kind: regex\n    patterns: ['(a)\\1']\n    description: d\n", "RE2"),
    ("version: 1\nrules:\n  - id: a.b\n    category: scarcity\n    kind: regex\n    patterns: ['foo(?=bar)']\n    description: d\n", "not supported"),
    ("version: 1\nrules:\n  - id: a.b\n    category: scarcity\n    kind: phrase\n    patterns: [x]\n    description: d\n    colour: red\n", "unknown key 'colour'"),
    ("version: 1\nrules:\n  - id: a.b\n    category: scarcity\n    kind: phrase\n    patterns: [x]\n", "description"),
    ("version: 1\nrules:\n  - id: a.b\n    category: scarcity\n    kind: pattern\n    patterns: [[{NOPE: x}]]\n    description: d\n", "invalid token pattern"),
    ("version: 1\nrules:\n  - id: a.b\n    category: scarcity\n    kind: phrase\n    patterns: [x]\n    description: d\n  - id: a.b\n    category: scarcity\n    kind: phrase\n    patterns: [y]\n    description: d\n", "duplicate rule id"),
])
def test_rules_lint_reports_file_and_line(tmp_path, body, needle):
    path = _ruleset(tmp_path, body)
    _, problems = lint_rules([path])
    assert problems, "expected a lint problem"
    message = str(problems[0])
    assert needle in message
    assert message.startswith(f"{path}:") or f"{path.name}:" in message
    line = int(message.split(":")[1])
    assert 1 <= line <= body.count("\n") + 1


def test_rules_catastrophic_regex_runs_linear(tmp_path):
    path = _ruleset(tmp_path, """\
        version: 1
        rules:
          - id: evil.backtrack
            category: scarcity
            kind: regex
            patterns: ['(a+)+$']
            description: would hang a backtracking engine
        """)
    text = "a" * 100_000 + "!"
    hits = _hits(path, text)
    assert hits == []  # ends with "!", so no match; RE2 answers in linear time


def test_rules_shipped_packs_have_examples_for_every_rule():
    ruleset = load_rules()
    assert len(ruleset.rules) >= 60
    for rule in ruleset.rules:
        assert len(rule.match_examples) >= 2, rule.id
        assert len(rule.no_match_examples) >= 2, rule.id
    categories = {r.category for r in ruleset.rules}
    for needed in ("health_claim", "testimonial", "commerce_channel", "sales_claim", "endorsement",
                   "scarcity", "call_to_action", "superlative", "price_offer", "disclosure"):
        assert needed in categories


def test_rules_sentence_opening_patterns_fire_only_at_sentence_start(tmp_path):
    path = _ruleset(tmp_path, """\
        version: 1
        rules:
          - id: t.opener
            category: call_to_action
            kind: pattern
            patterns: [[{IS_SENT_START: true, LOWER: {IN: [shop, order]}}, {LOWER: now}]]
            description: a sentence that opens with a call to action
        """)
    text = "Prices rose. Shop now for the sale. Analysts said shop now and order now were slogans."
    hits = [h for h in _hits(path, text) if h.rule == "t.opener"]
    assert [(h.text, h.start) for h in hits] == [("Shop now", text.index("Shop now"))]


def test_rules_literal_first_word_patterns_fire_in_every_sentence_holding_the_word(tmp_path):
    # Such patterns run only on sentences containing their first word (a speed-up);
    # every occurrence must still be found, with ORTH keeping its case.
    path = _ruleset(tmp_path, """\
        version: 1
        rules:
          - id: t.flock
            category: sales_claim
            kind: pattern
            patterns: [[{LOWER: flocked}, {LOWER: to}]]
            description: flocked to
          - id: t.button
            category: call_to_action
            kind: pattern
            patterns: [[{ORTH: {IN: [Shop, Order]}}, {ORTH: Now}]]
            description: button label
        """)
    text = ("Fans flocked to the stadium. Nobody came. Buyers FLOCKED TO Tmall and then flocked to JD. "
            "Click Shop Now below. We shop now and then.")
    hits = _hits(path, text)
    flock = [h.start for h in hits if h.rule == "t.flock"]
    assert flock == [text.index("flocked"), text.index("FLOCKED"), text.rindex("flocked")]
    assert [h.text for h in hits if h.rule == "t.button"] == ["Shop Now"]


def test_rules_patterns_keyed_on_a_later_word_fire_wherever_that_word_is(tmp_path):
    # A pattern runs only on sentences holding its most selective literal word
    # ("coffee" here, not "for"); matches must not be lost, at any position, in
    # either case for LOWER, and with optional tokens never taken as the key.
    path = _ruleset(tmp_path, """\
        version: 1
        rules:
          - id: t.coffee
            category: price_offer
            kind: pattern
            patterns: [[{LOWER: for}, {LOWER: the}, {LOWER: price}, {LOWER: of}, {LOWER: a}, {LOWER: coffee}]]
            description: price comparison
          - id: t.maybe
            category: price_offer
            kind: pattern
            patterns: [[{LOWER: only}, {LOWER: {IN: [remarkably, astonishingly]}, OP: "?"}, {LIKE_NUM: true}]]
            description: only N
        """)
    text = ("For the price of a coffee, you get a month. Nothing else. It costs less. "
            "Readers pay FOR THE PRICE OF A COFFEE a week. Only 3 left. Soon only astonishingly 4.")
    hits = _hits(path, text)
    assert [h.start for h in hits if h.rule == "t.coffee"] == [0, text.index("FOR THE")]
    assert [h.text for h in hits if h.rule == "t.maybe"] == ["Only 3", "only astonishingly 4"]


def test_rules_puffery_is_scored_apart_from_other_rule_hits():
    from factcheck.promo import sentence_features
    from factcheck.records import RuleHit

    sentences = [(0, 40), (41, 80)]
    hits = [RuleHit("puffery.luxury", "puffery", "exquisite", 5, 14, 0.5),
            RuleHit("puffery.ease", "puffery", "seamless", 20, 28, 0.5),
            RuleHit("commerce.platform", "commerce_channel", "Tmall", 50, 55, 1.0)]
    feats, _ = sentence_features(sentences, None, [0.5, 0.5], hits, [(0, 80)])
    assert (feats[0]["puffery"], feats[0]["rules"]) == (1.0, 0.0)
    assert (feats[1]["puffery"], feats[1]["rules"]) == (0.0, 1.0)


def test_passage_evidence_adds_corroborating_sentences_only():
    import math

    from factcheck.promo import passage_runs, passage_score

    weights = {"support": 1.0, "margin": 1.5}
    peak = 0.95
    below = 1 / (1 + math.exp(-(math.log(peak / (1 - peak)) - 0.2)))  # just under the peak
    # one strong sentence alone stays under the peak; a second one carries the run over it
    assert passage_runs([0.01, below, 0.01], [0.01, below, 0.01], peak=peak, weights=weights) == []
    assert passage_runs([below, below], [below, below], peak=peak, weights=weights) == [[0, 1]]
    # a neighbour below log-odds -margin adds nothing; support 0 is "strongest sentence only"
    weak = 1 / (1 + math.exp(1.6))
    assert passage_score([below, weak], weights) == passage_score([below], weights)
    assert abs(passage_score([below, below, below], {"support": 0.0, "margin": 1.5}) - below) < 1e-9


def test_overlapping_hits_of_one_rule_keep_the_longest_and_all_disjoint_ones():
    from factcheck.records import RuleHit
    from factcheck.rules import RuleMatcher

    def hit(rule, start, end):
        return RuleHit(rule, "c", "x" * (end - start), start, end, 1.0)

    hits = [hit("a", 0, 4), hit("a", 2, 10), hit("a", 9, 12), hit("a", 10, 12), hit("a", 30, 31),
            hit("b", 3, 5)]  # another rule may overlap freely
    kept = [(h.rule, h.start, h.end) for h in RuleMatcher._dedupe(hits)]
    assert kept == [("a", 2, 10), ("a", 10, 12), ("a", 30, 31), ("b", 3, 5)]


def test_rules_token_attributes_hold_for_words_first_seen_after_loading(tmp_path):
    # The Checker has spaCy compute only the lexeme attributes its own code and its
    # rules read (keep_lexeme_attrs): an attribute that only a user's rule names,
    # in either case, must still be set for words the vocabulary meets later.
    from factcheck.check import Checker, Options

    path = _ruleset(tmp_path, """\
        version: 1
        rules:
          - id: t.shape
            category: sales_claim
            kind: pattern
            patterns: [[{SHAPE: dddd}, {LOWER: zorbles}]]
            description: four digits, then the product
          - id: t.url
            category: call_to_action
            kind: pattern
            patterns: [[{LOWER: visit}, {LIKE_URL: true}]]
            description: visit a site
          - id: t.mail
            category: call_to_action
            kind: pattern
            patterns: [[{LOWER: to}, {like_email: true}]]
            description: write to an address
        """)
    checker = Checker(Options(rules=(str(path),), default_rules=False, use_model=False))
    text = "Shipped 4821 zorbles, not 482 zorbles. Visit zorblemart.example.com today. " \
           "Write to sales@zorble-shop.example now."
    hits = run(checker.nlp, text)._.rule_hits
    assert sorted((h.rule, h.text) for h in hits) == [
        ("t.mail", "to sales@zorble-shop.example"), ("t.shape", "4821 zorbles"),
        ("t.url", "Visit zorblemart.example.com")]
    # and one that no rule names is not computed for new words
    assert checker.nlp.vocab["Quuxington"].is_title is False
    assert checker.nlp.vocab["Quuxington"].is_alpha is True


def _layout(draw_ints):
    """Sorted, non-overlapping paragraphs and the sentences inside them, as the
    pipeline makes them, from a list of small integers."""
    paragraphs, sentences, at = [], [], 0
    for k, n in enumerate(draw_ints):
        start = at
        for _ in range(n % 4 + 1):
            sentences.append((at, at + 10))
            at += 11
        paragraphs.append((start, at - 1))
        at += 2 + k % 3  # the blank line between paragraphs
    return paragraphs, sentences


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(0, 600), st.integers(0, 12), st.sampled_from(
           ["combination", "commerce_channel", "puffery"]), st.floats(0.1, 3.0)), max_size=30))
def test_paragraph_weight_of_combination_hits_matches_its_definition(para_sizes, raw_hits):
    """A combination hit lends its weight to every sentence of the paragraph it
    starts in (summed per paragraph, not compared hit by sentence)."""
    from factcheck.promo import sentence_features
    from factcheck.records import RuleHit

    paragraphs, sentences = _layout(para_sizes)
    hits = sorted((RuleHit(f"r.{cat}", cat, "x", s, s + length, w)
                   for s, length, cat, w in raw_hits), key=lambda h: (h.start, h.end, h.rule))
    feats, _ = sentence_features(sentences, None, [0.5] * len(sentences), hits, paragraphs)
    for (s, _), f in zip(sentences, feats):
        expected = 0.0
        for h in hits:  # the definition, term by term, in the same order
            if h.category == "combination" and any(ps <= h.start < pe and ps <= s < pe
                                                   for ps, pe in paragraphs):
                expected += h.weight
        assert f["meta"] == min(4.0, expected)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=40),
       st.lists(st.integers(0, 9), min_size=1, max_size=12))
def test_passage_signals_are_the_hits_wholly_inside_it(raw_hits, para_sizes):
    from factcheck.promo import SentenceScore, build_passages
    from factcheck.records import RuleHit

    _, sentences = _layout(para_sizes)
    text = "x" * (sentences[-1][1] + 1)
    # every other pair of sentences scores high: several passages, gaps between them
    scores = [SentenceScore(s, e, None, 0.0, 0.5, None, 0.9999 if (i // 2) % 2 == 0 else 0.0001,
                            0.9999 if (i // 2) % 2 == 0 else 0.0001)
              for i, (s, e) in enumerate(sentences)]
    # plus the edge cases at every sentence: a hit opening it, an empty one at its end
    edges = [(s, 3) for s, _ in sentences] + [(e, 0) for _, e in sentences]
    hits = sorted((RuleHit("r.x", "commerce_channel", "x", s, min(s + n, len(text)), 1.0)
                   for s, n in raw_hits + edges if s <= len(text)),
                  key=lambda h: (h.start, h.end, h.rule))
    promotions = build_passages(text, scores, hits)
    assert promotions  # the layout always makes at least one passage
    for p in promotions:
        got = [(sig.start, sig.end) for sig in p.signals if sig.type == "rule"]
        assert got == [(h.start, h.end) for h in hits if p.start <= h.start and h.end <= p.end]
