"""Vectorised Baum-Welch for BKT: every learner's sequence of every skill, all restarts, in one pass.

Layout: each (skill, learner) pair is one sequence. Sequences are ranked longest first and stored
time-major without padding, so at step ``t`` the active sequences are exactly the rows
``0 .. counts[t]-1`` and occupy ``flat[offsets[t] : offsets[t] + counts[t]]``. One step of the
forward or backward recursion is then a handful of numpy operations over every active sequence
of every skill and every random restart, and the Python loop runs only over time steps.
Parameters are arrays of shape (restarts, skills); sufficient statistics are summed per
(restart, skill) with ``np.bincount``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tridesk.education.tracing.model import MAX_GUESS, MAX_SLIP

EPS = 1e-6
PARAMS = ("prior", "learn", "guess", "slip", "forget")
FloatArray = NDArray[np.float64]
Progress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class Layout:
    """Answers of all sequences, time-major and unpadded (see the module docstring)."""

    n_skills: int
    counts: NDArray[np.int64]
    offsets: NDArray[np.int64]
    obs: NDArray[np.bool_]
    row_skill: NDArray[np.int64]
    flat_skill: NDArray[np.int64]
    not_last: NDArray[np.bool_]
    flat_of_answer: NDArray[np.int64]
    seqs_per_skill: FloatArray
    answers_per_skill: FloatArray

    @property
    def total(self) -> int:
        return int(self.obs.shape[0])


def build_layout(users: NDArray[np.int64], skills: NDArray[np.int64], correct: NDArray[np.bool_],
                 n_skills: int | None = None) -> Layout:
    """Group answers (given in time order) into (skill, user) sequences and lay them out time-major."""
    users = np.asarray(users, dtype=np.int64)
    skills = np.asarray(skills, dtype=np.int64)
    correct = np.asarray(correct, dtype=bool)
    n = int(correct.shape[0])
    n_skills = int(skills.max()) + 1 if n_skills is None else n_skills
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Layout(n_skills, empty, empty, np.zeros(0, bool), empty, empty, np.zeros(0, bool), empty,
                      np.zeros(n_skills), np.zeros(n_skills))
    idx = np.lexsort((np.arange(n), users, skills))
    ss, uu = skills[idx], users[idx]
    new_seq = np.ones(n, dtype=bool)
    new_seq[1:] = (ss[1:] != ss[:-1]) | (uu[1:] != uu[:-1])
    seq_of = np.cumsum(new_seq) - 1
    starts = np.flatnonzero(new_seq)
    lengths = np.diff(np.append(starts, n))
    pos = np.arange(n) - starts[seq_of]
    rank_order = np.argsort(-lengths, kind="stable")
    rank = np.empty_like(rank_order)
    rank[rank_order] = np.arange(rank_order.shape[0])
    longest = int(lengths.max())
    hist = np.bincount(lengths, minlength=longest + 1)
    counts = (lengths.shape[0] - np.cumsum(hist))[:longest].astype(np.int64)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    row = rank[seq_of]
    flat = offsets[pos] + row
    flat_of_answer = np.empty(n, dtype=np.int64)
    flat_of_answer[idx] = flat
    obs = np.empty(n, dtype=bool)
    obs[flat] = correct[idx]
    row_skill = ss[starts][rank_order]
    flat_row = np.empty(n, dtype=np.int64)
    flat_row[flat] = row
    not_last = np.empty(n, dtype=bool)
    not_last[flat] = pos < lengths[seq_of] - 1
    return Layout(
        n_skills=n_skills,
        counts=counts,
        offsets=offsets,
        obs=obs,
        row_skill=row_skill,
        flat_skill=row_skill[flat_row],
        not_last=not_last,
        flat_of_answer=flat_of_answer,
        seqs_per_skill=np.bincount(row_skill, minlength=n_skills).astype(float),
        answers_per_skill=np.bincount(skills, minlength=n_skills).astype(float),
    )


@dataclass
class Forward:
    """Filtered quantities per flat answer: P(known) before it, after it, and its likelihood."""

    pred: FloatArray
    filt: FloatArray
    scale: FloatArray


def forward(layout: Layout, params: dict[str, FloatArray]) -> Forward:
    """Scaled forward pass; ``params[name]`` has shape (restarts, skills)."""
    rows = {k: v[:, layout.row_skill] for k, v in params.items()}
    n_restarts = next(iter(params.values())).shape[0]
    pred = np.empty((n_restarts, layout.total))
    filt = np.empty_like(pred)
    scale = np.empty_like(pred)
    p = rows["prior"]
    for off, n_t in zip(layout.offsets.tolist(), layout.counts.tolist()):
        sl = slice(off, off + n_t)
        o = layout.obs[sl]
        p = p[:, :n_t]
        g, s = rows["guess"][:, :n_t], rows["slip"][:, :n_t]
        e1 = np.where(o, 1.0 - s, s)
        e0 = np.where(o, g, 1.0 - g)
        known = p * e1
        c = known + (1.0 - p) * e0
        f = known / c
        pred[:, sl], filt[:, sl], scale[:, sl] = p, f, c
        p = f * (1.0 - rows["forget"][:, :n_t]) + (1.0 - f) * rows["learn"][:, :n_t]
    return Forward(pred, filt, scale)


@dataclass
class Stats:
    """Expected counts per (restart, skill) from one E-step, and the log-likelihood they came from."""

    log_likelihood: FloatArray
    known_first: FloatArray
    known: FloatArray
    known_wrong: FloatArray
    unknown_correct: FloatArray
    unknown: FloatArray
    learned: FloatArray
    unknown_not_last: FloatArray
    forgot: FloatArray
    known_not_last: FloatArray


def e_step(layout: Layout, params: dict[str, FloatArray]) -> Stats:
    """Forward-backward over all sequences at once; returns the expected counts of the M-step."""
    fw = forward(layout, params)
    rows = {k: v[:, layout.row_skill] for k, v in params.items()}
    n_restarts = fw.pred.shape[0]
    b0 = np.ones((n_restarts, layout.row_skill.shape[0]))
    b1 = np.ones_like(b0)
    gamma1 = np.empty_like(fw.pred)
    xi01 = np.zeros_like(fw.pred)
    xi10 = np.zeros_like(fw.pred)
    counts = layout.counts.tolist()
    offsets = layout.offsets.tolist()
    for t in range(len(counts) - 1, -1, -1):
        off, n_t = offsets[t], counts[t]
        n_next = counts[t + 1] if t + 1 < len(counts) else 0
        if n_next:
            nx = slice(offsets[t + 1], offsets[t + 1] + n_next)
            o = layout.obs[nx]
            g, s = rows["guess"][:, :n_next], rows["slip"][:, :n_next]
            lr, fg = rows["learn"][:, :n_next], rows["forget"][:, :n_next]
            c = fw.scale[:, nx]
            w1 = np.where(o, 1.0 - s, s) * b1[:, :n_next] / c
            w0 = np.where(o, g, 1.0 - g) * b0[:, :n_next] / c
            f = fw.filt[:, off:off + n_next]
            xi01[:, off:off + n_next] = (1.0 - f) * lr * w1
            xi10[:, off:off + n_next] = f * fg * w0
            b0[:, :n_next] = (1.0 - lr) * w0 + lr * w1
            b1[:, :n_next] = fg * w0 + (1.0 - fg) * w1
        b0[:, n_next:n_t] = 1.0
        b1[:, n_next:n_t] = 1.0
        gamma1[:, off:off + n_t] = fw.filt[:, off:off + n_t] * b1[:, :n_t]

    n_skills = layout.n_skills
    size = n_restarts * n_skills
    model = (np.arange(n_restarts)[:, None] * n_skills + layout.flat_skill[None, :]).ravel()

    def total(values: FloatArray) -> FloatArray:
        return np.bincount(model, weights=values.ravel(), minlength=size).reshape(n_restarts, n_skills)

    obs = layout.obs.astype(float)
    not_last = layout.not_last.astype(float)
    n0 = layout.counts[0] if layout.counts.shape[0] else 0
    first = np.zeros_like(gamma1)
    first[:, :n0] = gamma1[:, :n0]
    known = total(gamma1)
    known_correct = total(gamma1 * obs)
    known_not_last = total(gamma1 * not_last)
    correct_per_skill = np.bincount(layout.flat_skill, weights=obs, minlength=n_skills)
    not_last_per_skill = np.bincount(layout.flat_skill, weights=not_last, minlength=n_skills)
    return Stats(
        log_likelihood=total(np.log(fw.scale)),
        known_first=total(first),
        known=known,
        known_wrong=known - known_correct,
        unknown_correct=correct_per_skill[None, :] - known_correct,
        unknown=layout.answers_per_skill[None, :] - known,
        learned=total(xi01),
        unknown_not_last=not_last_per_skill[None, :] - known_not_last,
        forgot=total(xi10),
        known_not_last=known_not_last,
    )


def m_step(stats: Stats, layout: Layout, old: dict[str, FloatArray], *, fit_forget: bool,
           max_guess: float = MAX_GUESS, max_slip: float = MAX_SLIP) -> dict[str, FloatArray]:
    """Closed-form maximisers, clipped to the bounds (each is a 1-D concave problem, so this stays EM)."""

    def ratio(num: FloatArray, den: FloatArray, before: FloatArray) -> FloatArray:
        safe = np.where(den > 1e-12, den, 1.0)
        return np.where(den > 1e-12, num / safe, before)

    seqs = np.broadcast_to(layout.seqs_per_skill[None, :], stats.known_first.shape)
    new = {
        "prior": np.clip(ratio(stats.known_first, seqs, old["prior"]), EPS, 1 - EPS),
        "learn": np.clip(ratio(stats.learned, stats.unknown_not_last, old["learn"]), EPS, 1 - EPS),
        "guess": np.clip(ratio(stats.unknown_correct, stats.unknown, old["guess"]), EPS, max_guess - EPS),
        "slip": np.clip(ratio(stats.known_wrong, stats.known, old["slip"]), EPS, max_slip - EPS),
    }
    if fit_forget:
        new["forget"] = np.clip(ratio(stats.forgot, stats.known_not_last, old["forget"]), EPS, 1 - EPS)
    else:
        new["forget"] = old["forget"]
    return new


def random_init(rng: np.random.Generator, n_restarts: int, n_skills: int, *, fit_forget: bool,
                max_guess: float = MAX_GUESS, max_slip: float = MAX_SLIP) -> dict[str, FloatArray]:
    """Random starting points spread over the plausible region (guess and slip below their bounds)."""
    shape = (n_restarts, n_skills)
    return {
        "prior": rng.uniform(0.05, 0.95, shape),
        "learn": rng.uniform(0.01, 0.4, shape),
        "guess": rng.uniform(0.01, min(0.4, max_guess - EPS), shape),
        "slip": rng.uniform(0.01, min(0.3, max_slip - EPS), shape),
        "forget": rng.uniform(0.0, 0.1, shape) if fit_forget else np.zeros(shape),
    }


@dataclass
class EMResult:
    """Best parameters per skill (arrays of shape (skills,)) and how the fit went."""

    params: dict[str, FloatArray]
    log_likelihood: FloatArray
    iterations: int
    converged: bool
    history: list[float] = field(default_factory=list)
    best_restart: NDArray[np.int64] | None = None


def run_em(layout: Layout, init: dict[str, FloatArray], *, fit_forget: bool = False, max_iter: int = 100,
           tol: float = 1e-3, progress: Progress | None = None, max_guess: float = MAX_GUESS,
           max_slip: float = MAX_SLIP) -> EMResult:
    """EM from the given starting points until every (restart, skill) improves by less than ``tol``.

    ``history`` holds the total log-likelihood (summed over restarts and skills) of each iterate; the
    returned parameters are the best restart per skill, with the log-likelihood they were scored at.
    """
    params = {k: np.array(v, dtype=float) for k, v in init.items()}
    previous: FloatArray | None = None
    history: list[float] = []
    converged = False
    iteration = 0
    for iteration in range(max_iter + 1):
        stats = e_step(layout, params)
        ll = stats.log_likelihood
        history.append(float(ll.sum()))
        if progress is not None:
            progress(iteration, max_iter, history[-1])
        if previous is not None and np.all(np.abs(ll - previous) <= tol):
            converged = True
            break
        if iteration == max_iter:
            break
        previous = ll
        params = m_step(stats, layout, params, fit_forget=fit_forget, max_guess=max_guess, max_slip=max_slip)
    best = np.argmax(ll, axis=0)
    cols = np.arange(layout.n_skills)
    return EMResult(
        params={k: v[best, cols] for k, v in params.items()},
        log_likelihood=ll[best, cols],
        iterations=iteration,
        converged=converged,
        history=history,
        best_restart=best,
    )


def predict_flat(layout: Layout, params: dict[str, FloatArray]) -> tuple[FloatArray, FloatArray]:
    """P(correct) of each answer given the answers before it, and P(known) after it, in input order."""
    one = {k: np.asarray(v, dtype=float)[None, :] for k, v in params.items()}
    fw = forward(layout, one)
    rows_guess = one["guess"][0, layout.flat_skill]
    rows_slip = one["slip"][0, layout.flat_skill]
    rows_learn = one["learn"][0, layout.flat_skill]
    rows_forget = one["forget"][0, layout.flat_skill]
    p = fw.pred[0]
    correct = p * (1.0 - rows_slip) + (1.0 - p) * rows_guess
    f = fw.filt[0]
    after = f * (1.0 - rows_forget) + (1.0 - f) * rows_learn
    return correct[layout.flat_of_answer], after[layout.flat_of_answer]
