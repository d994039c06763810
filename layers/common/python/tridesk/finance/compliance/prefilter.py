"""Which English patterns a reply cannot match, told from its words before any pattern runs.

Most of an English scan's time went to alternations that find nothing: on the slowest 2% of labelled replies
(English, about 300 characters) 86% of the concepts' time was spent on concepts without a match, each alternation
tried at every word start. ``requirements`` reads a compiled English pattern's parse tree once and says what every
match of it shows, as alternatives ("ways"), each a few key sets a match that way shows one key of each. The keys:

- a whole token (a run of ASCII ``\\w`` characters, as the patterns' ``re.ASCII`` reads ``\\b``):
  ``\\bguarantee[sd]?\\b`` shows one of {guarantee, guarantees, guaranteed};
- a token's first four characters, where only its start is known: ``\\boutperform\\w*`` shows {outp};
- one character other than a word character: ``\\d+\\s?%`` shows {%}.

``\\b(act|buy)\\s+(now|today)\\b`` is one way with two key sets, {act, buy} and {now, today}. A ``Prefilter``
holds a ruleset's English patterns; ``admitted`` reads a reply's keys once (``reply_keys``) and names the patterns one
of whose ways the reply has every key set of. The others cannot match it and are not run.

The walk is conservative: whatever it cannot follow (a backreference, inline flags, a repeat that keeps changing what
it could have read) makes it forget where a token starts or what a branch requires, so it names fewer keys, never a
wrong one; a pattern with a way that requires nothing always runs. Tests check that every string a pattern matches
(generated from the pattern) and every labelled reply a pattern matches is admitted for it.
"""

from __future__ import annotations

import re
import re._constants as _c  # the parser's tree, read only
import re._parser as _p
from functools import lru_cache
from typing import Any

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_TOKEN_RE = re.compile(r"\w+", re.ASCII)
_PREFIX = 4  # a token's first characters kept as a key where only its start is known
_MAX_TEXTS = 256  # more possible token texts than this and the walk forgets them
_MAX_CLASS = 8  # a word-character class wider than this extends no token text
_MAX_WAYS = 512  # more alternatives than this are folded into one weaker requirement
_KEEP = 3  # key sets kept per way
_ROUNDS = 5  # iterations of a repeated group followed before the walk gives up on it
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT))
_BOUNDARIES = (_c.AT_BOUNDARY, _c.AT_BEGINNING, _c.AT_BEGINNING_STRING)
_SPACES = frozenset(" \t\n\r\f\v")
# Tokens too common to tell replies apart: a pattern keyed on them is kept only when nothing better is known.
_COMMON = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its this that these
    those you your yours we our us i me my he she they them their there here not no do does did don t s ll re ve d m
    can could will would should may might must have has had so just all any some one what which who how when up out
    about into than then more most very too also get got""".split()
)

# Words (and first four letters) most finance replies have, notices included: weak keys, though not as weak as the above.
_FREQUENT = frozenset(
    """risk risks invest investment investing inve return returns retu year years money mone principal prin
    performance perf past future guaranteed guarantee guar rate rates fund funds product products deposit deposits loan
    loans card insurance interest account bank advice never back before every ever other going""".split()
)

# The walk's state: None when some path through the pattern so far is not at a known token start, else the set of
# (text, mode) a path may be in. ``READING``: the token being read starts at a known place and is ``text`` so far;
# ``OPEN``: it starts with ``text`` and something unknown followed; ``ENDED``: a token that was exactly ``text`` ended
# on this path (an optional character other than a letter: "come,?") and no key was required for it yet.
_READING, _OPEN, _ENDED = 0, 1, 2
_State = frozenset[tuple[str, int]] | None
_START: frozenset[tuple[str, int]] = frozenset({("", _READING)})


@lru_cache(maxsize=4096)
def requirements(source: str, flags: int) -> tuple[tuple[frozenset[str], ...], ...] | None:
    """What every match of ``source`` (compiled with ``flags``) shows, as alternatives each of which lists key sets
    that a match by it all show (one key of each), sharpest first; None when nothing can be told. Kept per source:
    the rulesets of one business line share most of their patterns."""
    if not flags & re.ASCII or flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        tree = _p.parse(source, flags)
    except re.error:
        return None
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    state, ways = _sequence(list(tree), None)
    ways = _require(ways, _token_end(_opened(state)))  # a match ends inside a token that starts with what was read
    if any(not way for way in ways):
        return None
    return tuple(dict.fromkeys(_sharpest(way) for way in ways))


def _sharpest(way: tuple[frozenset[str], ...]) -> tuple[frozenset[str], ...]:
    """A way's sharpest key sets, sharpest first (more than ``_KEEP`` cost more to check than they rule out)."""
    return tuple(sorted(set(way), key=lambda keys: (_weight(keys), sorted(keys))))[:_KEEP]


