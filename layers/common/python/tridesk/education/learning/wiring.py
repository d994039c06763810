"""The learning pipeline as deployed: the service over DynamoDB, S3 and SQS, and the refit tasks.

One service per container, built on first use. Tuning (``TRIDESK_*``, all optional):
``TRIDESK_LEARNING_REFIT_WINDOW_DAYS`` (180), ``TRIDESK_LEARNING_REFIT_MIN_ANSWERS`` (50),
``TRIDESK_LEARNING_REFIT_MIN_POINT_ANSWERS`` (20), ``TRIDESK_LEARNING_REFIT_RESTARTS`` (5).
"""

from __future__ import annotations

from typing import Any

from tridesk.core.errors import ValidationError
from tridesk.core.lazy import per_container
from tridesk.core.settings import Settings, get_settings
from tridesk.education.knowledge import subjects
from tridesk.education.learning.adapters import AwsParamsStore, DynamoMasteryStore, S3AnswerArchive, SqsEventQueue
from tridesk.education.learning.refit import RefitConfig, collect, refit
from tridesk.education.learning.service import LearningService


@per_container
def learning_service() -> LearningService:
    """This container's service."""
    return LearningService(queue=SqsEventQueue(), mastery=DynamoMasteryStore(),
                           params=AwsParamsStore(), archive=S3AnswerArchive())


def _int(settings: Settings, name: str, default: int) -> int:
    raw = settings.option(name, "")
    try:
        return int(raw) if raw else default
    except ValueError:
        raise RuntimeError(f"TRIDESK_{name.upper()} must be an integer, not {raw!r}") from None


def refit_config(settings: Settings | None = None) -> RefitConfig:
    s = settings or get_settings()
    return RefitConfig(
        window_days=_int(s, "learning_refit_window_days", 180),
        min_answers=_int(s, "learning_refit_min_answers", 50),
        min_point_answers=_int(s, "learning_refit_min_point_answers", 20),
        restarts=_int(s, "learning_refit_restarts", 5),
    )


def run_refit_step(event: dict[str, Any]) -> dict[str, Any]:
    """One task of the RefitBkt workflow: ``{"step": "collect", "run_id", "input"?}`` (the execution's
    input; ``{"subjects": [...]}`` there limits the run) or ``{"step": "fit", "subject", "run_id",
    "answers_key"?}``."""

    step = event.get("step")
    run_id = str(event.get("run_id") or "manual")
    if step == "collect":
        raw = event.get("input")
        chosen = raw.get("subjects") if isinstance(raw, dict) else None
        if chosen is not None and (not isinstance(chosen, list) or any(s not in subjects() for s in chosen)):
            raise ValidationError(f"subjects must be a list of {', '.join(subjects())}", field="subjects")
        return collect(S3AnswerArchive(), run_id, config=refit_config(),
                       only=None if chosen is None else set(chosen))
    if step == "fit":
        subject = event.get("subject")
        if not isinstance(subject, str):
            raise ValidationError("subject is required", field="subject")
        return refit(AwsParamsStore(), S3AnswerArchive(), subject, run_id=run_id,
                     answers_key=event.get("answers_key"), config=refit_config())
    raise ValidationError("step must be collect or fit", field="step")
