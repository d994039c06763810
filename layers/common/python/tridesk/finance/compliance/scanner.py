"""The compliance scanner: a compiled ruleset checks one reply and returns findings and a verdict.

Verdict: ``block`` if any finding has severity block (a promise, a hidden risk, pressure selling:
no appended sentence can repair them); otherwise ``fix`` if a finding can be repaired
mechanically (append a missing disclosure, mask a card or ID number), with ``fixed_text`` that is
re-scanned and known to pass; otherwise ``pass``. ``warn`` findings are reported, never decisive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tridesk.core.i18n import BiText, Lang

from .packs import DisclosureSpec, RuleSpec, RulesetSpec
from .prefilter import Prefilter
from .text import DASH_RE, DETECTORS, Scope, digit_runs, first_char_class, first_char_guard, fold_pattern, mask, normalise_reply, script_of, uncaptured, zh_tokens


DEFAULT_NEGATION_ZH = (
    "不", "没", "没有", "无", "无法", "不能", "不会", "不可", "不可能", "未", "未曾", "非", "并非", "并不",
    "绝不", "决不", "不是", "不得", "禁止", "严禁", "切勿", "不要", "别", "勿", "从不", "从未", "难以",
    "不敢", "不宜", "否认", "谈不上", "称不上", "算不上", "不代表", "不等于", "不意味着", "不能够", "无从",
    "不应", "不该", "不承诺", "不保证", "并无", "毫无", "杜绝", "避免", "谨防", "警惕", "是否",
    "不算", "不太", "不怎么", "不那么", "不够", "没那么",
    # packs 2.8: "我们没法保证审批结果", "收益也不一定比定期高"
    "没法", "没办法", "不一定", "未必",
    # packs 2.24: "银行理财产品已不再承诺保本"
    "不再",
)
# "no one in town beats our rate", "nothing comes close": a negation that asserts superiority negates nothing.
_BEATEN = r"\s+(?:else\s+|in\s+town\s+|out\s+there\s+)?(?:beats|matches|can\s+beat|can\s+match|comes\s+close|compares)"
DEFAULT_NEGATION_EN = (
    r"\b(?:not(?!\s+only)|no(?!-|\s+(?:doubt|wonder|matter)|\s+one" + _BEATEN + r")|never|cannot|can't|can ?not|"
    r"don't|doesn't|didn't|won't|wouldn't|isn't|aren't|wasn't|weren't|shouldn't|mustn't|without|unable|neither|"
    r"nor|nobody(?!" + _BEATEN + r")|none|nothing(?!" + _BEATEN + r")|whether|avoid|beware|refuse|claims? that|"
    r"false|careful|wary|cautious|suspicious)\b"
)
DEFAULT_BOUNDARIES = (
    r"(?<!\d)(?<!whether),|(?<!whether),(?!\d{3}\b)|[;；。!！?？\n]|\.(?!\d)|但是|但|不过|可是|然而|\b(?:but|however|although|though|yet|while)\b"
)
_SENTENCE_RE = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")
# The "sentence" unit of claim rules: a semicolon joins two halves of one sentence ("only a couple of places
# left; pay a deposit now and I'll hold one"), so it ends a clause but not the unit.
_UNIT_SENTENCE_RE = re.compile(r"[。！？!?\n]|\.(?=\s|$)")
# A sentence that opens with "but" continues the previous one: "Not guaranteed. But it is stable."
_SEPARATORS_RE = re.compile(r"[\s,，.。!！:：;；—–-]*")  # packs 2.13: "Yes — …" as "Yes, …"
_CONTINUED_RE = re.compile(r"\s*(?:但|不过|可是|然而|(?i:however|but|yet|still)\b)")
_TERMINAL = tuple("。！？.!?")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a reply; ``span`` is ``[start, end)`` in characters of the original text."""

    rule_id: str
    category: str
    severity: str
    span: tuple[int, int]
    message: str
    required_phrase: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity,
            "span": [self.span[0], self.span[1]],
            "message": self.message,
            "required_phrase": self.required_phrase,
        }


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The verdict on one reply; ``to_dict`` is the response body of ``POST /v1/compliance/scan``."""

    verdict: str
    findings: tuple[Finding, ...]
    ruleset_version: str
    fixed_text: str | None = None

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(f.category for f in self.findings)

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(f.rule_id for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
            "ruleset_version": self.ruleset_version,
        }
        if self.fixed_text is not None:
            body["fixed_text"] = self.fixed_text
        return body


@dataclass(frozen=True)
class Rule:
    """A rule compiled for scanning."""

    spec: RuleSpec
    message: BiText
    rx: Mapping[str, re.Pattern[str] | None]
    then_rx: Mapping[str, re.Pattern[str] | None]
    question_rx: re.Pattern[str] | None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class Disclosure:
    id: str
    text: BiText
    accept: re.Pattern[str]


@dataclass(frozen=True)
class Ruleset:
    """A merged, compiled chain of packs for one business line and region."""

    business_line: str
    region: str
    version: str
    rules: tuple[Rule, ...]
    disclosures: Mapping[str, Disclosure]
    scope: Scope
    spec: RulesetSpec | None = field(default=None, compare=False, repr=False)
    concepts: Mapping[str, Mapping[str, re.Pattern[str] | None]] = field(default_factory=dict)
    # English patterns a reply's words rule out are not run (prefilter.py); off only to measure what that saves
    prefiltered: bool = field(default=True, compare=False)
    # for checking a fixed text (see _fixed_passes): the rules that see the whole reply, those whose patterns could
    # cross the sentence end before an appended disclosure, and the verdicts of appended disclosure texts alone
    _reply_claims: tuple[Rule, ...] = field(default=(), init=False, compare=False, repr=False)
    _join_rules: tuple[Rule, ...] = field(default=(), init=False, compare=False, repr=False)
    _fixable: frozenset[str] = field(default=frozenset(), init=False, compare=False, repr=False)
    _suffix_verdicts: dict[tuple[str, str], str] = field(default_factory=dict, init=False, compare=False, repr=False)
    # which English patterns a reply's words let through (prefilter.py)
    _prefilter: Prefilter = field(default=Prefilter([]), init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_reply_claims", tuple(
            r for r in self.rules if r.spec.kind == "claim" and r.spec.within == "reply"))
        object.__setattr__(self, "_join_rules", tuple(r for r in self.rules if r.spec.kind in ("forbidden", "sequence")))
        object.__setattr__(self, "_fixable", frozenset(
            r.spec.id for r in self.rules if r.spec.kind in ("disclosure", "personal_data")))
        if self.prefiltered:
            english = [rx for by_script in self.alternations for rx in (by_script["en"],) if rx is not None]
            object.__setattr__(self, "_prefilter", Prefilter([(rx.pattern, rx.flags) for rx in english]))

    @property
    def alternations(self) -> tuple[Mapping[str, re.Pattern[str] | None], ...]:
        """Every compiled alternation, by script: the concepts', then each rule's patterns and its sequels'."""
        return (*self.concepts.values(), *(r.rx for r in self.rules), *(r.then_rx for r in self.rules))

    @classmethod
    def compile(cls, spec: RulesetSpec, prefiltered: bool = True) -> Ruleset:
        """Compile every pattern once; scans then only run precompiled expressions."""
        s = spec.scope
        scope = Scope(
            negation_zh=frozenset(s.get("negation_zh", DEFAULT_NEGATION_ZH)),
            negation_en=_required(s["negation_en"].combined() if "negation_en" in s else DEFAULT_NEGATION_EN),
            boundaries=_required(s["boundaries"].combined() if "boundaries" in s else DEFAULT_BOUNDARIES),
            window_zh=s.get("window_zh", 10),
            window_en=s.get("window_en", 40),
            mention=_scope_rx(s, "mention"),
            post_negation=_scope_rx(s, "post_negation"),
            post_window_zh=s.get("post_window_zh", 8),
            post_window_en=s.get("post_window_en", 30),
            warning=_scope_rx(s, "warning"),
            reassurance=_scope_rx(s, "reassurance"),
            frame=_scope_rx(s, "frame"),
        )
        rules = tuple(
            Rule(
                r,
                BiText(r.message_zh, r.message_en),
                _by_script(r.patterns),
                _by_script(r.then),
                _rx(r.question.combined()) if r.question is not None else None,
            )
            for r in spec.rules
        )
        disclosures = {k: _compile_disclosure(d) for k, d in spec.disclosures.items()}
        used = {n for r in spec.rules for n in (*r.all_of, *r.any_of, *r.unless, *r.unless_at)}
        concepts = {name: _by_script(spec.lexicon[name]) for name in sorted(used)}
        return cls(spec.business_line, spec.region, spec.version, rules, disclosures, scope, spec, concepts, prefiltered)

    def scan(self, text: str, lang: Lang = "zh", question: str | None = None) -> ScanResult:
        """Check one reply. ``lang`` chooses the language of messages and of an appended disclosure."""
        result = self._scan(text, lang, question)
        if result.verdict == "fix" and result.fixed_text is not None:
            if not self._fixed_passes(result, lang, question, text):
                return ScanResult("block", result.findings, self.version, None)
        return result

    def _fixed_passes(self, result: ScanResult, lang: Lang, question: str | None, text: str) -> bool:
        """True when ``result.fixed_text`` passes, checked where it can differ from the reply just scanned.

        The fix masks personal data in place (same length: a mask removes matches, it adds none) and appends the
        missing disclosures after a sentence end; each disclosure's own text is accepted by its patterns (checked
        when a pack is loaded). So the reply's part of the fixed text has what the reply had minus the fixes: only
        the appended part can bring something new, on its own (scanned alone, disclosures looked for in the whole
        text; cached, as a few disclosure texts recur), across the sentence end it follows (the forbidden and
        sequence patterns over the 80 characters either side), or through a rule ``within: reply`` (composed over
        the whole text). A finding of any other kind that a fix does not remove, in a pack that has one, falls back
        to scanning the fixed text whole. Equal to a whole re-scan on every labelled reply and on 20,000 replies
        spliced from their sentences (docs/compliance.md, "Speed")."""
        fixed = result.fixed_text
        assert fixed is not None
        if any(f.rule_id not in self._fixable for f in result.findings):
            return self._scan(fixed, lang, question).verdict == "pass"
        if len(fixed) == len(text):
            return True  # masks only (same length)
        cut = len(_before_disclosures(text, lang))  # masking keeps lengths: where the disclosures start
        whole_norm = normalise_reply(fixed)
        whole = _Doc(self, whole_norm, script_of(whole_norm))
        out: list[Finding] = []
        for rule in self._reply_claims:
            self._claim(rule, whole, lang, out)
        if out:
            return False
        suffix = fixed[cut:]
        key = (lang, suffix)
        alone = self._suffix_verdicts.get(key)
        if alone is None:
            alone = self._suffix_verdicts[key] = self._scan(suffix, lang, None).verdict
        if alone != "pass" and self._scan(suffix, lang, None, whole=whole).verdict != "pass":
            return False
        lo = max(0, cut - 80)
        join_norm = whole_norm[lo : cut + 80]
        join = _Doc(self, join_norm, script_of(join_norm))
        for rule in self._join_rules:
            (self._forbidden if rule.spec.kind == "forbidden" else self._sequence)(rule, join, lang, out)
        return not any(f.span[0] < cut - lo < f.span[1] for f in out)

    def _scan(self, text: str, lang: Lang, question: str | None, whole: _Doc | None = None) -> ScanResult:
        norm = normalise_reply(text)
        script = script_of(norm)
        findings: list[Finding] = []
        appends: list[Disclosure] = []
        masks: list[tuple[int, int, int]] = []
        doc = _Doc(self, norm, script)
        echoed = digit_runs(question)  # packs 2.6: a number of the customer's message repeated is an echo
        asked = normalise_reply(question) if question else None
        for rule in self.rules:
            kind = rule.spec.kind
            if kind == "forbidden":
                self._forbidden(rule, doc, lang, findings)
            elif kind == "disclosure":
                self._disclosure(rule, doc, lang, findings, appends, whole)
            elif kind == "sequence":
                self._sequence(rule, doc, lang, findings)
            elif kind == "personal_data":
                self._personal_data(rule, norm, lang, findings, masks, echoed)
            elif kind == "claim":
                self._claim(rule, whole if whole is not None and rule.spec.within == "reply" else doc, lang, findings)
            elif asked:
                self._affirmation(rule, norm, script, asked, lang, findings)
        findings.sort(key=lambda f: (f.span[0], f.span[1], f.rule_id))
        severities = {f.severity for f in findings}
        if "block" in severities:
            return ScanResult("block", tuple(findings), self.version)
        if "fix" in severities:
            return ScanResult("fix", tuple(findings), self.version, _apply_fixes(text, lang, appends, masks))
        return ScanResult("pass", tuple(findings), self.version)

    def _finding(self, rule: Rule, span: tuple[int, int], lang: Lang, phrase: str | None = None) -> Finding:
        s = rule.spec
        return Finding(s.id, s.category, s.severity, span, rule.message.get(lang), phrase)

    def _forbidden(self, rule: Rule, doc: _Doc, lang: Lang, out: list[Finding]) -> None:
        rx, norm = rule.rx[doc.script], doc.norm
        if rx is None:
            return
        blockers: list[tuple[int, int]] | None = None
        for m in doc.finditer(rx):
            if rule.spec.negatable and self.scope.discounted(norm, m.start(), m.end()):
                continue
            if rule.spec.unless:  # looked up only once a pattern hits
                if blockers is None:
                    blockers = doc.kept_of(rule.spec.unless)
                if blockers and _same_sentence(doc, m.start(), blockers):
                    continue
            out.append(self._finding(rule, (m.start(), m.end()), lang))

    def _disclosure(
        self, rule: Rule, doc: _Doc, lang: Lang, out: list[Finding], appends: list[Disclosure],
        whole: _Doc | None = None,
    ) -> None:
        """A claim (a pattern, or a hit of one of the ``any`` concepts) without every required disclosure."""
        norm, rx = doc.norm, rule.rx[doc.script]
        trigger: tuple[int, int] | None = None
        # packs 1.6: an ``unless`` concept in the sentence cancels a pattern hit too ("your loan has an APR of 9.1%":
        # the rate of the customer's own loan is an account fact, not an offer)
        blockers = doc.kept_of(rule.spec.unless)
        # packs 2.26: a hit overlapping one of these is no claim, the rest of its sentence still is
        covers = [b for n in rule.spec.unless_at for b in doc.raw(n)]
        if rx is not None:
            for m in doc.finditer(rx):
                if rule.spec.negatable and self.scope.discounted(norm, m.start(), m.end()):
                    continue
                if blockers and _same_sentence(doc, m.start(), blockers):
                    continue
                if covers and _overlaps((m.start(), m.end()), covers):
                    continue
                trigger = (m.start(), m.end())
                break
        if trigger is None:  # concepts already matched for the claim rules cost nothing more
            kept = doc.kept if rule.spec.negatable else doc.raw
            hits = [h for n in rule.spec.any_of if doc.raw(n) for h in kept(n)]
            if blockers:
                hits = [h for h in hits if not _same_sentence(doc, h[0], blockers)]
            if covers:
                hits = [h for h in hits if not _overlaps(h, covers)]
            trigger = min(hits, default=None)
        if trigger is None:
            return
        where = norm if whole is None else whole.norm  # a window of a fixed text: the disclosure may be anywhere
        missing = [d for d in (self.disclosures[r] for r in rule.spec.requires) if not d.accept.search(where)]
        if not missing:
            return
        phrase = _join([d.text.get(lang) for d in missing], lang)
        out.append(self._finding(rule, trigger, lang, phrase))
        for d in missing:
            if d not in appends:
                appends.append(d)

    def _sequence(self, rule: Rule, doc: _Doc, lang: Lang, out: list[Finding]) -> None:
        first_rx, then_rx, norm = rule.rx[doc.script], rule.then_rx[doc.script], doc.norm
        if first_rx is None or then_rx is None:
            return
        s = rule.spec
        last_end = -1
        for first in doc.finditer(first_rx):
            if first.start() < last_end:
                continue
            if s.negatable and self.scope.quoted(norm, first.start(), first.end()) and self.scope.mentioned(
                norm, first.start(), first.end()
            ):
                continue  # packs 2.3: a record the reply only reports (quoted back, then refuted) projects nothing
            for then in doc.finditer(then_rx, first.end()):
                if then.start() - first.end() > s.max_gap:
                    break
                if _sentences_between(norm, first.end(), then.start()) > s.max_sentences:
                    break
                if s.negatable and self.scope.discounted(norm, then.start(), then.end(), floor=first.end()):
                    continue
                out.append(self._finding(rule, (first.start(), then.end()), lang))
                last_end = then.end()
                break

    def _claim(self, rule: Rule, doc: _Doc, lang: Lang, out: list[Finding]) -> None:
        """Concepts composed in one clause or sentence: every ``all``, one of ``any``, none of ``unless``."""
        s = rule.spec
        if any(not doc.raw(n) for n in s.all_of) or (s.any_of and not any(doc.raw(n) for n in s.any_of)):
            return  # cheap: a concept is absent altogether, no negation check needed
        kept = doc.kept if s.negatable else doc.raw
        needed = [kept(n) for n in s.all_of]
        if any(not hits for hits in needed):
            return
        options = [h for n in s.any_of for h in kept(n)]
        if s.any_of and not options:
            return
        blockers = doc.kept_of(s.unless)
        for lo, hi in doc.units(s.within):
            parts = []
            for hits in needed:
                inside = next((h for h in hits if lo <= h[0] and h[1] <= hi), None)
                if inside is None:
                    break
                parts.append(inside)
            else:
                if s.any_of:
                    inside = next((h for h in options if lo <= h[0] and h[1] <= hi), None)
                    if inside is None:
                        continue
                    parts.append(inside)
                if any(lo <= b[0] and b[1] <= hi for b in blockers):
                    continue
                out.append(self._finding(rule, (min(p[0] for p in parts), max(p[1] for p in parts)), lang))

    def _personal_data(
        self, rule: Rule, norm: str, lang: Lang, out: list[Finding], masks: list[tuple[int, int, int]],
        echoed: frozenset[str] = frozenset(),
    ) -> None:
        taken: list[tuple[int, int]] = [(a, b) for a, b, _ in masks]
        for name in sorted(rule.spec.detectors, key=lambda d: d != "cn_id"):
            find, keep_first = DETECTORS[name]
            for start, end in find(norm, echoed):
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                out.append(self._finding(rule, (start, end), lang))
                if rule.spec.severity == "fix":
                    masks.append((start, end, keep_first))

    def _affirmation(
        self, rule: Rule, norm: str, script: str, question: str, lang: Lang, out: list[Finding]
    ) -> None:
        rx = rule.rx[script]
        if rx is None or rule.question_rx is None:
            return
        q = rule.question_rx.search(question)
        if q is None or self.scope.negated(question, q.start()):
            return
        lead = len(norm) - len(norm.lstrip())
        m = rx.match(norm, lead)
        if m is None:
            return
        start = m.end() + len(_SEPARATORS_RE.match(norm, m.end()).group())
        end_m = self.scope.boundaries.search(norm, start)
        clause = norm[start : end_m.start() if end_m else len(norm)]
        if (dash := DASH_RE.search(clause)) is not None:  # packs 2.13: "Yes, you'll receive one every year — I'll note …"
            clause = clause[: dash.start()]
        if self.scope.reassurance is not None:  # "It will, don't worry": a reassurance is no hedge
            clause = self.scope.reassurance.sub(" ", clause)
        if rule.spec.negatable and _mentions_negation(self.scope, clause):
            return
        out.append(self._finding(rule, (m.start(), m.end()), lang))


