"""Knowledge spaces: prerequisite graphs per subject, fringes, and explanations of weaknesses."""

from __future__ import annotations

from tridesk.education.knowledge.explain import (
    DEFAULT_THRESHOLDS,
    Explanation,
    Thresholds,
    check_mastery,
    explain,
    known_state,
    missing_prerequisites,
)
from tridesk.education.knowledge.graph import (
    KnowledgeGraph,
    KnowledgePoint,
    build_graph,
    load_graph,
    load_graph_file,
    subjects,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "Explanation",
    "KnowledgeGraph",
    "KnowledgePoint",
    "Thresholds",
    "build_graph",
    "check_mastery",
    "explain",
    "known_state",
    "load_graph",
    "load_graph_file",
    "missing_prerequisites",
    "subjects",
]
