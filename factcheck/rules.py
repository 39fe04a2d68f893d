"""Promotion rules as data: load and validate YAML packs, match them, test their examples.

A rule (schema in ../shared/contract.md plus ``unless``, ``scope``,
``threshold`` and the ``meta`` kind) is data with an id, a category, patterns
and inline examples, after Vale and Semgrep. Kinds:

  phrase   whole-token phrases, case-insensitive (spaCy PhraseMatcher on LOWER)
  regex    RE2 patterns, case-insensitive, within one sentence
  fuzzy    rapidfuzz ratio >= ``threshold`` against token windows of the same length
  pattern  spaCy Matcher token patterns
  meta     fires when hits of at least ``min_categories`` distinct categories
           fall in one ``scope`` (SpamAssassin's meta rules)

A ``products:`` watch list names the products that may be promoted, with
aliases and fuzzy spellings, so "Liver Formula" and "Liver Lifang" are one.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc

from .pipeline import doc_text, token_arrays, token_lowers, token_offsets, upper_at
from .errors import DataError, FactcheckError, Problems
from .records import RuleHit
from .datafiles import Collector, gather, load_all
from .resources import shipped_rules_dir
from .safe_regex import RegexSet, compile_user_regex
from .yamlsafe import Located

CATEGORIES = ("product_mention", "commerce_channel", "price_offer", "call_to_action",
              "testimonial", "health_claim", "endorsement", "sales_claim", "superlative",
              "scarcity", "disclosure", "puffery", "combination")
KINDS = ("phrase", "regex", "fuzzy", "pattern", "meta")
SCOPES = ("sentence", "paragraph")
RULE_KEYS = {"id", "category", "kind", "patterns", "weight", "description", "examples", "unless",
             "scope", "threshold", "min_categories", "categories", "message"}
PRODUCT_KEYS = {"id", "name", "aliases", "threshold", "description", "domain"}
TOP_KEYS = {"version", "rules", "products"}
ID_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
DEFAULT_FUZZY = 90.0
MAX_PATTERNS = 5000


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    kind: str
    patterns: tuple
    weight: float
    description: str
    location: str
    unless: tuple[str, ...] = ()
    scope: str = "sentence"
    threshold: float = DEFAULT_FUZZY
    min_categories: int = 3
    categories: tuple[str, ...] = ()
    match_examples: tuple[str, ...] = ()
    no_match_examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    aliases: tuple[str, ...]
    threshold: float
    location: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class RuleSet:
    rules: list[Rule]
    products: list[Product]
    files: list[str]

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def token_attrs(self) -> set[str]:
        """The token attributes (``LOWER``, ``LIKE_NUM``...) the token patterns name."""
        return {str(key).upper() for rule in self.rules if rule.kind == "pattern"
                for pattern in rule.patterns for token in pattern for key in dict(token)}


# --- loading and validation -----------------------------------------------------

def _strings(value, allow_empty: bool = False) -> bool:
    return isinstance(value, list) and (allow_empty or value) and \
        all(isinstance(v, str) and v.strip() for v in value)


def _check_pattern_kind(rule_id: str, kind: str, patterns, c: Collector, line: int,
                        vocab_nlp: Language | None) -> None:
    if kind == "meta":
        if patterns:
            c.add(f"rule {rule_id!r}: a meta rule takes no `patterns`", line)
        return
    if not isinstance(patterns, list) or not patterns:
        c.add(f"rule {rule_id!r}: `patterns` must be a non-empty list", line)
        return
    if len(patterns) > MAX_PATTERNS:
        c.add(f"rule {rule_id!r}: more than {MAX_PATTERNS} patterns", line)
        return
    if kind in ("phrase", "fuzzy"):
        if not _strings(patterns):
            c.add(f"rule {rule_id!r}: {kind} patterns must be non-empty strings", line)
    elif kind == "regex":
        for p in patterns:
            try:
                compile_user_regex(p)
            except DataError as exc:
                c.add(f"rule {rule_id!r}: {exc.message}", line, exc.hint)
    elif kind == "pattern":
        if not all(isinstance(p, list) and p and all(isinstance(t, dict) for t in p)
                   for p in patterns):
            c.add(f"rule {rule_id!r}: each token pattern must be a list of token mappings "
                  "such as [{LOWER: flocked}, {LOWER: to}]", line)
            return
        if vocab_nlp is not None:
            try:
                Matcher(vocab_nlp.vocab, validate=True).add(rule_id, [[dict(t) for t in p]
                                                                      for p in patterns])
            except Exception as exc:  # spaCy raises MatchPatternError / ValueError
                first = " ".join(str(exc).split())[:200]
                c.add(f"rule {rule_id!r}: invalid token pattern: {first}", line)


def _parse_rule(item: Located, c: Collector, seen: dict[str, str],
                nlp: Language | None) -> Rule | None:
    c.unknown_keys(item, RULE_KEYS, "rule")
    rid = item.get("id")
    if not isinstance(rid, str) or not ID_RE.match(rid):
        c.add(f"rule id {rid!r} must be dotted lowercase words such as commerce.platform",
              item.line_of("id"))
        return None
    here = f"{c.path}:{item.line}"
    if rid in seen:
        c.add(f"duplicate rule id {rid!r}, first defined at {seen[rid]}", item.line_of("id"))
        return None
    seen[rid] = here
    category, kind = item.get("category"), item.get("kind")
    ok = True
    if category not in CATEGORIES:
        c.add(f"rule {rid!r}: unknown category {category!r}", item.line_of("category"),
              hint="one of " + ", ".join(CATEGORIES))
        ok = False
    if kind not in KINDS:
        c.add(f"rule {rid!r}: unknown kind {kind!r}", item.line_of("kind"),
              hint="one of " + ", ".join(KINDS))
        return None
    weight = item.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 10:
        c.add(f"rule {rid!r}: weight must be a number in (0, 10]", item.line_of("weight"))
        ok = False
    description = item.get("description")
    if not isinstance(description, str) or not description.strip():
        c.add(f"rule {rid!r}: missing the required `description`", item.line,
              hint="one line saying what the rule catches")
        ok = False
    scope = item.get("scope", "sentence")
    if scope not in SCOPES:
        c.add(f"rule {rid!r}: scope must be sentence or paragraph", item.line_of("scope"))
        ok = False
    threshold = item.get("threshold", DEFAULT_FUZZY)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 50 <= threshold <= 100:
        c.add(f"rule {rid!r}: threshold must be a number from 50 to 100", item.line_of("threshold"))
        ok = False
    unless = item.get("unless") or []
    if not _strings(unless, allow_empty=True):
        c.add(f"rule {rid!r}: `unless` must be a list of regexes", item.line_of("unless"))
        ok = False
    else:
        for p in unless:
            try:
                compile_user_regex(p)
            except DataError as exc:
                c.add(f"rule {rid!r}: unless {exc.message}", item.line_of("unless"), exc.hint)
                ok = False
    patterns = item.get("patterns")
    before = len(c.problems)
    _check_pattern_kind(rid, kind, patterns, c, item.line_of("patterns"), nlp)
    ok = ok and len(c.problems) == before
    min_categories, categories = item.get("min_categories", 3), item.get("categories") or []
    if kind == "meta":
        if isinstance(min_categories, bool) or not isinstance(min_categories, int) or min_categories < 2:
            c.add(f"rule {rid!r}: min_categories must be a whole number >= 2",
                  item.line_of("min_categories"))
            ok = False
        if not _strings(categories, allow_empty=True) or any(x not in CATEGORIES for x in categories):
            c.add(f"rule {rid!r}: categories must be a list of known categories",
                  item.line_of("categories"))
            ok = False
    examples = item.get("examples") or {}
    match, no_match = [], []
    if not isinstance(examples, dict):
        c.add(f"rule {rid!r}: examples must map `match` and `no_match` to lists", item.line_of("examples"))
        ok = False
    else:
        for key in examples:
            if key not in ("match", "no_match"):
                c.add(f"rule {rid!r}: unknown examples key {key!r}", examples.line_of(str(key))
                      if isinstance(examples, Located) else item.line_of("examples"),
                      hint="use match and no_match")
        match, no_match = examples.get("match") or [], examples.get("no_match") or []
        if not _strings(match, allow_empty=True) or not _strings(no_match, allow_empty=True):
            c.add(f"rule {rid!r}: examples must be lists of strings", item.line_of("examples"))
            ok = False
    if not ok:
        return None
    if kind == "pattern":
        patterns = [[dict(t) for t in p] for p in patterns]
    return Rule(rid, category, kind, tuple(patterns or ()) if kind != "pattern" else
                tuple(tuple(p) for p in patterns), float(weight), description.strip(), here,
                tuple(unless), scope, float(threshold), int(min_categories) if kind == "meta" else 3,
                tuple(categories), tuple(match), tuple(no_match))


def _parse_product(item, c: Collector, seen: dict[str, str]) -> Product | None:
    if not isinstance(item, Located):
        c.add("each product must be a mapping with id and name", None)
        return None
    c.unknown_keys(item, PRODUCT_KEYS, "product")
    pid, name = item.get("id"), item.get("name")
    if not isinstance(pid, str) or not re.match(r"^[a-z0-9][a-z0-9._-]*$", pid):
        c.add(f"product id {pid!r} must be lowercase letters, digits, '.', '_' or '-'", item.line_of("id"))
        return None
    if pid in seen:
        c.add(f"duplicate product id {pid!r}, first defined at {seen[pid]}", item.line_of("id"))
        return None
    seen[pid] = f"{c.path}:{item.line}"
    if not isinstance(name, str) or not name.strip():
        c.add(f"product {pid!r} needs a `name`", item.line)
        return None
    aliases = item.get("aliases") or []
    if not _strings(aliases, allow_empty=True):
        c.add(f"product {pid!r}: aliases must be a list of names", item.line_of("aliases"))
        return None
    threshold = item.get("threshold", DEFAULT_FUZZY)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 50 <= threshold <= 100:
        c.add(f"product {pid!r}: threshold must be a number from 50 to 100", item.line_of("threshold"))
        return None
    return Product(pid, name.strip(), tuple(a.strip() for a in aliases), float(threshold),
                   f"{c.path}:{item.line}")


def lint_rules(paths: Iterable[Path], nlp: Language | None = None) -> tuple[RuleSet, list[FactcheckError]]:
    """Load every rule file, collecting all problems."""
    if nlp is None:
        from .pipeline import build_nlp

        nlp = build_nlp()
    rules: list[Rule] = []
    products: list[Product] = []
    files: list[str] = []
    seen_rules: dict[str, str] = {}
    seen_products: dict[str, str] = {}
    found, problems = gather(paths, "rule")
    for display, doc, error in load_all(found):
        files.append(display)
        c = Collector(display)
        if error is not None:
            problems.append(error)
            continue
        if not isinstance(doc, Located):
            c.add("a rule file must be a mapping with `version` and `rules`", 1)
            problems.extend(c.problems)
            continue
        c.unknown_keys(doc, TOP_KEYS, "rule file")
        if not c.version_1(doc):
            problems.extend(c.problems)
            continue
        items = doc.get("rules") or []
        if not isinstance(items, list):
            c.add("`rules` must be a list", doc.line_of("rules"))
            items = []
        for item in items:
            if not isinstance(item, Located):
                c.add("each rule must be a mapping", getattr(items, "line", None))
                continue
            rule = _parse_rule(item, c, seen_rules, nlp)
            if rule:
                rules.append(rule)
        product_items = doc.get("products") or []
        if not isinstance(product_items, list):
            c.add("`products` must be a list", doc.line_of("products"))
            product_items = []
        for item in product_items:
            product = _parse_product(item, c, seen_products)
            if product:
                products.append(product)
        problems.extend(c.problems)
    return RuleSet(rules, products, files), problems


def load_rules(paths: Iterable[Path] = (), *, defaults: bool = True,
               nlp: Language | None = None) -> RuleSet:
    all_paths = ([shipped_rules_dir()] if defaults else []) + [Path(p) for p in paths]
    ruleset, problems = lint_rules(all_paths, nlp)
    if problems:
        raise Problems(problems)
    return ruleset


# --- matching -------------------------------------------------------------------

class RuleMatcher:
    """spaCy component: writes ``doc._.rule_hits`` (RuleHit records, by offset)."""

    def __init__(self, nlp: Language, name: str = "factcheck_rules") -> None:
        self.nlp = nlp
        self.name = name
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        # Token patterns that must open a sentence with one of known words run
        # only on sentences that open with such a word (spaCy's Matcher would
        # otherwise try every token: measured 2.7 ms an article for 7 rules).
        self.openers = Matcher(nlp.vocab)
        self.opener_words: set[str] = set()
        # Likewise patterns with a literal word among their tokens ("flocked to",
        # "Shop Now", "for the price of a coffee") run only on the sentences that
        # contain their most selective one (``_key_words``).
        self.keyed = Matcher(nlp.vocab)
        self.keyed_words: set[str] = set()  # lower-cased (LOWER keys)
        self.keyed_orths: set[str] = set()  # exact (ORTH keys: "Get" is rarer than "get")
        self.regexes: list[tuple[Rule, list]] = []
        self._regex_patterns: list[str] = []  # one per entry of self.regexes, for the RE2 Set
        self._regex_set: RegexSet | None = None
        self.fuzzy: list[tuple[Rule, dict[int, list[str]]]] = []
        self.unless: dict[str, list] = {}
        self.meta: list[Rule] = []
        self.rules: dict[str, Rule] = {}
        self.products: dict[str, Product] = {}
        self.product_fuzzy: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self._fuzzy_table: dict = {}

    def setup(self, ruleset: RuleSet) -> "RuleMatcher":
        tok = self.nlp.tokenizer
        for rule in ruleset.rules:
            self.rules[rule.id] = rule
            if rule.unless:
                self.unless[rule.id] = [compile_user_regex(p) for p in rule.unless]
            if rule.kind == "phrase":
                self.phrases.add(rule.id, [tok(p) for p in rule.patterns])
            elif rule.kind == "pattern":
                # each pattern to one matcher: sentence openers, keyed, or the rest
                anchored, keyed, free = [], [], []
                for p in rule.patterns:
                    if (opening := _opening_words(p)) is not None:
                        anchored.append(list(p))
                        self.opener_words |= opening
                    elif (key := _key_words(p)) is not None:
                        keyed.append(list(p))
                        attr, words = key
                        (self.keyed_orths if attr == "ORTH" else self.keyed_words).update(words)
                    else:
                        free.append(list(p))
                for matcher, patterns in ((self.openers, anchored), (self.keyed, keyed),
                                          (self.tokens, free)):
                    if patterns:
                        matcher.add(rule.id, patterns)
            elif rule.kind == "regex":
                # One RE2 alternation per rule: one linear scan instead of one per pattern.
                # (Lint compiled each pattern alone, so errors still name the pattern.)
                joined = "|".join(f"(?:{p})" for p in rule.patterns)
                try:
                    compiled = [compile_user_regex(joined)]
                except DataError:
                    compiled = [compile_user_regex(p) for p in rule.patterns]
                self.regexes.append((rule, compiled))
                self._regex_patterns.append(joined)
            elif rule.kind == "fuzzy":
                by_len: dict[int, list[str]] = defaultdict(list)
                for p in rule.patterns:
                    by_len[len(tok(p))].append(p.lower())
                self.fuzzy.append((rule, dict(by_len)))
            elif rule.kind == "meta":
                self.meta.append(rule)
        for product in ruleset.products:
            key = "product:" + product.id
            self.products[key] = product
            self.phrases.add(key, [tok(n) for n in product.names])
            for n in product.names:
                words = [t.lower_ for t in tok(n)]
                self.product_fuzzy[len(words)].append((key, " ".join(words)))
        self._regex_set = RegexSet(self._regex_patterns)
        self._fuzzy_table = self._build_fuzzy_table()
        # the same words as StringStore hashes, compared with a Doc's token arrays
        self._opener_hashes = {hash_string(w) for w in self.opener_words}
        self._keyed_lower_hashes = _hash_array(self.keyed_words)
        self._keyed_orth_hashes = _hash_array(self.keyed_orths)
        return self

    def _build_fuzzy_table(self) -> dict[int, list[tuple]]:
        """Fuzzy rule patterns and product names grouped by length in tokens, so that
        one ``process.cdist`` call per length and group scores them all against the
        article's n-token windows (one C++ call instead of one ``process.extract``
        per name). Rule patterns and product names are separate groups: a product
        variant only counts from a capitalised word, so products are scored against
        the windows that open with one (14% of the tokens of the benchmark
        articles), rules against all.
        Each group also gets the window lengths in characters that can match:
        ratio = 100 * (1 - distance / (len(a) + len(b))) >= t needs len(b) within
        [len(a) * t / (200 - t), len(a) * (200 - t) / t]."""
        groups: dict[tuple[int, bool], tuple[list[str], list[float], list[tuple[str, str]]]] = {}
        for rule, by_len in self.fuzzy:
            for n, patterns in by_len.items():
                names, cutoffs, entries = groups.setdefault((n, False), ([], [], []))
                for p in patterns:
                    names.append(p)
                    cutoffs.append(rule.threshold)
                    entries.append(("rule", rule.id))
        for n, products in self.product_fuzzy.items():
            names, cutoffs, entries = groups.setdefault((n, True), ([], [], []))
            for key, name in products:
                names.append(name)
                cutoffs.append(self.products[key].threshold)
                entries.append(("product", key))
        table: dict[int, list[tuple]] = {}
        for (n, capitalised), (names, cutoffs, entries) in sorted(groups.items()):
            table.setdefault(n, []).append((
                names, numpy.array(cutoffs, dtype=numpy.float64), entries,
                min(len(a) * t / (200 - t) for a, t in zip(names, cutoffs)) - 1,
                max(len(a) * (200 - t) / t for a, t in zip(names, cutoffs)) + 1, capitalised))
        return table

    def __call__(self, doc: Doc) -> Doc:
        return self.pipe([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> list[Doc]:
        """Write ``doc._.rule_hits`` for each Doc, one kind of matching at a time
        over the batch: each pass's tables (RE2's DFA above all) then stay in the
        CPU's cache instead of being pushed out by the other passes between two
        articles (see ``Checker.check_many``)."""
        docs = list(docs)
        for at in range(0, len(docs), batch_size):
            found = [_Hits(self, doc) for doc in docs[at:at + batch_size]]
            for hits in found:
                self._token_matches(hits)
            for hits in found:
                self._regex_matches(hits)
            if self._fuzzy_table:
                for hits in found:
                    self._fuzzy(hits.doc, hits.add)
            for hits in found:
                hits.doc._.rule_hits = self._finish(hits)
        return docs

    def _token_matches(self, hits: _Hits) -> None:
        doc = hits.doc
        hits.add_tokens(self.phrases(doc))
        if len(self.tokens):
            hits.add_tokens(self.tokens(doc))
        # Token patterns run only on the sentences that can hold a match: opening
        # with an opener word, or containing a key word (``_key_words``).
        units = [(first, end) for first, end, _, _ in doc._.sentences or []] or [(0, len(doc))]
        tokens = token_arrays(doc)
        if len(self.openers) and len(doc):
            lowers = tokens.lower[[first for first, _ in units]].tolist()
            for (first, end), lower in zip(units, lowers):
                if first < end and lower in self._opener_hashes:
                    hits.add_tokens(self.openers(doc[first:end]), first)
        if len(self.keyed) and len(doc):
            keyed = numpy.flatnonzero(_member(tokens.lower, self._keyed_lower_hashes)
                                      | _member(tokens.orth, self._keyed_orth_hashes))
            holding = numpy.searchsorted([first for first, _ in units], keyed, side="right") - 1
            for k in sorted({u for u, t in zip(holding.tolist(), keyed.tolist())
                             if u >= 0 and t < units[u][1]}):
                first, end = units[k]
                hits.add_tokens(self.keyed(doc[first:end]), first)

    def _regex_matches(self, hits: _Hits) -> None:
        text = hits.text
        present = self._regex_set.matching(text) if self._regex_set else None
        for k, (rule, compiled) in enumerate(self.regexes):
            if present is not None and k not in present:
                continue
            for rx in compiled:
                for m in rx.finditer(text):
                    if m.end() > m.start() and _same_unit(hits.sent_starts, m.start(), m.end() - 1):
                        hits.add(rule.id, m.start(), m.end())

    def _finish(self, hits: _Hits) -> list[RuleHit]:
        """Deduplicated hits less the excepted ones, plus meta-rule hits, in text order."""
        doc, sent_starts = hits.doc, hits.sent_starts
        para_starts = [p[0] for p in hits.paragraphs]
        kept = [h for h in self._dedupe(hits.found)
                if not self._excepted(h, doc, sent_starts, para_starts)]
        kept.extend(self._meta(kept, doc, sent_starts, hits.paragraphs))
        kept.sort(key=lambda h: (h.start, h.end, h.rule))
        return kept

    def _fuzzy(self, doc: Doc, add) -> None:
        lowers = token_lowers(doc)
        if not lowers:
            return
        tokens = token_arrays(doc)
        idx, stops = token_offsets(doc)
        # Window lengths from prefix sums of token lengths, so that only windows of
        # a length that can match are ever joined into strings.
        ends = numpy.zeros(len(lowers) + 1, dtype=numpy.int64)
        numpy.cumsum(tokens.length, out=ends[1:])
        if sum(map(len, lowers)) != ends[-1]:  # a letter grew when lowered ("İ"): their lengths
            numpy.cumsum([len(w) for w in lowers], out=ends[1:])
        capital = None
        for n, groups in self._fuzzy_table.items():
            if n > len(lowers):
                continue
            lengths = ends[n:] - ends[:-n] + (n - 1)
            for names, cutoffs, entries, lo, hi, capitalised in groups:
                fits = (lengths >= lo) & (lengths <= hi)
                if capitalised:
                    if capital is None:
                        capital = upper_at(doc_text(doc), tokens.idx)
                    fits &= capital[:len(lengths)]
                keep = numpy.nonzero(fits)[0].tolist()
                if not keep:
                    continue
                ws = [lowers[i] for i in keep] if n == 1 else [" ".join(lowers[i:i + n]) for i in keep]
                scores = process.cdist(names, ws, scorer=fuzz.ratio,
                                       score_cutoff=float(cutoffs.min()), dtype=numpy.float64)
                for row, j in zip(*(a.tolist() for a in numpy.nonzero(scores >= cutoffs[:, None]))):
                    i = keep[j]
                    kind, key = entries[row]
                    # exact names are the phrase matcher's: a product hit is a variant
                    if kind == "rule" or ws[j] != names[row]:
                        add(key, idx[i], stops[i + n - 1])

    @staticmethod
    def _dedupe(hits: list[RuleHit]) -> list[RuleHit]:
        """One hit per rule and span; for one rule, overlapping hits keep the longest."""
        best: dict[str, list[RuleHit]] = defaultdict(list)
        # The kept hits of a rule never overlap, so sorted by start they are sorted by end
        # too, and a new hit need only be compared with its two neighbours (comparing it
        # with every kept hit took minutes on a megabyte of ad copy).
        kept: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for h in sorted(hits, key=lambda h: (h.rule, -(h.end - h.start), h.start)):
            starts, ends = kept[h.rule]
            k = bisect.bisect_left(starts, h.start)
            if (k and ends[k - 1] > h.start) or (k < len(starts) and starts[k] < h.end):
                continue
            starts.insert(k, h.start)
            ends.insert(k, h.end)
            best[h.rule].append(h)
        return [h for rule in sorted(best) for h in best[rule]]

    def _excepted(self, hit: RuleHit, doc: Doc, sent_starts, para_starts) -> bool:
        patterns = self.unless.get(hit.rule)
        if not patterns:
            return False
        rule = self.rules[hit.rule]
        starts = para_starts if rule.scope == "paragraph" else sent_starts
        lo, hi = _unit_bounds(starts, hit.start, len(doc_text(doc)))
        window = doc_text(doc)[lo:hi]
        return any(rx.search(window) for rx in patterns)

    def _meta(self, hits: list[RuleHit], doc: Doc, sent_starts, paragraphs) -> list[RuleHit]:
        out: list[RuleHit] = []
        para_starts = [p[0] for p in paragraphs]
        for rule in self.meta:
            starts = para_starts if rule.scope == "paragraph" else sent_starts
            groups: dict[int, list[RuleHit]] = defaultdict(list)
            for h in hits:
                if rule.categories and h.category not in rule.categories:
                    continue
                groups[bisect.bisect_right(starts, h.start) - 1].append(h)
            for _, group in sorted(groups.items()):
                if len({h.category for h in group}) >= rule.min_categories:
                    start = min(h.start for h in group)
                    end = max(h.end for h in group)
                    out.append(RuleHit(rule.id, rule.category, doc_text(doc)[start:end], start, end,
                                       rule.weight))
        return out


def _hash_array(words: set[str]) -> numpy.ndarray:
    return numpy.array(sorted(hash_string(w) for w in words), dtype=numpy.uint64)


class _Hits:
    """The rule hits found so far in one Doc, and what adding one needs."""

    def __init__(self, matcher: RuleMatcher, doc: Doc) -> None:
        self.matcher, self.doc, self.text = matcher, doc, doc_text(doc)
        self.found: list[RuleHit] = []
        self.sent_starts = [s for _, _, s, _ in doc._.sentences] if doc._.sentences is not None \
            else [s.start_char for s in doc.sents]
        self.paragraphs = doc._.paragraphs or [(0, len(self.text))]

    def add(self, rule_key: str, start: int, end: int) -> None:
        m = self.matcher
        if rule_key.startswith("product:"):
            product = m.products[rule_key]
            self.found.append(RuleHit("product." + product.id, "product_mention", self.text[start:end],
                                      start, end, 1.5, product.name))
            return
        rule = m.rules[rule_key]
        self.found.append(RuleHit(rule.id, rule.category, self.text[start:end], start, end, rule.weight))

    def add_tokens(self, matches, shift: int = 0) -> None:
        """Matcher matches (token offsets, shifted by ``shift``) as hits."""
        idx, ends = token_offsets(self.doc)
        strings = self.matcher.nlp.vocab.strings
        for match_id, s, e in matches:
            self.add(strings[match_id], idx[s + shift], ends[e + shift - 1])


def _member(values: numpy.ndarray, sorted_keys: numpy.ndarray) -> numpy.ndarray:
    """``numpy.isin(values, sorted_keys)`` by binary search (isin sorts both: twice as slow)."""
    if not len(sorted_keys):
        return numpy.zeros(len(values), dtype=bool)
    at = numpy.minimum(numpy.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


def _opening_words(pattern) -> set[str] | None:
    """The words a sentence-initial token pattern can start with, or None if unknown."""
    first = dict(pattern[0]) if pattern else {}
    return _first_words(pattern) if first.get("IS_SENT_START") is True else None


def _first_words(pattern) -> set[str] | None:
    """Lower-cased words a token pattern's first token must be, or None if not literal."""
    literal = _literal_words(pattern[0]) if pattern else None
    return {w.lower() for w in literal[1]} if literal else None