class _Doc:
    """One reply being scanned: concept hits and clause/sentence units, each computed at most once."""

    __slots__ = ("_admitted", "_discounted", "_kept", "_raw", "_units", "norm", "rs", "script")

    def __init__(self, rs: Ruleset, norm: str, script: str) -> None:
        self.rs, self.norm, self.script = rs, norm, script
        self._raw: dict[str, list[tuple[int, int]]] = {}
        self._kept: dict[str, list[tuple[int, int]]] = {}
        self._units: dict[str, list[tuple[int, int]]] = {}
        self._discounted: dict[tuple[int, int], bool] = {}
        self._admitted: set[str] | None = None

    def finditer(self, rx: re.Pattern[str], pos: int = 0) -> Iterator[re.Match[str]]:
        """``rx.finditer(self.norm, pos)``, or nothing at once for an English pattern the reply's words rule out
        (prefilter.py)."""
        if self.script == "en" and rx.pattern in self.rs._prefilter.gated:
            if self._admitted is None:
                self._admitted = self.rs._prefilter.admitted(self.norm)
            if rx.pattern not in self._admitted:
                return iter(())
        return rx.finditer(self.norm, pos)

    def raw(self, name: str) -> list[tuple[int, int]]:
        hits = self._raw.get(name)
        if hits is None:
            rx = self.rs.concepts[name][self.script]
            hits = [m.span() for m in self.finditer(rx)] if rx is not None else []
            self._raw[name] = hits
        return hits

    def kept(self, name: str) -> list[tuple[int, int]]:
        hits = self._kept.get(name)
        if hits is None:
            hits = [h for h in self.raw(name) if not self.discounted(h)]
            self._kept[name] = hits
        return hits

    def kept_of(self, names: tuple[str, ...]) -> list[tuple[int, int]]:
        """The kept hits of every concept in ``names`` (a rule's ``unless``), in that order."""
        return [h for n in names for h in self.kept(n)]

    def discounted(self, hit: tuple[int, int]) -> bool:
        """Negated or mentioned; several concepts often hit the same words, so the answer is kept."""
        known = self._discounted.get(hit)
        if known is None:
            known = self._discounted[hit] = self.rs.scope.discounted(self.norm, hit[0], hit[1])
        return known

    def units(self, within: str) -> list[tuple[int, int]]:
        units = self._units.get(within)
        if units is None and within == "reply":
            units = self._units[within] = [(0, len(self.norm))]
        if units is None:
            rx = self.rs.scope.boundaries if within == "clause" else _UNIT_SENTENCE_RE
            units, start = [], 0
            for m in rx.finditer(self.norm):
                if m.start() > start:
                    units.append((start, m.start()))
                start = m.end()
            if start < len(self.norm):
                units.append((start, len(self.norm)))
            self._units[within] = units
        return units


