"""Rule packs: YAML documents loaded with their line numbers, validated, and merged along ``extends``.

A pack is data (patterns, required disclosures, messages); the scanner only compiles what the
merged chain of packs says. Every error names the pack file and line, so a malformed pack is
rejected at load time instead of misbehaving at scan time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from tridesk.core.errors import NotFoundError, ValidationError

KINDS = ("forbidden", "disclosure", "sequence", "personal_data", "affirmation", "claim")
WITHIN = ("clause", "sentence", "reply")  # "reply": the whole text (packs 2.0)
SEVERITIES = ("block", "fix", "warn")
CATEGORIES = (
    "forbidden_promise",
    "missing_disclosure",
    "hidden_risk",
    "forbidden_comparison",
    "superlative",
    "pressure_selling",
    "credit_promise",
    "personal_data",
)
DETECTORS = ("bank_card", "cn_id")
_CJK = re.compile(r"[\u3400-\u9fff]")
_VERSION_RE = re.compile(r"^\d+(\.\d+){0,3}$")
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_REGION_RE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_PACK_KEYS = {
    "pack", "version", "business_line", "region", "extends", "description",
    "disable", "scope", "lexicon", "disclosures", "rules",
}
_RULE_KEYS = {
    "id", "kind", "category", "severity", "message", "patterns", "negatable", "requires",
    "first", "then", "max_gap", "max_sentences", "detectors", "question", "description",
    "all", "any", "unless", "unless_at", "within",
}
_SCOPE_KEYS = {
    "window_zh", "window_en", "negation_zh", "negation_en", "boundaries", "mention", "post_negation",
    "post_window_zh", "post_window_en", "warning", "reassurance", "frame",
}
# ``{@name}`` in a pattern stands for the concept ``name`` of the merged lexicon.
CONCEPT_REF_RE = re.compile(r"\{@([a-z][a-z0-9_]{0,39})\}")
_CONCEPT_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MAX_EXPANSION_DEPTH = 6


class RulePackError(ValidationError):
    """A rule pack is malformed; ``file`` and ``line`` say where."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}", field=f"packs.{file}", code="invalid_rule_pack")
        self.file = file
        self.line = line
        self.problem = problem


class _LDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class _LList(list):  # type: ignore[type-arg]
    """A sequence that remembers the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """Safe YAML loader whose mappings and sequences keep their source lines."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LDict:
    loader.flatten_mapping(node)
    out = _LDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.MarkedYAMLError(problem="mapping key must be a scalar", problem_mark=key_node.start_mark)
        if key in out:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _LList:
    out = _LList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


@dataclass(frozen=True)
class Where:
    """A place in a pack file, for messages."""

    file: str
    line: int | None

    def error(self, problem: str) -> RulePackError:
        return RulePackError(self.file, self.line, problem)


def _script_of_source(source: str) -> str:
    """``zh`` with CJK characters, ``both`` when only concept references and symbols, else ``en``."""
    literal = CONCEPT_REF_RE.sub("", source)
    if _CJK.search(literal):
        return "zh"
    if literal != source and not re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]", "", literal)):
        return "both"
    return "en"


@dataclass(frozen=True)
class Patterns:
    """A validated list of regular expressions and where each came from."""

    sources: tuple[str, ...]
    where: tuple[Where, ...]
    scripts: tuple[str, ...] = ()  # "zh" or "en" per source: its zh/en key, else whether it has CJK

    @property
    def script_tags(self) -> tuple[str, ...]:
        if self.scripts:
            return self.scripts
        return tuple(_script_of_source(s) for s in self.sources)

    @property
    def refs(self) -> set[str]:
        """The concept names referred to by ``{@name}``."""
        return {name for s in self.sources for name in CONCEPT_REF_RE.findall(s)}

    def combined(self, script: str = "both", each: Callable[[str], str] | None = None) -> str | None:
        """One alternation of the patterns for a script: ``zh`` (those with CJK characters), ``en``, ``both``;
        ``each`` rewrites every pattern first (the scanner's per-pattern guards)."""
        chosen = [
            s for s, sc in zip(self.sources, self.script_tags, strict=True) if script == "both" or sc in (script, "both")
        ]
        return "|".join(f"(?:{each(s) if each else s})" for s in chosen) if chosen else None


