"""Content catalogue (micro-lessons, exercises) and the learner diagnosis with its next-step plan."""

from __future__ import annotations

from tridesk.education.content.catalogue import Catalogue, ContentItem, PlanRule, build_catalogue, load_catalogue
from tridesk.education.content.planner import Diagnosis, PlanItem, PlanStep, PointMastery, WeakPoint, diagnose

__all__ = [
    "Catalogue",
    "ContentItem",
    "Diagnosis",
    "PlanItem",
    "PlanRule",
    "PlanStep",
    "PointMastery",
    "WeakPoint",
    "build_catalogue",
    "diagnose",
    "load_catalogue",
]
