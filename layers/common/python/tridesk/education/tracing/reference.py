"""Plain per-sequence Baum-Welch in pure Python: the exact reference the vectorised engine is checked against.

Slow by design (one Python loop per answer); used by tests and by ``benchmarks/tracing.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tridesk.education.tracing.model import MAX_GUESS, MAX_SLIP, BKTParams

EPS = 1e-6


def forward_backward(seq: Sequence[bool], p: BKTParams) -> tuple[float, list[float], list[float], list[float]]:
    """Log-likelihood, P(known | all answers) per step, and expected learn / forget transitions per step."""
    n = len(seq)
    filt: list[float] = []
    scale: list[float] = []
    prior = p.prior
    for o in seq:
        e1 = 1.0 - p.slip if o else p.slip
        e0 = p.guess if o else 1.0 - p.guess
        c = prior * e1 + (1.0 - prior) * e0
        f = prior * e1 / c
        filt.append(f)
        scale.append(c)
        prior = f * (1.0 - p.forget) + (1.0 - f) * p.learn
    b0, b1 = 1.0, 1.0
    gamma = [0.0] * n
    xi01 = [0.0] * n
    xi10 = [0.0] * n
    gamma[n - 1] = filt[n - 1]
    for t in range(n - 2, -1, -1):
        o = seq[t + 1]
        c = scale[t + 1]
        w1 = (1.0 - p.slip if o else p.slip) * b1 / c
        w0 = (p.guess if o else 1.0 - p.guess) * b0 / c
        xi01[t] = (1.0 - filt[t]) * p.learn * w1
        xi10[t] = filt[t] * p.forget * w0
        b0 = (1.0 - p.learn) * w0 + p.learn * w1
        b1 = p.forget * w0 + (1.0 - p.forget) * w1
        gamma[t] = filt[t] * b1
    return sum(math.log(c) for c in scale), gamma, xi01, xi10


def em_step(seqs: Sequence[Sequence[bool]], p: BKTParams, *, fit_forget: bool = False) -> tuple[float, BKTParams]:
    """One EM iteration over the sequences of one skill: (log-likelihood of ``p``, the next parameters)."""
    ll = first = known = known_wrong = unknown = unknown_correct = 0.0
    learned = unknown_nl = forgot = known_nl = 0.0
    for seq in seqs:
        seq_ll, gamma, xi01, xi10 = forward_backward(seq, p)
        ll += seq_ll
        first += gamma[0]
        for t, o in enumerate(seq):
            g = gamma[t]
            known += g
            unknown += 1.0 - g
            if o:
                unknown_correct += 1.0 - g
            else:
                known_wrong += g
            if t < len(seq) - 1:
                learned += xi01[t]
                forgot += xi10[t]
                unknown_nl += 1.0 - g
                known_nl += g

    def clip(x: float, hi: float = 1.0) -> float:
        return min(max(x, EPS), hi - EPS)

    return ll, BKTParams(
        prior=clip(first / len(seqs)),
        learn=clip(learned / unknown_nl) if unknown_nl > 1e-12 else p.learn,
        guess=clip(unknown_correct / unknown, MAX_GUESS) if unknown > 1e-12 else p.guess,
        slip=clip(known_wrong / known, MAX_SLIP) if known > 1e-12 else p.slip,
        forget=(clip(forgot / known_nl) if known_nl > 1e-12 else p.forget) if fit_forget else p.forget,
    )


def fit_skill(seqs: Sequence[Sequence[bool]], init: BKTParams, *, max_iter: int = 100, tol: float = 1e-3,
              fit_forget: bool = False) -> tuple[BKTParams, float, int]:
    """EM from one starting point with the same stopping rule as the vectorised engine."""
    p = init
    previous: float | None = None
    ll = 0.0
    iteration = 0
    for iteration in range(max_iter + 1):
        ll, nxt = em_step(seqs, p, fit_forget=fit_forget)
        if previous is not None and abs(ll - previous) <= tol:
            break
        if iteration == max_iter:
            break
        previous = ll
        p = nxt
    return p, ll, iteration