@dataclass(frozen=True)
class RuleSpec:
    """One rule as written in a pack, validated but not compiled."""

    id: str
    kind: str
    category: str
    severity: str
    message_zh: str
    message_en: str
    patterns: Patterns | None
    negatable: bool
    requires: tuple[str, ...]
    then: Patterns | None
    max_gap: int
    max_sentences: int
    detectors: tuple[str, ...]
    question: Patterns | None
    where: Where
    requires_where: Where
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    within: str = "sentence"
    # packs 2.26: concepts whose hit cancels a disclosure rule's trigger only where the two overlap ("a 0.2% annual
    # sales-service fee": the figure is a fee, not a return), unlike ``unless``, which cancels the whole sentence
    unless_at: tuple[str, ...] = ()


@dataclass(frozen=True)
class DisclosureSpec:
    """A phrase a reply may have to carry: the text appended by a fix, and the variants that count."""

    id: str
    zh: str
    en: str
    accept: Patterns
    where: Where
    # packs 2.6: disclosures that come with this one wherever it is required ("a fund's risk warning comes with the
    # past-performance caveat"): each is checked, and appended by a fix, on its own
    also: tuple[str, ...] = ()
    # packs 2.9: a child pack's entry with ``also`` alone amends the disclosure it inherits (the Shanghai warning is
    # the national one and the risk-level sentence, each required) instead of replacing it
    amends: bool = False
    # where each text stands, for the check that ``accept`` takes it (deferred when ``accept`` refers to concepts)
    text_where: Mapping[str, Where] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Pack:
    """One parsed and validated pack file."""

    name: str
    version: str
    business_line: str | None
    region: str
    extends: str | None
    disable: tuple[str, ...]
    scope: Mapping[str, Any]
    disclosures: Mapping[str, DisclosureSpec]
    rules: tuple[RuleSpec, ...]
    file: str
    where: Where
    extends_where: Where
    lexicon: Mapping[str, Patterns] = field(default_factory=dict)

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split("."))


@dataclass(frozen=True)
class RulesetSpec:
    """The merged result of a chain of packs (root first), ready to compile."""

    business_line: str
    region: str
    chain: tuple[Pack, ...]
    rules: tuple[RuleSpec, ...]
    disclosures: Mapping[str, DisclosureSpec]
    scope: Mapping[str, Any]
    lexicon: Mapping[str, Patterns] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return "+".join(f"{p.name}@{p.version}" for p in self.chain)


# ---------------------------------------------------------------- parsing and validation