class Prefilter:
    """The English patterns of a ruleset, each under its requirements: ``admitted`` reads a reply's keys once and
    names the gated patterns that may match it, each alternative looked up by its sharpest key set."""

    def __init__(self, sources: list[tuple[str, int]]) -> None:
        gated: dict[str, tuple[tuple[frozenset[str], ...], ...]] = {}
        for source, flags in sources:
            if source not in gated and (ways := requirements(source, flags)) is not None:
                gated[source] = ways
        self.gated = frozenset(gated)
        # every key set a way needs beside its sharpest gets a bit; a reply's keys light the bits of those they are in
        bit: dict[frozenset[str], int] = {}
        for ways in gated.values():
            for _first, *rest in ways:
                for keys in rest:
                    bit.setdefault(keys, 1 << len(bit))
        lights: dict[str, int] = {}
        for keys, b in bit.items():
            for key in keys:
                lights[key] = lights.get(key, 0) | b
        alone: dict[str, set[str]] = {}
        wanting: dict[str, dict[str, set[int]]] = {}
        for source, ways in gated.items():
            for first, *rest in ways:
                need = 0
                for keys in rest:
                    need |= bit[keys]
                for key in first:
                    if need:
                        wanting.setdefault(key, {}).setdefault(source, set()).add(need)
                    else:
                        alone.setdefault(key, set()).add(source)
        # by key: the patterns its sharpest key set lets through alone, and those that need more key sets lit
        self._lights = lights
        self._index = {
            key: (
                frozenset(alone.get(key, ())),
                tuple((source, tuple(needs)) for source, needs in wanting.get(key, {}).items()
                      if source not in alone.get(key, ())),
            )
            for key in alone.keys() | wanting.keys()
        }
        self._chars = tuple(sorted(k for k in lights.keys() | self._index.keys() if len(k) == 1 and k not in _WORD_CHARS))

    def admitted(self, norm: str) -> set[str]:
        """The gated patterns' sources that may match ``norm`` (the others cannot)."""
        keys = reply_keys(norm, self._chars)
        lights = self._lights
        lit = 0
        for key in keys:
            b = lights.get(key)
            if b is not None:
                lit |= b
        out: set[str] = set()
        index = self._index
        for key in keys:
            entry = index.get(key)
            if entry is None:
                continue
            alone, wanting = entry
            if alone:
                out |= alone
            for source, needs in wanting:
                if source not in out:
                    for need in needs:
                        if need & lit == need:
                            out.add(source)
                            break
        return out


def reply_keys(norm: str, chars: tuple[str, ...] = ()) -> frozenset[str]:
    """The keys a normalised reply shows: its tokens, their first four characters, and which of ``chars`` it has.
    A token's first characters share the tokens' key space: a four-letter key then also admits longer tokens that
    start with it, so a gate only lets more through, never fewer."""
    keys = set(_TOKEN_RE.findall(norm))
    keys.update([t[:_PREFIX] for t in keys if len(t) > _PREFIX])
    keys.update([ch for ch in chars if ch in norm])
    return frozenset(keys)