def _same_sentence(doc: _Doc, pos: int, blockers: list[tuple[int, int]]) -> bool:
    """True when one of ``blockers`` starts in the sentence unit holding ``pos``."""
    for lo, hi in doc.units("sentence"):
        if lo <= pos < hi:
            return any(lo <= b[0] < hi for b in blockers)
    return False


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """True when ``span`` shares a character with one of ``others``."""
    return any(lo < span[1] and span[0] < hi for lo, hi in others)


def _sentences_between(text: str, start: int, end: int) -> int:
    return sum(1 for m in _SENTENCE_RE.finditer(text, start, end) if not _CONTINUED_RE.match(text, m.end()))


def _mentions_negation(scope: Scope, sentence: str) -> bool:
    if scope.negation_en.search(sentence):
        return True
    return any(tok in scope.negation_zh for tok in zh_tokens(sentence))


def _scope_rx(scope: Mapping[str, Any], key: str) -> re.Pattern[str] | None:
    """A scope cue list as one expression, each pattern behind the lookahead on its own first characters (packs 2.9,
    as the concepts' English patterns since packs 2.7: the same matches; a cue list mixes both languages and is
    searched once per hit, so a window no longer tries every pattern at every position)."""
    if key not in scope:
        return None
    return _rx(scope[key].combined(each=_guarded))


