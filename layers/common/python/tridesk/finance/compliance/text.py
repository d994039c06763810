"""Text helpers of the scanner: width normalisation, negation scope, and personal-data detectors.

Chinese negation is decided on jieba tokens, not characters: a bare character test would read
"不仅" (not only), "非常" (very), "未来" (future) or "无论" (no matter) as negations. jieba's
dictionary takes about a second to load, so it is loaded once, on the first Chinese negation
check (or by ``warm_up``), and only the few characters left of a candidate hit are segmented.
"""

from __future__ import annotations

import re
import re._constants as _sre_c  # the parser's tree, read only to find a pattern's possible first characters
import re._parser as _sre_p
import threading
from collections.abc import Iterator
from typing import Any

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space map to ASCII, and ASCII letters to
# lower case, one character for one, so offsets in the normalised text are offsets in the original
# and patterns run without re.IGNORECASE (which defeats the regex engine's prefix checks).
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FOLD |= {cp: ord(chr(to).lower()) for cp, to in _FOLD.items() if chr(to).isascii() and chr(to).isupper()}
_FOLD |= {ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LATIN_RE = re.compile(r"[a-z]")


def normalise(text: str) -> str:
    """Same-length copy folded for matching: ``１００％`` -> ``100%``, ``Risk-Free`` -> ``risk-free``."""
    return text.translate(_FOLD)


# Packs 2.4: a figure said in words ("3.6 percent", "1 per cent", as spoken replies and transcripts write it) reads
# as "3.6%": the word becomes "%" and spaces, one character for one, so spans stay those of the reply and every
# pattern written for "%" applies. The scanner's copy only: the second-opinion model keeps its own features.
_PERCENT_WORD_RE = re.compile(r"(?<=\d)\s?(?:percent|per\s?cent)\b")


def _traditional_to_simplified() -> dict[int, int]:
    """Traditional Chinese characters to their simplified forms, one character for one: OpenCC's character table
    (its first candidate), without its phrase tables, which could change lengths."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "TSCharacters.txt"
    table: dict[int, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = ord(target)
    return table


# Packs 2.5 (after holdout31): replies in traditional Chinese (Hong Kong, Macau and overseas customers, "穩賺", "保證")
# are read through the simplified patterns, one character for one, so spans stay the reply's. One table with the width
# and case fold (their keys are disjoint), so the scanner's copy costs one pass over the reply.
_T2S = _traditional_to_simplified()
# Packs 2.13 (after holdout45, a cross-border desk writing to Hong Kong and Macau customers): written Cantonese's own
# characters read as their Mandarin counterparts, one for one, where the character has no other use in Mandarin
# text ("唔系保本" -> "不系保本", "冇风险" -> "没风险", "到期一定够本嘅" -> "…的"): the negation scope and every
# pattern written in Mandarin apply. Ambiguous ones (系, 呢, 咁, 点, 边) are left alone here (系 and 呢 are read in
# context below).
_CANTONESE = {ord(c): ord(m) for c, m in zip("唔冇嘅咗喺嗰啲嚟睇佢畀揾搵攞啱諗谂", "不没的了在那些来看他给找找拿对想想", strict=True)}
# Packs 2.19: written Cantonese words read as the Mandarin words of the same length ("唔使" -> "不用", "而家" -> "现在",
# "听日" -> "明天", "少过" -> "少于", "呢个" -> "这个"), before the characters are folded one for one.
_CANTONESE_WORDS = {"唔使": "不用", "唔駛": "不用", "唔好": "不要", "我哋": "我们", "你哋": "你们", "佢哋": "他们",
                    "而家": "现在", "聽日": "明天", "听日": "明天", "琴日": "昨天", "尋日": "昨天", "寻日": "昨天",
                    "今日": "今天", "即刻": "立刻", "穩陣": "稳妥", "稳阵": "稳妥", "邊個": "哪个", "边个": "哪个",
                    "蝕本": "亏本", "蚀本": "亏本", "少過": "少于", "少过": "少于"}
_CANTONESE_WORDS_RE = re.compile("|".join(_CANTONESE_WORDS) + "|呢(?=[个個款只隻份张張种種次期笔筆位间間啲些度点點排阵陣边邊类類样樣])")
# A reply written in Cantonese (one of its own characters in it) reads 系 as the copula wherever it is no part of a
# word (关系, 体系, 联系, 系统, 系列, …; 系上/系好 "tie").
_CANTONESE_MARK_RE = re.compile("[唔冇嘅咗喺嗰啲嚟佢畀哋咁啱攞嘢乜]")
_CANTONESE_COPULA_RE = re.compile(r"(?<![关体联派院世谱维水直旁母父星])系(?![统列数谱着上好紧鞋])")
# Packs 2.16: Unicode spaces (no-break, thin, figure, narrow no-break, ideographic) read as a space, so the English
# alternations can run ASCII-only.
_SPACES = {cp: 0x20 for cp in (0xA0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
                               0x200A, 0x202F, 0x205F)}
_REPLY_FOLD = _FOLD | _T2S | _CANTONESE | _SPACES
# Packs 2.13: Cantonese's copula 系 where it can be nothing else: after a negation or an adverb ("唔系" -> "不是",
# "都系", "就系"), as "是不是" ("系咪", "系唔系"), and as a reply's opening yes ("系，…"); never in 系统, 系列, 系数.
_COPULA_RE = re.compile(r"(?<=[不没都就即亦也仲咪又先])系(?![统列数])|系(?=咪|不系)|^\s*系(?=[，,。！!\s])")


def _cantonese_word(m: re.Match[str]) -> str:
    return _CANTONESE_WORDS.get(m.group(), "这")


def normalise_reply(text: str) -> str:
    """The scanner's same-length copy: ``normalise`` with traditional Chinese characters read as simplified, written
    Cantonese as Mandarin (its own words and characters, and the copula 系 where it can be nothing else: anywhere
    outside a word in a reply with Cantonese characters), Unicode spaces as spaces and figures in words folded
    (``3.6 percent`` -> ``3.6%``)."""
    cantonese = False
    if not text.isascii():
        cantonese = _CANTONESE_MARK_RE.search(text) is not None
        text = _CANTONESE_WORDS_RE.sub(_cantonese_word, text)
    norm = text.translate(_REPLY_FOLD)
    if "系" in norm:
        norm = (_CANTONESE_COPULA_RE if cantonese else _COPULA_RE).sub("是", norm)
    if "cent" not in norm:
        return norm
    return _PERCENT_WORD_RE.sub(lambda m: "%" + " " * (len(m.group()) - 1), norm)


def fold_pattern(pattern: str) -> str:
    """Lower-case a regular expression's literals, leaving escapes (``\\S``, ``\\W``, ``\\B``) intact."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(ch.translate(_FOLD))
        i += 1
    return "".join(out)


# A backreference (``\1``, ``(?P=name)``) needs its group; a pattern with one keeps its groups as written.
_BACKREFERENCE_RE = re.compile(r"\\[1-9]|\(\?P=")


def uncaptured(pattern: str) -> str:
    """Every capturing group of a regular expression made non-capturing: the same matches and spans (the scanner
    reads spans only), without the group marks the engine saves at every attempt of a group (scan CPU p99 -13%
    over the labelled replies, measured in docs/compliance.md, "Speed")."""
    if "(" not in pattern or _BACKREFERENCE_RE.search(pattern):
        return pattern
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            j = i + 1 + pattern.startswith("^", i + 1)
            j += pattern.startswith("]", j)  # a leading "]" is a literal
            out.append(pattern[i:j])
            i = j
            continue
        elif ch == "(" and not pattern.startswith("(?", i):
            out.append("(?:")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# ---------------------------------------------------------------- first-character guard
#
# A long alternation whose branches open with groups gets no prefix from the regular-expression compiler, so it
# is tried branch by branch at every position of the reply. Prefixing it with a lookahead on the set of characters
# a match can start with, "(?=[最顶冠…])(?:…)", rejects most positions in one test: the same matches, about half
# the time over the packs' concepts. Patterns the compiler already gives a literal or character-set prefix, that
# can match the empty string, or that open with an unbounded class are left as they are.

_CATEGORY_CLASS = {
    _sre_c.CATEGORY_DIGIT: r"\d", _sre_c.CATEGORY_NOT_DIGIT: r"\D", _sre_c.CATEGORY_WORD: r"\w",
    _sre_c.CATEGORY_NOT_WORD: r"\W", _sre_c.CATEGORY_SPACE: r"\s", _sre_c.CATEGORY_NOT_SPACE: r"\S",
}
_REPEATS = (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", _sre_c.MAX_REPEAT))


def _first_items(seq: Any) -> tuple[list[Any] | None, bool]:
    """Character-set items a match of ``seq`` can start with (None: any character) and whether it may be empty."""
    items: list[Any] = []
    for op, av in seq:
        if op is _sre_c.LITERAL:
            return [*items, (op, av)], False
        if op is _sre_c.IN:
            if any(o is _sre_c.NEGATE for o, _ in av):
                return None, False
            return [*items, *av], False
        if op is _sre_c.AT or op is _sre_c.ASSERT or op is _sre_c.ASSERT_NOT:
            continue  # zero-width: the first character comes from what follows
        if op is _sre_c.SUBPATTERN:
            if av[1]:  # inline flags (?i:...) would make the set case-sensitive where the pattern is not
                return None, False
            sub, empty = _first_items(av[3])
        elif op is _sre_c.BRANCH:
            sub, empty = [], False
            for alt in av[1]:
                alt_items, alt_empty = _first_items(alt)
                if alt_items is None:
                    return None, False
                sub.extend(alt_items)
                empty = empty or alt_empty
        elif op in _REPEATS:
            sub, empty = _first_items(av[2])
            empty = empty or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        items.extend(sub)
        if not empty:
            return items, False
    return items, True


def first_char_guard(source: str) -> str:
    """``source`` behind a lookahead on its possible first characters, when that saves work (see above)."""
    try:
        data = _sre_p.parse(source).data
    except Exception:  # noqa: BLE001 - the caller compiles the source and reports its errors
        return source
    if not data or data[0][0] in (_sre_c.LITERAL, _sre_c.IN):
        return source
    if data[0][0] is _sre_c.BRANCH and all(alt.data and alt.data[0][0] is _sre_c.LITERAL for alt in data[0][1][1]):
        return source
    cls = _first_class(data)
    return source if cls is None else f"(?={cls})(?:{source})"


def first_char_class(source: str) -> str | None:
    """The character class a match of ``source`` starts with; None when that cannot be told or it may be empty."""
    try:
        data = _sre_p.parse(source).data
    except Exception:  # noqa: BLE001
        return None
    return _first_class(data)


def _first_class(data: Any) -> str | None:
    items, empty = _first_items(data) if data else (None, True)
    if items is None or empty:
        return None
    parts: set[str] = set()
    for op, av in items:
        if op is _sre_c.LITERAL:
            parts.add(re.escape(chr(av)))
        elif op is _sre_c.RANGE:
            parts.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _sre_c.CATEGORY and av in _CATEGORY_CLASS:
            parts.add(_CATEGORY_CLASS[av])
        else:
            return None
    return f"[{''.join(sorted(parts))}]"


def script_of(norm: str) -> str:
    """``zh``, ``en`` or ``both``: which language's patterns a normalised text needs."""
    cjk, latin = _CJK_RE.search(norm) is not None, _LATIN_RE.search(norm) is not None
    if cjk and not latin:
        return "zh"
    if latin and not cjk:
        return "en"
    return "both"


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


_tokenizer: Any = None
_tokenizer_lock = threading.Lock()


def _jieba() -> Any:
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                _tokenizer = tok
    return _tokenizer


def warm_up() -> None:
    """Load jieba's dictionary now (call it during a Lambda's init phase) instead of on the first reply."""
    _jieba()


def zh_tokens(text: str) -> Iterator[str]:
    return _jieba().cut(text, HMM=False)


# Quoted stretches: a claim inside quotes may be a mention ("请勿相信“稳赚不赔”的宣传"), not a use.
# An ASCII apostrophe inside a word ("can't") neither opens nor closes a quote.
_QUOTE_RE = re.compile(  # packs 2.3: up to 120 characters (a scam advert's whole slogan), 60 before
    r"“[^”\n]{1,120}”|「[^」\n]{1,120}」|『[^』\n]{1,120}』|‘(?:[^’\n]|’(?=[a-z])){1,120}’|\"[^\"\n]{1,120}\""
    r"|(?<![a-z0-9])'(?:[^'\n]|'(?=[a-z])){1,120}'(?![a-z0-9])"
)
_SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")
DASH_RE = re.compile(r"[—–]|\s-{1,2}\s")  # packs 2.13: a dash ends a negation's reach and an answer's clause
# A hit that is itself negative in form ("不查征信", "no credit check") listed after a parallel item of the
# same form ("不看流水不查征信", "no payslips and no credit check"): that item's negation is not the hit's.
_SELF_NEGATIVE_ZH = frozenset("不无免没零")
_SELF_NEGATIVE_EN_RE = re.compile(r"(?:no|without|zero)\b")
# Packs 2.21: a negated predicate coordinated with "or" negates its second verb too ("we never guarantee returns or call
# a product zero-risk"): the hit within a few words after the "or", the negation before it in the same clause.
_NEGATED_OR_EN_RE = re.compile(
    r"\b(?:never|not|cannot|can't|won't|don't|doesn't|didn't|wouldn't|shouldn't)\s[^,;:.!?]{0,60}?\bor\s+(?:[a-z-]+\s+){0,4}$"
)
_PARALLEL_ZH_RE = re.compile(
    r"(?:不(?:看|查|审|验|问|要|需要?|用|限|收|押)|无需?|免|零|没有?)"
    r"(?!相信|信|申请|买|办|碰|轻信|理会|点|透露|提供|转|告诉|说|讲|能|会|可能|承诺|保证|代表|等于|是|有$)"
    r"[\u4e00-\u9fff]{1,3}[、和及与或]?$"
)
# A coordinated clause with its own subject starts a new predicate: the negation of "we don't hide anything"
# does not reach "and our rates leave theirs in the dust" (nor 不收手续费 "而且" 利率比别家低).
_COORDINATED_EN_RE = re.compile(
    r"\b(?:and|so|because|since)\s+(?:we|our|you|your|it|its|they|their|this|these|the)\b"
    # packs 2.29: "are not deposits and carry risk": a coordinated verb of its own
    r"|\band\s+(?:carry|carries|involve|involves)\b"
)
_COORDINATED_ZH_RE = re.compile(r"而且|并且|同时|所以|因此|况且")
# A condition "不转账就…" / "再不买的话…": its 不 negates the condition, not what follows ("…就赶不上这一期了").
_CONDITIONAL_ZH_RE = re.compile(r"(?:再不|不|没)[\u4e00-\u9fff\d]{1,8}?(?:就|的话)")
# 除非 (unless), 莫非 (could it be) end in 非 without negating what follows; 不可思议 (incredible) and 不得不 (have to)
# open with a negation word without being one.
_NOT_NEGATING_FEI = frozenset({"除非", "莫非", "无非"})
_NOT_NEGATING_TOKENS = frozenset({"不可思议", "不得不", "不得了", "不一会"})
# "if you don't confirm by 5pm, it goes back into the pool": the negation is the condition's (as 不转账就… above).
_CONDITIONAL_EN_RE = re.compile(r"\bif\s+you\s+(?:don[’']?t|do\s+not)\s+\w+(?:\s+\w+)?\s+(?:by|before)\s+[\w:]+(?:\s*(?:am|pm)\b)?")
_PARALLEL_EN_RE = re.compile(r"\b(?:no|without|zero)\s+[\w-]+(?:\s+[\w-]+)?\s*(?:,|\band\b|\bor\b)?\s*$")
# Packs 1.7: a rhetorical question negates what it asks about ("基金哪有闭眼入的", "哪会亏呢", "怎么可能保本"). jieba splits
# 哪|有 and 哪|会, so the cue is read on the characters of the window, not on its tokens.
_RHETORICAL_ZH_RE = re.compile(r"哪(?:里|儿)?(?:有|能|会|来)|怎么(?:可能|会)|岂(?:有|能|会)|何来")
# packs 2.29: "未还部分会计息": 未 of an unpaid or unsettled amount names the amount; it negates nothing after it.
_AMOUNT_ZH_RE = re.compile(r"未(?:还|偿还|结清|支付|付)(?:清)?(?=部分|金额|款|本金|利息|余额|的)")


_CUE_LOOKAHEAD = 40  # characters after a hit that a mention cue's lookahead may read (packs 2.24: 16 -> 40, "… beat inflation? We cannot promise that")


class Scope:
    """Decides whether a hit is negated or only mentioned, so that it is not a claim of the reply.

    - a negation cue in the same clause, just before the hit ("we cannot promise returns");
    - a post-negation right after it in the same clause ("过往业绩也不代表…", "稳赚是不可能的",
      "past performance is not a reliable guide");
    - a mention: a cue of distance before it in its clause ("所谓", "anyone who promises"), or the hit
      inside quotation marks in a sentence that carries such a cue anywhere ("请勿相信“稳赚不赔”的宣传",
      "phrases like 'can't lose' should make you suspicious");
    - a warning: the rest of the sentence calls what it reports a scam ("…不管征信多差都能批，那是典型的诈骗",
      "anyone who says … regardless of your credit — that's a common scam"); a verdict before the hit is not one
      ("other banks are a scam, ours is guaranteed" is still a claim).
    """

    def __init__(
        self,
        *,
        negation_zh: frozenset[str],
        negation_en: re.Pattern[str],
        boundaries: re.Pattern[str],
        window_zh: int,
        window_en: int,
        mention: re.Pattern[str] | None = None,
        post_negation: re.Pattern[str] | None = None,
        post_window_zh: int = 8,
        post_window_en: int = 30,
        warning: re.Pattern[str] | None = None,
        reassurance: re.Pattern[str] | None = None,
        frame: re.Pattern[str] | None = None,
    ) -> None:
        self.negation_zh = negation_zh
        self.negation_en = negation_en
        self.boundaries = boundaries
        self.window_zh = window_zh
        self.window_en = window_en
        self.mention = mention
        self.post_negation = post_negation
        self.post_window_zh = post_window_zh
        self.post_window_en = post_window_en
        self.warning = warning
        self.reassurance = reassurance
        self.frame = frame
        self._framed: tuple[str, bool] = ("", False)
        self._quotes: tuple[str, list[tuple[int, int]]] = ("", [])
        self._zh_first_chars = frozenset(w[0] for w in negation_zh)

    def clause_end(self, text: str, pos: int) -> int:
        m = self.boundaries.search(text, pos)
        return m.start() if m else len(text)

    def discounted(self, text: str, start: int, end: int, floor: int = 0) -> bool:
        """True when the hit ``[start, end)`` is negated before or after, or only mentioned."""
        if self.negated(text, start, floor):
            return True
        if self.post_negation is not None:
            stop = self.clause_end(text, end)
            # packs 2.4: the hit's own script counts too, so that a figure after a Chinese hit ("年化2.85%（过往表现不代表
            # 未来）") does not widen the window to the English one and reach a caveat about something else
            window = self.post_window_zh if has_cjk(text[start : end + 4]) else self.post_window_en
            if self.post_negation.search(text, end, min(stop, end + window)) is not None:
                return True
        return self.mentioned(text, start, end)

    def mentioned(self, text: str, start: int, end: int) -> bool:
        if self.mention is None:
            return False
        clause = self.clause_start(text, start)
        lo = max(clause, start - self.window_en)
        if self.mention.search(text, lo, start) is not None:
            return True
        # packs 2.8: a question the reply asks and answers no ("是不是稳赚？不是的"): only the text after the hit tells,
        # so a cue ending before the hit may read on past it with its lookahead, when a question mark follows the hit
        ahead = min(len(text), end + _CUE_LOOKAHEAD)
        if (text.find("？", end, ahead) != -1 or text.find("?", end, ahead) != -1) and any(
            m.end() <= start for m in self.mention.finditer(text, lo, ahead)
        ):
            return True
        s_start, s_end = _sentence_bounds(text, start, end)
        if self.warning is not None and self.warning.search(text, end, s_end) is not None:
            return True
        # packs 2.11: a quote may hold whole sentences ("的说法：“这只基金跟定期差不多，基本保本。”经核对…"): the cue is looked
        # for from the sentence where the quote opens to the one where it closes
        for a, b in self._quote_spans(text):
            if a <= start and end <= b:
                lo = min(s_start, _sentence_bounds(text, a, a)[0])
                hi = max(s_end, _sentence_bounds(text, b, b)[1])
                return self.mention.search(text, lo, hi) is not None or self.framed(text)
        return False

    def _quote_spans(self, text: str) -> list[tuple[int, int]]:
        """The reply's quoted stretches, found once per reply."""
        known = self._quotes
        if known[0] is not text:
            known = self._quotes = (text, [(q.start(), q.end()) for q in _QUOTE_RE.finditer(text)])
        return known[1]

    def quoted(self, text: str, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside quotation marks (the quotes are found once per reply)."""
        return any(a <= start and end <= b for a, b in self._quote_spans(text))

    def framed(self, text: str) -> bool:
        """True when the reply frames what it reports as a warning or a refusal, in any of its sentences
        ("These are scams", "如遇此类情况请立即挂断", "we never ask…", "这样的承诺我们给不了"): what it quotes is then
        reported speech. Decided once per reply (the last answer is kept)."""
        known = self._framed
        if known[0] is text:
            return known[1]
        found = any(rx is not None and rx.search(text) is not None for rx in (self.frame, self.warning))
        self._framed = (text, found)
        return found

    def clause_start(self, text: str, pos: int, floor: int = 0) -> int:
        """Start of the clause holding ``pos``: after the last boundary (punctuation, "but", "但") before it."""
        lo = max(floor, pos - max(self.window_en, self.window_zh) * 2)
        start = lo
        for m in self.boundaries.finditer(text, lo, pos):
            start = m.end()
        return start

    def negated(self, text: str, pos: int, floor: int = 0) -> bool:
        """True when a negation cue governs the hit starting at ``pos``."""
        start = self.clause_start(text, pos, floor)
        if start >= pos:
            return False
        en_window = text[max(start, pos - self.window_en) : pos]
        zh_window = text[max(start, pos - self.window_zh) : pos]
        for m in _COORDINATED_EN_RE.finditer(en_window):
            en_window = en_window[m.start() :]
        for m in _COORDINATED_ZH_RE.finditer(zh_window):
            zh_window = zh_window[m.end() :]
        for m in _CONDITIONAL_EN_RE.finditer(en_window):
            en_window = en_window[m.end() :]
        # packs 2.13: a dash ends the negation's reach ("Not at all — the top-up is yours", "won't come back — sign
        # today"); it still joins the clause for the claim rules ("a sure thing — it'll go through")
        for m in DASH_RE.finditer(en_window):
            en_window = en_window[m.end() :]
        for m in _CONDITIONAL_ZH_RE.finditer(zh_window):
            zh_window = zh_window[m.end() :]
        if "未" in zh_window:
            zh_window = _AMOUNT_ZH_RE.sub("", zh_window)
        if text[pos : pos + 1] in _SELF_NEGATIVE_ZH:
            while (m := _PARALLEL_ZH_RE.search(zh_window)) is not None:
                zh_window = zh_window[: m.start()]
        elif _SELF_NEGATIVE_EN_RE.match(text, pos):
            while (m := _PARALLEL_EN_RE.search(en_window)) is not None:
                en_window = en_window[: m.start()]
        if self.negation_en.search(en_window) or _RHETORICAL_ZH_RE.search(zh_window):
            return True
        reach = max(start, pos - 120)
        if " or " in text[reach:pos] and _NEGATED_OR_EN_RE.search(text, reach, pos):
            return True
        if zh_window[-1:] == "非" and zh_window[-2:] not in _NOT_NEGATING_FEI or en_window.endswith(("non-", "non ")):
            return True  # a prefix glued to the term ("非保本", "non-principal-protected"), whatever the segmentation
        if not any(ch in self._zh_first_chars for ch in zh_window):
            return False
        return any(self._negation_token(tok) for tok in zh_tokens(zh_window))

    def _negation_token(self, tok: str) -> bool:
        """A negation word, or a longer token that opens with a two-character one ("并不等于" is one token)."""
        if tok in self.negation_zh:
            return True
        return len(tok) > 2 and tok[:2] in self.negation_zh and tok not in _NOT_NEGATING_TOKENS


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s_start = 0
    for m in _SENTENCE_END_RE.finditer(text, max(0, start - 300), start):
        s_start = m.end()
    m = _SENTENCE_END_RE.search(text, end)
    return s_start, (m.end() if m else len(text))


# ---------------------------------------------------------------- personal data

_CARD_RE = re.compile(r"(?<![\d])[3-6]\d{3}(?:[ -]?\d){9,15}(?![\d])")
_ID_RE = re.compile(r"(?<![\dA-Za-z])[1-8]\d{16}[\dXx](?![\dA-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def cn_id_ok(number: str) -> bool:
    """An 18-character resident ID: plausible birth date and a valid ISO 7064 check character."""
    body, check = number[:17], number[17].upper()
    month, day = int(number[10:12]), int(number[12:14])
    year = int(number[6:10])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == check


# A number the reply itself introduces as a card, account or ID number is one whatever its check digit
# ("卡号6225…", "Card 4392 2601 …", "ID number 3201…"); a bare number still needs its checksum, so order and
# tracking numbers are not masked. The cue must end right before the number (a few words at most between).
_CARD_CUE_RE = re.compile(
    r"(?:卡号|卡片号码?|银行卡|信用卡|借记卡|储蓄卡|账号|帐号|账户|帐户|户号)(?:号码?|号|是|为|：|:|\s)*$"
    r"|\b(?:card|account|acct)(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was|ending|of))?[\s:：#]*$"
    # packs 2.2: a card named just before, in other words ("扣款的卡是…", "那张卡…", "入账卡设置为…", "the card you typed, …")
    r"|卡(?:是|为|设置为|变更为|改为|换成|更新为|更换为|换为|绑定为|设为|：|:|\s)*$"  # packs 2.19: "扣费卡更新为…"
    r"|\bcard\b[^.;!?\d]{0,24}$"
)
_ID_CUE_RE = re.compile(
    r"(?:身份证|证件)(?:号码?|号)?(?:是|为|：|:|\s)*$"
    r"|\b(?:id|identity|resident\s+id|id\s+card|identity\s+card)(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was))?[\s:：#]*$"
    # packs 2.4: an ID number named a few words before ("your ID number for the loan: …", "the ID number you gave,
    # …"; in Chinese a few words before, "身份证号码登记的是…", and since packs 2.7 across commas, the number read back
    # first in Chinese numerals: "身份证号我再跟您核对一遍：四四零三零六，…，4403…")
    r"|\b(?:id|identity)(?:\s+card)?\s+(?:number|no\.?)\b[^.;!?\d]{0,24}$"
    r"|身份证(?:号码?|号)[^。；！？\d]{0,32}$"
)
_LABELLED_CARD_DIGITS = (16, 19)
# packs 2.6: a card number named right after it ("…5678这张卡", "…7890这张已经冻结了", "…的卡"), and one printed in
# groups of four as on the card ("6258 9911 0045 7723": how a card number is read out, not an order number)
_CARD_AFTER_RE = re.compile(r"\s*(?:(?:这|那)张|的?(?:银行卡|信用卡|借记卡|储蓄卡|卡))")
_CARD_GROUPED_RE = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?")


CUE_WINDOW = 36  # characters before a number searched for its cue (packs 2.4: 24 -> 36, "ID number on your application: …")


def _labelled(text: str, start: int, cue: re.Pattern[str]) -> bool:
    return cue.search(text, max(0, start - CUE_WINDOW), start) is not None


_LONG_NUMBER_RE = re.compile(r"[0-9](?:[ -]?[0-9]){12,}")


def digit_runs(text: str | None) -> frozenset[str]:
    """The digits of every number of 13 or more digits in a text (spaces and dashes inside allowed): what a reply
    would echo of a customer's message."""
    if not text:
        return frozenset()
    folded = normalise(text)
    return frozenset(re.sub(r"[ -]", "", m.group()) for m in _LONG_NUMBER_RE.finditer(folded))


def find_bank_cards(text: str, echoed: frozenset[str] = frozenset()) -> Iterator[tuple[int, int]]:
    """Spans of full card numbers (13-19 digits, spaces or dashes allowed) that pass the Luhn check, or of
    16-19 digits that the reply introduces as a card or account number (a cue before or right after it, the card's
    groups of four), or that repeat a number of the customer's message (``echoed``, see ``digit_runs``)."""
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if not 13 <= len(digits) <= 19:
            continue
        labelled = _LABELLED_CARD_DIGITS[0] <= len(digits) <= _LABELLED_CARD_DIGITS[1] and (
            _labelled(text, m.start(), _CARD_CUE_RE)
            or _CARD_AFTER_RE.match(text, m.end()) is not None
            or _CARD_GROUPED_RE.fullmatch(m.group()) is not None
        )
        if labelled or digits in echoed or luhn_ok(digits):
            yield m.start(), m.end()


def find_cn_ids(text: str, echoed: frozenset[str] = frozenset()) -> Iterator[tuple[int, int]]:
    """Spans of full 18-character Chinese resident ID numbers with a valid check character, that the reply
    introduces as an ID number, or that repeat one of the customer's message."""
    for m in _ID_RE.finditer(text):
        if cn_id_ok(m.group()) or m.group() in echoed or m.group()[:17] in echoed or _labelled(text, m.start(), _ID_CUE_RE):
            yield m.start(), m.end()


def mask(fragment: str, keep_last: int = 4, keep_first: int = 0) -> str:
    """Replace every digit but the first ``keep_first`` and last ``keep_last`` with ``*``; same length."""
    positions = [i for i, ch in enumerate(fragment) if ch.isalnum()]
    hide = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hide else ch for i, ch in enumerate(fragment))


DETECTORS = {
    "bank_card": (find_bank_cards, 0),
    "cn_id": (find_cn_ids, 3),
}