def _key_words(pattern) -> tuple[str, set[str]] | None:
    """("LOWER", lower-cased words) or ("ORTH", exact words), one of which any match
    contains; None if no token of the pattern says.

    Of the tokens that must occur once and be one of a few literal words, the one
    with the longest shortest word (then the fewest words): "coffee" in [for, the,
    price, of, a, coffee], not "for", which is in a fifth of news sentences and
    had the matcher run on all of them.
    """
    candidates = [literal for token in pattern if (literal := _literal_words(token))]
    if not candidates:
        return None
    return max(candidates, key=lambda literal: (min(map(len, literal[1])), -len(literal[1])))


def _literal_words(token) -> tuple[str, set[str]] | None:
    """The attribute (LOWER or ORTH) and the words a pattern token must be; None if
    the token is optional, repeatable or not a literal word."""
    token = dict(token)
    if "OP" in token:
        return None
    for attr in ("LOWER", "ORTH"):
        value = token.get(attr)
        if isinstance(value, str):
            return attr, {value}
        if isinstance(value, dict) and isinstance(value.get("IN"), list) and len(value) == 1 \
                and value["IN"]:
            return attr, {str(w) for w in value["IN"]}
    return None


def _unit_bounds(starts: list[int], pos: int, length: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, pos) - 1
    lo = starts[i] if i >= 0 else 0
    hi = starts[i + 1] if i + 1 < len(starts) else length
    return lo, hi