def parse_pack(text: str, file: str) -> Pack:
    """Parse and validate one pack; raise RulePackError naming ``file`` and the line on any problem."""
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RulePackError(file, line, f"invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise RulePackError(file, None, f"invalid YAML: {exc}") from exc
    if not isinstance(doc, _LDict):
        raise RulePackError(file, 1, "a pack must be a mapping")
    at = _at(file, doc)

    _no_unknown_keys(doc, _PACK_KEYS, file, "pack")
    name = _req_str(doc, "pack", file, pattern=_ID_RE)
    version = _req_str(doc, "version", file, pattern=_VERSION_RE)
    business_line = _opt_str(doc, "business_line", file, pattern=_ID_RE)
    region = _req_str(doc, "region", file, pattern=_REGION_RE)
    extends = _opt_str(doc, "extends", file, pattern=_ID_RE)
    disable = tuple(_str_list(doc, "disable", file))
    scope = _parse_scope(doc.get("scope"), file, at("scope"))
    lexicon = _parse_lexicon(doc.get("lexicon"), file, at("lexicon"))
    disclosures = _parse_disclosures(doc.get("disclosures"), file, at("disclosures"))

    rules_node = doc.get("rules", _LList())
    if not isinstance(rules_node, list):
        raise at("rules").error("'rules' must be a list")
    rules: list[RuleSpec] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(rules_node):
        line = rules_node.item_lines[i]
        rule = _parse_rule(item, file, line)
        if rule.id in seen:
            raise RulePackError(file, line, f"duplicate rule id {rule.id!r} (first at line {seen[rule.id]})")
        seen[rule.id] = line
        rules.append(rule)
    return Pack(
        name=name,
        version=version,
        business_line=business_line,
        region=region,
        extends=extends,
        disable=disable,
        scope=scope,
        disclosures=disclosures,
        rules=tuple(rules),
        file=file,
        where=Where(file, doc.line),
        extends_where=at("extends"),
        lexicon=lexicon,
    )


def _at(file: str, node: _LDict) -> Any:
    return lambda key: Where(file, node.key_lines.get(key, node.line))


def _no_unknown_keys(node: _LDict, allowed: set[str], file: str, what: str) -> None:
    for key in node:
        if key not in allowed:
            raise RulePackError(file, node.key_lines[key], f"unknown {what} key {key!r}")


def _req_str(node: _LDict, key: str, file: str, *, pattern: re.Pattern[str] | None = None) -> str:
    if key not in node:
        raise RulePackError(file, node.line, f"missing required key {key!r}")
    value = _opt_str(node, key, file, pattern=pattern)
    assert value is not None
    return value


def _opt_str(node: _LDict, key: str, file: str, *, pattern: re.Pattern[str] | None = None) -> str | None:
    if key not in node or node[key] is None:
        return None
    value = node[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    line = node.key_lines[key]
    if not isinstance(value, str) or not value.strip():
        raise RulePackError(file, line, f"{key!r} must be a non-empty string")
    if pattern is not None and not pattern.match(value):
        raise RulePackError(file, line, f"{key!r} has an invalid value {value!r}")
    return value


def _str_list(node: _LDict, key: str, file: str) -> list[str]:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RulePackError(file, node.key_lines[key], f"{key!r} must be a list of strings")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item:
            raise RulePackError(file, value.item_lines[i], f"{key!r} items must be non-empty strings")
    return list(value)


def _patterns(node: Any, file: str, where: Where, key: str) -> Patterns:
    """A pattern list: either a list of regexes or a mapping of language -> list of regexes."""
    groups: list[tuple[list[Any], list[int], str | None]] = []
    if isinstance(node, _LDict):
        for lang, sub in node.items():
            if lang not in ("zh", "en"):
                raise RulePackError(file, node.key_lines[lang], f"{key!r}: language must be zh or en, not {lang!r}")
            if not isinstance(sub, _LList):
                raise RulePackError(file, node.key_lines[lang], f"{key}.{lang} must be a list of patterns")
            groups.append((list(sub), sub.item_lines, lang))
    elif isinstance(node, _LList):
        groups.append((list(node), node.item_lines, None))
    else:
        raise where.error(f"{key!r} must be a list of patterns or a mapping zh/en -> list")
    sources: list[str] = []
    wheres: list[Where] = []
    scripts: list[str] = []
    for items, lines, lang in groups:
        for item, line in zip(items, lines, strict=True):
            if not isinstance(item, str) or not item:
                raise RulePackError(file, line, f"{key!r}: a pattern must be a non-empty string")
            try:
                compiled = re.compile(CONCEPT_REF_RE.sub("(?:x)", item), re.IGNORECASE)
            except re.error as exc:
                raise RulePackError(file, line, f"{key!r}: bad regular expression {item!r}: {exc}") from exc
            if compiled.groups and "(?P<" in item:
                raise RulePackError(file, line, f"{key!r}: named groups are not allowed in patterns")
            if compiled.match("") and not CONCEPT_REF_RE.search(item):
                raise RulePackError(file, line, f"{key!r}: pattern {item!r} matches the empty string")
            sources.append(item)
            wheres.append(Where(file, line))
            scripts.append(lang or _script_of_source(item))
    if not sources:
        raise where.error(f"{key!r} must not be empty")
    return Patterns(tuple(sources), tuple(wheres), tuple(scripts))


def _message(node: Any, file: str, where: Where) -> tuple[str, str]:
    if not isinstance(node, _LDict) or set(node) != {"zh", "en"}:
        raise where.error("'message' must be a mapping with exactly 'zh' and 'en'")
    for lang in ("zh", "en"):
        if not isinstance(node[lang], str) or not node[lang].strip():
            raise RulePackError(file, node.key_lines[lang], f"message.{lang} must be a non-empty string")
    return node["zh"], node["en"]


def _parse_rule(node: Any, file: str, line: int) -> RuleSpec:
    if not isinstance(node, _LDict):
        raise RulePackError(file, line, "a rule must be a mapping")
    _no_unknown_keys(node, _RULE_KEYS, file, "rule")
    at = _at(file, node)
    rule_id = _req_str(node, "id", file, pattern=_ID_RE)
    kind = _req_str(node, "kind", file)
    if kind not in KINDS:
        raise at("kind").error(f"rule {rule_id}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    category = _req_str(node, "category", file)
    if category not in CATEGORIES:
        raise at("category").error(f"rule {rule_id}: unknown category {category!r}")
    severity = _req_str(node, "severity", file)
    if severity not in SEVERITIES:
        raise at("severity").error(f"rule {rule_id}: severity must be one of {', '.join(SEVERITIES)}")
    if "message" not in node:
        raise RulePackError(file, node.line, f"rule {rule_id}: missing 'message'")
    message_zh, message_en = _message(node["message"], file, at("message"))
    negatable = node.get("negatable", True)
    if not isinstance(negatable, bool):
        raise at("negatable").error(f"rule {rule_id}: 'negatable' must be true or false")

    def ints(key: str, default: int, lo: int, hi: int) -> int:
        value = node.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise at(key).error(f"rule {rule_id}: {key!r} must be an integer in [{lo}, {hi}]")
        return value

    def need(key: str) -> Patterns:
        if key not in node:
            raise RulePackError(file, node.line, f"rule {rule_id}: kind {kind!r} needs {key!r}")
        return _patterns(node[key], file, at(key), key)

    patterns = then = question = None
    claim: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str] = ((), (), (), "sentence")
    unless_at: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    detectors: tuple[str, ...] = ()
    allowed: set[str]
    if kind == "forbidden":
        # packs 2.31: ``unless`` concepts in the hit's sentence cancel it, as for a disclosure rule ("your best option is
        # to call us" is advice; "the best fund" is not)
        patterns, allowed = need("patterns"), {"patterns", "negatable", "unless"}
        claim = ((), (), tuple(_concept_list(node, "unless", file, rule_id)), "sentence")
    elif kind == "disclosure":
        # ``any`` (packs 1.5): concepts whose non-negated hit is a claim too ("从没亏过" is a performance claim)
        # and ``unless``: a hit (pattern or concept) with one of these in its sentence is no claim ("if things go well, …")
        patterns, allowed = need("patterns"), {"patterns", "negatable", "requires", "any", "unless", "unless_at"}
        any_of, unless = tuple(_concept_list(node, "any", file, rule_id)), tuple(_concept_list(node, "unless", file, rule_id))
        claim = ((), any_of, unless, "sentence")
        unless_at = tuple(_concept_list(node, "unless_at", file, rule_id))
        requires = tuple(_str_list(node, "requires", file))
        if not requires:
            raise RulePackError(file, node.line, f"rule {rule_id}: a disclosure rule needs 'requires'")
        if severity == "block":
            raise at("severity").error(f"rule {rule_id}: a disclosure rule is fixed by appending, not blocked")
    elif kind == "sequence":
        patterns, then = need("first"), need("then")
        allowed = {"first", "then", "negatable", "max_gap", "max_sentences"}
    elif kind == "affirmation":
        patterns, question = need("patterns"), need("question")
        allowed = {"patterns", "question", "negatable"}
    elif kind == "claim":
        all_of = tuple(_concept_list(node, "all", file, rule_id))
        any_of = tuple(_concept_list(node, "any", file, rule_id))
        unless = tuple(_concept_list(node, "unless", file, rule_id))
        if not all_of and not any_of:
            raise RulePackError(file, node.line, f"rule {rule_id}: a claim rule needs 'all' or 'any' concepts")
        within = node.get("within", "sentence")
        if within not in WITHIN:
            raise at("within").error(f"rule {rule_id}: 'within' must be one of {', '.join(WITHIN)}")
        claim = (all_of, any_of, unless, within)
        allowed = {"all", "any", "unless", "within", "negatable"}
    else:
        detectors = tuple(_str_list(node, "detectors", file))
        if not detectors:
            raise RulePackError(file, node.line, f"rule {rule_id}: a personal_data rule needs 'detectors'")
        for d in detectors:
            if d not in DETECTORS:
                raise at("detectors").error(f"rule {rule_id}: unknown detector {d!r} (one of {', '.join(DETECTORS)})")
        allowed = {"detectors"}
    common = {"id", "kind", "category", "severity", "message", "description"}
    for key in node:
        if key not in common | allowed:
            raise at(key).error(f"rule {rule_id}: key {key!r} does not apply to kind {kind!r}")
    return RuleSpec(
        id=rule_id,
        kind=kind,
        category=category,
        severity=severity,
        message_zh=message_zh,
        message_en=message_en,
        patterns=patterns,
        negatable=negatable,
        requires=requires,
        then=then,
        max_gap=ints("max_gap", 40, 0, 400),
        max_sentences=ints("max_sentences", 1, 0, 5),
        detectors=detectors,
        question=question,
        where=Where(file, line),
        requires_where=at("requires"),
        all_of=claim[0],
        any_of=claim[1],
        unless=claim[2],
        within=claim[3],
        unless_at=unless_at,
    )


def _concept_list(node: _LDict, key: str, file: str, rule_id: str) -> list[str]:
    names = _str_list(node, key, file)
    for i, name in enumerate(names):
        if not _CONCEPT_RE.match(name):
            raise RulePackError(file, node[key].item_lines[i], f"rule {rule_id}: {key!r}: invalid concept name {name!r}")
    return names


def _parse_lexicon(node: Any, file: str, where: Where) -> dict[str, Patterns]:
    """``lexicon``: concept name -> patterns (a list, or zh/en lists); referred to as ``{@name}``."""
    if node is None:
        return {}
    if not isinstance(node, _LDict):
        raise where.error("'lexicon' must be a mapping concept -> patterns")
    out: dict[str, Patterns] = {}
    for key, value in node.items():
        line = node.key_lines[key]
        if not isinstance(key, str) or not _CONCEPT_RE.match(key):
            raise RulePackError(file, line, f"invalid concept name {key!r} (lower case, digits, '_')")
        out[key] = _patterns(value, file, Where(file, line), f"lexicon.{key}")
    return out


def _parse_disclosures(node: Any, file: str, where: Where) -> dict[str, DisclosureSpec]:
    if node is None:
        return {}
    if not isinstance(node, _LDict):
        raise where.error("'disclosures' must be a mapping id -> {zh, en, accept}")
    out: dict[str, DisclosureSpec] = {}
    for key, spec in node.items():
        line = node.key_lines[key]
        if not isinstance(key, str) or not _ID_RE.match(key):
            raise RulePackError(file, line, f"invalid disclosure id {key!r}")
        if not isinstance(spec, _LDict):
            raise RulePackError(file, line, f"disclosure {key}: must be a mapping")
        _no_unknown_keys(spec, {"zh", "en", "accept", "also"}, file, "disclosure")
        if set(spec) == {"also"}:
            also = tuple(_str_list(spec, "also", file))
            if not also:
                raise RulePackError(file, spec.line, f"disclosure {key}: 'also' alone must name a disclosure")
            out[key] = DisclosureSpec(key, "", "", Patterns((), ()), Where(file, line), also, amends=True)
            continue
        texts = {}
        for lang in ("zh", "en"):
            value = spec.get(lang)
            if not isinstance(value, str) or not value.strip():
                raise RulePackError(file, spec.key_lines.get(lang, spec.line), f"disclosure {key}: {lang!r} text missing")
            texts[lang] = value.strip()
        if "accept" not in spec:
            raise RulePackError(file, spec.line, f"disclosure {key}: 'accept' patterns missing")
        accept = _patterns(spec["accept"], file, Where(file, spec.key_lines["accept"]), "accept")
        text_where = {lang: Where(file, spec.key_lines[lang]) for lang in ("zh", "en")}
        if not accept.refs:  # packs 2.31: with ``{@concept}`` references, checked once the chain's lexicon is known
            _check_accepts_own_text(key, texts, accept, text_where)
        also = tuple(_str_list(spec, "also", file))
        out[key] = DisclosureSpec(key, texts["zh"], texts["en"], accept, Where(file, line), also, text_where=text_where)
    return out


def _check_accepts_own_text(key: str, texts: Mapping[str, str], accept: Patterns, where: Mapping[str, Where]) -> None:
    for lang in ("zh", "en"):
        if not re.search(accept.combined() or "", texts[lang], re.IGNORECASE):
            raise where[lang].error(f"disclosure {key}: its own {lang} text is not accepted by 'accept'")


def _parse_scope(node: Any, file: str, where: Where) -> dict[str, Any]:
    if node is None:
        return {}
    if not isinstance(node, _LDict):
        raise where.error("'scope' must be a mapping")
    _no_unknown_keys(node, _SCOPE_KEYS, file, "scope")
    out: dict[str, Any] = {}
    for key in ("window_zh", "window_en"):
        if key in node:
            value = node[key]
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 200:
                raise RulePackError(file, node.key_lines[key], f"scope.{key} must be an integer in [1, 200]")
            out[key] = value
    if "negation_zh" in node:
        out["negation_zh"] = tuple(_str_list(node, "negation_zh", file))
    for key in ("post_window_zh", "post_window_en"):
        if key in node:
            value = node[key]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 200:
                raise RulePackError(file, node.key_lines[key], f"scope.{key} must be an integer in [0, 200]")
            out[key] = value
    for key in ("negation_en", "boundaries", "mention", "post_negation", "warning", "reassurance", "frame"):
        if key in node:
            out[key] = _patterns(node[key], file, Where(file, node.key_lines[key]), f"scope.{key}")
    return out


# ---------------------------------------------------------------- the library and inheritance


@dataclass
class PackLibrary:
    """Every version of every pack known, indexed by name; resolves a business line and region to a chain."""

    packs: dict[str, dict[str, Pack]] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> PackLibrary:
        """Build from ``{file name: YAML text}`` (e.g. an activated version stored in S3 or DynamoDB)."""
        lib = cls()
        for file, text in sorted(texts.items()):
            lib.add(parse_pack(text, file))
        lib.check()
        return lib

    @classmethod
    def from_directory(cls, directory: Path) -> PackLibrary:
        """Build from every ``*.yaml`` file in ``directory``."""
        files = sorted(directory.glob("*.yaml"))
        return cls.from_texts({f.name: f.read_text(encoding="utf-8") for f in files})

    def add(self, pack: Pack) -> None:
        versions = self.packs.setdefault(pack.name, {})
        if pack.version in versions:
            other = versions[pack.version]
            raise pack.where.error(f"pack {pack.name}@{pack.version} is also defined in {other.file}")
        versions[pack.version] = pack

    def check(self) -> None:
        """Every ``extends`` resolves, without cycles, and every merged chain refers only to known disclosures."""
        for versions in self.packs.values():
            for pack in versions.values():
                chain = self._chain(pack, {})
                _merge(chain)

    @property
    def business_lines(self) -> frozenset[str]:
        return frozenset(p.business_line for vs in self.packs.values() for p in vs.values() if p.business_line)

    def latest(self, name: str) -> Pack:
        versions = self.packs[name]
        return max(versions.values(), key=lambda p: p.version_key)

    def _chain(self, leaf: Pack, pins: Mapping[str, str]) -> list[Pack]:
        chain = [leaf]
        seen = {leaf.name}
        while chain[-1].extends:
            parent_name = chain[-1].extends
            line = _extends_line(chain[-1])
            if parent_name not in self.packs:
                raise RulePackError(chain[-1].file, line, f"extends unknown pack {parent_name!r}")
            if parent_name in seen:
                raise RulePackError(chain[-1].file, line, f"inheritance cycle through {parent_name!r}")
            seen.add(parent_name)
            pin = pins.get(parent_name)
            if pin is not None:
                if pin not in self.packs[parent_name]:
                    raise NotFoundError(f"rule pack {parent_name}@{pin} is not available", field="version")
                chain.append(self.packs[parent_name][pin])
            else:
                chain.append(self.latest(parent_name))
        chain.reverse()
        return chain

    def resolve(self, business_line: str, region: str, version: str | None = None) -> RulesetSpec:
        """The merged ruleset for a business line and region; a region falls back to its parent (CN-SH -> CN).

        ``version`` is a ruleset version string as returned by a scan (``base@1.0+wealth@1.2``); it pins
        every pack of the chain so that an old verdict can be reproduced.
        """
        pins = _parse_version(version) if version else {}
        leaves = [
            p for vs in self.packs.values() for p in vs.values() if p.business_line == business_line
        ]
        if not leaves:
            raise ValidationError(f"unknown business line {business_line!r}", field="business_line")
        for candidate_region in region_ancestry(region):
            names = sorted({p.name for p in leaves if p.region == candidate_region})
            if pins:
                names = [n for n in names if n in pins]
            if not names:
                continue
            if len(names) > 1:
                raise ValidationError(
                    f"several packs for {business_line}/{candidate_region}: {', '.join(names)}", field="region"
                )
            name = names[0]
            if pins:
                if pins[name] not in self.packs[name]:
                    raise NotFoundError(f"rule pack {name}@{pins[name]} is not available", field="version")
                leaf = self.packs[name][pins[name]]
            else:
                leaf = self.latest(name)
            chain = self._chain(leaf, pins)
            if pins and {p.name: p.version for p in chain} != pins:
                raise NotFoundError(f"ruleset version {version!r} does not match {business_line}/{region}",
                                    field="version")
            return _merge(chain, business_line, region)
        raise ValidationError(f"no rule pack covers region {region!r}", field="region")


def region_ancestry(region: str) -> list[str]:
    """``CN-SH`` -> ``["CN-SH", "CN"]``: the most specific region first."""
    parts = region.split("-")
    return ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _parse_version(version: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for part in version.split("+"):
        name, sep, ver = part.partition("@")
        if not sep or not _ID_RE.match(name) or not _VERSION_RE.match(ver):
            raise ValidationError(f"invalid ruleset version {version!r}", field="version")
        pins[name] = ver
    return pins


def _with_also(requires: tuple[str, ...], disclosures: dict[str, DisclosureSpec]) -> tuple[str, ...]:
    """``requires`` with every disclosure that comes ``also`` with one of them, each right after it, once."""
    out: list[str] = []

    def add(ref: str) -> None:
        if ref not in out:
            out.append(ref)
            for other in disclosures[ref].also:
                add(other)

    for ref in requires:
        add(ref)
    return tuple(out)


def _extends_line(pack: Pack) -> int | None:
    return pack.extends_where.line


def _merge(chain: Iterable[Pack], business_line: str = "", region: str = "") -> RulesetSpec:
    """Root first: a child's rule replaces the parent's rule of the same id, ``disable`` removes one."""
    chain = tuple(chain)
    rules: dict[str, RuleSpec] = {}
    disclosures: dict[str, DisclosureSpec] = {}
    scope: dict[str, Any] = {}
    raw_lexicon: dict[str, Patterns] = {}
    for pack in chain:
        raw_lexicon.update(pack.lexicon)
        for rule_id in pack.disable:
            if rule_id not in rules:
                raise pack.where.error(f"disable: rule {rule_id!r} is not defined by any parent pack")
            del rules[rule_id]
        for rule in pack.rules:
            rules[rule.id] = rule
        for key, disclosure in pack.disclosures.items():
            if disclosure.amends:
                if key not in disclosures:
                    raise disclosure.where.error(f"disclosure {key}: amends no disclosure of a parent pack")
                inherited = disclosures[key]
                disclosure = replace(inherited, also=inherited.also + tuple(a for a in disclosure.also if a not in inherited.also))
            disclosures[key] = disclosure
        scope.update(pack.scope)
    for disclosure in disclosures.values():
        for ref in disclosure.also:
            if ref not in disclosures:
                raise disclosure.where.error(f"disclosure {disclosure.id}: 'also' names unknown disclosure {ref!r}")
    for rule in rules.values():
        for ref in rule.requires:
            if ref not in disclosures:
                raise rule.requires_where.error(f"rule {rule.id}: requires unknown disclosure {ref!r}")
    lexicon = {name: _expand(p, raw_lexicon) for name, p in raw_lexicon.items()}
    for key, disclosure in disclosures.items():
        if disclosure.accept.refs:  # packs 2.31: a disclosure's variants may name concepts too
            disclosure = replace(disclosure, accept=_expand(disclosure.accept, raw_lexicon))
            _check_accepts_own_text(key, {"zh": disclosure.zh, "en": disclosure.en}, disclosure.accept, disclosure.text_where)
            disclosures[key] = disclosure
    expanded: dict[str, RuleSpec] = {}
    for rule_id, rule in rules.items():
        for name in (*rule.all_of, *rule.any_of, *rule.unless, *rule.unless_at):
            if name not in lexicon:
                raise rule.where.error(f"rule {rule_id}: unknown concept {name!r} (not in any pack's lexicon)")
        expanded[rule_id] = replace(
            rule,
            requires=_with_also(rule.requires, disclosures),
            patterns=_expand(rule.patterns, raw_lexicon),
            then=_expand(rule.then, raw_lexicon),
            question=_expand(rule.question, raw_lexicon),
        )
    rules = expanded
    scope = {k: _expand(v, raw_lexicon) if isinstance(v, Patterns) else v for k, v in scope.items()}
    leaf = chain[-1]
    return RulesetSpec(
        business_line=business_line or (leaf.business_line or ""),
        region=region or leaf.region,
        chain=chain,
        rules=tuple(rules.values()),
        disclosures=disclosures,
        scope=scope,
        lexicon=lexicon,
    )


def _expand(patterns: Patterns | None, lexicon: Mapping[str, Patterns]) -> Patterns | None:
    """Replace every ``{@name}`` by the alternation of that concept's patterns of the same script."""
    if patterns is None or not patterns.refs:
        return patterns
    sources = []
    for source, script, where in zip(patterns.sources, patterns.script_tags, patterns.where, strict=True):
        out = _expand_source(source, script, lexicon, where, ())
        try:
            compiled = re.compile(out, re.IGNORECASE)
        except re.error as exc:  # pragma: no cover - each part compiled on its own already
            raise where.error(f"pattern {source!r} does not compile once expanded: {exc}") from exc
        if compiled.match(""):
            raise where.error(f"pattern {source!r} matches the empty string once expanded")
        sources.append(out)
    return Patterns(tuple(sources), patterns.where, patterns.script_tags)


def _expand_source(
    source: str, script: str, lexicon: Mapping[str, Patterns], where: Where, stack: tuple[str, ...]
) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in lexicon:
            raise where.error(f"unknown concept {{@{name}}} (not in any pack's lexicon)")
        if name in stack or len(stack) >= _MAX_EXPANSION_DEPTH:
            raise where.error(f"concept cycle through {' -> '.join((*stack, name))}")
        concept = lexicon[name]
        tags = concept.script_tags
        if script == "both":  # a reference-only pattern: every variant, each in its own script
            chosen = list(range(len(tags)))
        else:
            chosen = [i for i, t in enumerate(tags) if t in (script, "both")] or list(range(len(tags)))
        parts = [
            _expand_source(
                concept.sources[i], tags[i] if script == "both" else script, lexicon, concept.where[i], (*stack, name)
            )
            for i in chosen
        ]
        return "(?:" + "|".join(f"(?:{p})" for p in parts) + ")"

    return CONCEPT_REF_RE.sub(sub, source)