def _kind(items: list[Any]) -> tuple[str, frozenset[str] | None]:
    """What one character of a class can be: ``word``, ``other`` or ``mixed``, and its characters when few."""
    chars: set[str] | None = set()
    kinds: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            kinds.add("word" if chr(av) in _WORD_CHARS else "other")
            if chars is not None:
                chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < 80:
            span = {chr(cp) for cp in range(av[0], av[1] + 1)}
            kinds.update("word" if ch in _WORD_CHARS else "other" for ch in span)
            if chars is not None:
                chars |= span
        elif op is _c.CATEGORY and av in (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_WORD):
            kinds.add("other")
            chars = None
        elif op is _c.CATEGORY and av in (_c.CATEGORY_DIGIT, _c.CATEGORY_WORD):
            kinds.add("word")
            chars = None
        else:
            return "mixed", None
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    return kind, frozenset(chars) if chars is not None else None


def _atom(op: Any, av: Any) -> tuple[str, frozenset[str] | None] | None:
    """A one-character item's kind, or None for anything else."""
    if op is _c.LITERAL:
        return _kind([(op, av)])
    if op is _c.IN:
        return _kind(av)
    if op is _c.NOT_LITERAL or op is _c.ANY:
        return "mixed", None
    return None


def _capped(state: _State) -> _State:
    return state if state is None or len(state) <= _MAX_TEXTS else None


def _union(a: _State, b: _State) -> _State:
    return None if a is None or b is None else _capped(a | b)


def _opened(state: _State) -> _State:
    """Something unknown was read: a token being read is known by its start only."""
    if state is None:
        return None
    return frozenset((text, _OPEN if mode == _READING else mode) for text, mode in state)


def _extended(state: _State, tails: frozenset[str] | set[str]) -> _State:
    """Word characters were read: one of ``tails``."""
    if state is None:
        return None
    return _capped(frozenset((text + tail if mode == _READING else text, mode) for text, mode in state for tail in tails))


def _ended(state: _State) -> _State:
    """A character other than a letter was read on some paths: the token each was reading ends there."""
    if state is None:
        return None
    out = set()
    for text, mode in state:
        if mode == _ENDED or (mode == _READING and text):
            out.add((text, _ENDED))
        elif mode == _OPEN and len(text) >= _PREFIX:
            out.add((text[:_PREFIX], _ENDED))
        else:
            out.add(("", _READING))  # nothing known of it: the path shows no key, a new token may start
    return frozenset(out)


def _token_end(state: _State) -> frozenset[str] | None:
    """A token ends here: the keys its possible texts give, when every path gives one."""
    if state is None:
        return None
    keys = set()
    for text, mode in state:
        if text and mode != _OPEN:
            keys.add(text)
        elif mode == _OPEN and len(text) >= _PREFIX:
            keys.add(text[:_PREFIX])
        else:
            return None
    return frozenset(keys) if keys else None


# Requirements as alternatives ("ways"), each a tuple of key sets a match that way shows one key of each. ``_TRUE``:
# one way that requires nothing.
_Ways = list[tuple[frozenset[str], ...]]
_TRUE: _Ways = [()]


def _require(ways: _Ways, keys: frozenset[str] | None) -> _Ways:
    return ways if keys is None else [way + (keys,) for way in ways]


def _both(a: _Ways, b: _Ways) -> _Ways:
    """Every match shows one way of ``a`` and one of ``b``; folded to one way when there would be too many."""
    if len(a) * len(b) > _MAX_WAYS:
        b = _folded(b)
    return [x + y for x in a for y in b]


def _folded(ways: _Ways) -> _Ways:
    """One way weaker than ``ways``: the union of each way's sharpest key set (nothing if a way requires nothing)."""
    if any(not way for way in ways):
        return _TRUE
    return [(frozenset().union(*(min(way, key=_weight) for way in ways)),)]