def _same_unit(starts: list[int], a: int, b: int) -> bool:
    return bisect.bisect_right(starts, a) == bisect.bisect_right(starts, b)


@Language.factory("factcheck_rules")
def make_rule_matcher(nlp: Language, name: str) -> RuleMatcher:
    return RuleMatcher(nlp, name)


# --- rule tests -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule: str
    location: str
    expected: str  # "match" or "no_match"
    text: str


@dataclass(frozen=True, slots=True)
class RuleTestResult:
    rules: int
    match_cases: int
    no_match_cases: int
    failures: tuple[ExampleFailure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def test_rules(ruleset: RuleSet, nlp: Language | None = None) -> RuleTestResult:
    """Run every rule's inline examples through the whole rule set."""
    from .pipeline import build_nlp, run

    nlp = nlp or build_nlp(rules=ruleset)
    if "factcheck_rules" not in nlp.pipe_names:
        nlp.add_pipe("factcheck_rules").setup(ruleset)
    failures: list[ExampleFailure] = []
    n_match = n_no = 0
    cache: dict[str, set[str]] = {}

    def fired(text: str) -> set[str]:
        if text not in cache:
            doc = run(nlp, text)
            cache[text] = {h.rule for h in doc._.rule_hits}
        return cache[text]

    for rule in ruleset.rules:
        for text in rule.match_examples:
            n_match += 1
            if rule.id not in fired(text):
                failures.append(ExampleFailure(rule.id, rule.location, "match", text))
        for text in rule.no_match_examples:
            n_no += 1
            if rule.id in fired(text):
                failures.append(ExampleFailure(rule.id, rule.location, "no_match", text))
    return RuleTestResult(len(ruleset.rules), n_match, n_no, tuple(failures))


test_rules.__test__ = False  # not a pytest test despite the name