def _guarded(pattern: str) -> str:
    """One pattern, folded, behind the lookahead on its own first characters (the same matches)."""
    return first_char_guard(fold_pattern(pattern))


def _rx(source: str | None, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(first_char_guard(uncaptured(fold_pattern(source))), flags) if source else None


def _required(source: str | None) -> re.Pattern[str]:
    compiled = _rx(source)
    assert compiled is not None
    return compiled


def _by_script(patterns: Any) -> dict[str, re.Pattern[str] | None]:
    """One compiled alternation per script, so a Chinese reply never runs the English patterns."""
    if patterns is None:
        return {"zh": None, "en": None, "both": None}
    out = {}
    for script in ("zh", "en"):
        source = patterns.combined(script)
        if source and script == "en":
            word_start = _word_start_only(source, 0, len(source))
            # packs 2.7: each English pattern behind a lookahead on its own first characters, so that a word start
            # tries only the patterns that can open there (the same matches; concept time on long English replies
            # -17%, measured in docs/compliance.md, "Speed")
            source = patterns.combined(script, _guarded)
            if word_start:
                source = rf"\b(?:{source})"  # the same matches; mid-word positions now fail at the first test
        # packs 2.16: the English alternation runs on replies without Chinese only, so its classes and word boundaries are
        # read as ASCII (re.ASCII: \b, \w, \s without the Unicode tables; the reply's no-break and thin spaces are folded
        # to spaces first): every verdict and finding span of the 7,607 labelled replies unchanged, scan CPU p99 -5 to -10%
        out[script] = _rx(source, re.ASCII if script == "en" else 0)
    out["both"] = _both_rx(patterns)
    return out


def _both_rx(patterns: Any) -> re.Pattern[str] | None:
    """The alternation for a reply in both scripts, in the patterns' order, with each run of English patterns that
    open at a word start behind one ``\\b`` (as the English alternation) and a guard that lets a Latin letter in only
    where such a run could start: ``(?=[first characters of the others]|\\b[first letters of the runs])``. The same
    matches (a unit test compares them over the labelled replies in both scripts); a mid-word position of the reply's
    English no longer tries every Chinese pattern (packs 2.4; measured in docs/compliance.md, "Speed")."""
    parts: list[str] = []
    rest: list[str] = []
    words: list[str] = []
    run: list[str] = []
    for source, tag in zip(patterns.sources, patterns.script_tags, strict=True):
        folded = fold_pattern(source)
        if tag == "en" and _word_start_only(folded, 0, len(folded)):
            run.append(f"(?:{folded})")
            words.append(folded)
            continue
        if run:
            parts.append(rf"\b(?:{'|'.join(run)})")
            run = []
        parts.append(f"(?:{folded})")
        rest.append(folded)
    if run:
        parts.append(rf"\b(?:{'|'.join(run)})")
    if not parts:
        return None
    source = uncaptured("|".join(parts))
    guards = []
    for group, prefix in ((rest, ""), (words, r"\b")):
        if group:
            cls = first_char_class("|".join(f"(?:{g})" for g in group))
            if cls is None:
                return re.compile(first_char_guard(source))
            guards.append(prefix + cls)
    return re.compile(f"(?={'|'.join(guards)})(?:{source})")


def _skip(src: str, j: int) -> int:
    """Index just past the character class or escape at ``src[j]``, else ``j + 1``."""
    if src[j] == "\\":
        return j + 2
    if src[j] == "[":
        k = j + 1 + (src[j + 1 : j + 2] == "^")
        k += src[k : k + 1] == "]"  # a leading "]" is a literal
        while k < len(src) and src[k] != "]":
            k += 2 if src[k] == "\\" else 1
        return k + 1
    return j + 1


def _group_end(src: str, i: int) -> int:
    """Index of the parenthesis that closes the group opening at ``src[i]``."""
    depth, j = 0, i
    while j < len(src):
        if src[j] == "(":
            depth += 1
        elif src[j] == ")":
            depth -= 1
            if depth == 0:
                return j
        j = _skip(src, j)
    return len(src)


def _word_start_only(src: str, start: int, end: int) -> bool:
    """True when every top-level alternative of ``src[start:end]`` opens with ``\\b`` (after zero-width groups)."""
    j, branch = start, start
    while j <= end:
        if j == end or src[j] == "|":
            if not _opens_with_word_boundary(src, branch, j):
                return False
            branch = j + 1
            j += 1
        elif src[j] == "(":
            j = _group_end(src, j) + 1
        else:
            j = _skip(src, j)
    return True


def _opens_with_word_boundary(src: str, j: int, end: int) -> bool:
    while j < end:
        if src.startswith("\\b", j):
            return True
        if src.startswith(("(?<!", "(?<=", "(?!", "(?="), j):  # zero-width: look past it
            j = _group_end(src, j) + 1
            continue
        if src[j] == "(" and (src.startswith("(?:", j) or not src.startswith("(?", j)):
            close = _group_end(src, j)
            if close + 1 < len(src) and src[close + 1] in "?*{":
                return False  # an optional group: the alternative may open after it
            return _word_start_only(src, j + (3 if src.startswith("(?:", j) else 1), close)
        return False
    return False


def _compile_disclosure(d: DisclosureSpec) -> Disclosure:
    return Disclosure(d.id, BiText(d.zh, d.en), _required(d.accept.combined()))


def _join(parts: list[str], lang: Lang) -> str:
    return ("" if lang == "zh" else " ").join(parts)


def _apply_fixes(text: str, lang: Lang, appends: list[Disclosure], masks: list[tuple[int, int, int]]) -> str:
    """Mask personal data in place (same length, so spans stay valid) and append missing disclosures."""
    out = text
    for start, end, keep_first in masks:
        out = out[:start] + mask(out[start:end], keep_first=keep_first) + out[end:]
    if not appends:
        return out
    return _before_disclosures(out, lang) + _join([d.text.get(lang) for d in appends], lang)


def _before_disclosures(text: str, lang: Lang) -> str:
    """The reply as appended disclosures follow it: right-stripped, closed by a sentence end, then the separator."""
    body = text.rstrip()
    if body and not body.endswith(_TERMINAL):
        body += "。" if lang == "zh" else "."
    return body + ("" if lang == "zh" else " ")