def _sequence(items: list[Any], state: _State) -> tuple[_State, _Ways]:
    """Walk items in order: the state after them, and what a match through them shows."""
    ways = _TRUE
    for op, av in items:
        atom = _atom(op, av)
        if atom is not None:
            kind, chars = atom
            if kind == "other":
                ways = _require(ways, _token_end(state))
                state = _START
                if chars is not None and len(chars) == 1 and not chars <= _SPACES:
                    ways = _require(ways, chars)
            elif kind == "word" and chars is not None and len(chars) <= _MAX_CLASS:
                state = _extended(state, chars)
            else:
                state = _opened(state)
        elif op is _c.AT:
            if av in _BOUNDARIES:
                ways = _require(ways, _token_end(state))
                state = _START
            else:
                state = _opened(state)
        elif op is _c.ASSERT or op is _c.ASSERT_NOT:
            continue  # zero-width: reads nothing
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:
            state, inner = _sequence(list(av[3]), state)
            ways = _both(ways, inner)
        elif op is _c.BRANCH:
            state, inner = _branch(av[1], state)
            ways = _both(ways, inner)
        elif op in _REPEATS:
            state, inner = _repeat(av, state)
            ways = _both(ways, inner)
        else:
            state = None
    return state, ways


def _branch(alternatives: list[Any], state: _State) -> tuple[_State, _Ways]:
    """Every path takes one alternative: the union of their states, and their ways side by side."""
    out: _State = frozenset()
    ways: _Ways = []
    for alternative in alternatives:
        after, inner = _sequence(list(alternative), state)
        inner = _require(inner, _token_end(_opened(after)))  # the token being read starts with what was read
        out = _union(out, after)
        ways += inner
    if any(not way for way in ways):
        return out, _TRUE
    return out, (ways if len(ways) <= _MAX_WAYS else _folded(ways))


def _repeat(av: Any, state: _State) -> tuple[_State, _Ways]:
    low, high, sub = av
    items = list(sub)
    atom = _atom(*items[0]) if len(items) == 1 else None
    if atom is not None:
        kind, chars = atom
        if kind == "other":
            if low >= 1:
                return _START, _require(_TRUE, _token_end(state))
            return _union(state, _ended(state)), _TRUE
        if kind == "word" and chars is not None and len(chars) <= _MAX_CLASS and high <= 3:
            tails: set[str] = set()
            reads = {""}
            for count in range(high + 1):
                if count >= low:
                    tails |= reads
                reads = {r + ch for r in reads for ch in chars}
            return _extended(state, tails), _TRUE
        opened = _opened(state)
        return (opened if low >= 1 or kind != "word" else _union(state, opened)), _TRUE
    # a group repeated: follow the paths one iteration at a time until one more adds nothing
    seen: _State = state if low == 0 else frozenset()
    if seen is None:
        return None, _TRUE
    ways, current = _TRUE, state
    for count in range(1, _ROUNDS + 2):
        current, inner = _sequence(items, current)
        if count == 1 and low >= 1:
            ways = inner
        if current is None:
            return None, ways
        if count > low and current <= seen:
            return seen, ways
        if count > _ROUNDS:
            break
        if count >= low:
            seen = _union(seen, current)
        if seen is None:
            return None, ways
        if count >= high:
            return seen, ways
    return None, ways


def _weight(keys: frozenset[str]) -> float:
    """How often a reply is expected to show one of ``keys``: lower is a sharper requirement."""
    total = 0.0
    for key in keys:
        if len(key) == 1 and key not in _WORD_CHARS:
            total += 5 if key in "%$¥" else 50
        elif key in _COMMON:
            total += 50
        elif key in _FREQUENT:
            total += 10
        else:
            total += 1 + 4 / len(key)
    return total
