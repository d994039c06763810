"""Bayesian Knowledge Tracing: fit per knowledge point by vectorised EM, update mastery online in O(1).

Lambda path: ``update_mastery(p_known, correct, params)`` after each answer (start from
``params.prior``) and ``predict_correct(p_known, params)``. Batch path: ``fit(rows)`` and
``predict(rows, params)``, or the command line ``python -m tridesk.education.tracing``.
"""

from __future__ import annotations

from tridesk.education.tracing.api import Answers, FitResult, Predictions, answers_from, fit, fit_detailed, predict
from tridesk.education.tracing.model import BKTParams, predict_correct, trace, update_mastery

__all__ = [
    "Answers",
    "BKTParams",
    "FitResult",
    "Predictions",
    "answers_from",
    "fit",
    "fit_detailed",
    "predict",
    "predict_correct",
    "trace",
    "update_mastery",
]
