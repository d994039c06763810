"""Answer logs as CSV (``order_id,user_id,skill_name,correct``), parameters as JSON, predictions as CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from tridesk.core.errors import ValidationError
from tridesk.education.tracing.api import COLUMNS, Answers
from tridesk.education.tracing.model import BKTParams

MAX_REPORTED = 10


class CsvRowError(ValidationError):
    """One or more rows of an answer file are unusable; ``problems`` lists (row, column, message)."""

    def __init__(self, path: str, problems: list[tuple[int, str, str]], more: int = 0) -> None:
        lines = [f"{path}: row {row}, column {column!r}: {message}" for row, column, message in problems]
        if more:
            lines.append(f"... and {more} more bad row(s)")
        row, column, _ = problems[0]
        super().__init__("\n".join(lines), field=f"row {row}.{column}")
        self.problems = problems


def read_answers_csv(path: str | Path) -> Answers:
    """Read and validate an answer log. Rows count from 1 after the header, as a spreadsheet shows them
    minus its header line; every bad row is reported (up to ten) before anything is fitted."""
    name = str(path)
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ValidationError(f"{name}: cannot open ({exc.strerror})", field="csv") from None
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValidationError(f"{name}: the file is empty; expected the header {','.join(COLUMNS)}",
                                  field="csv")
        header = [h.strip() for h in header]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ValidationError(f"{name}: header lacks column(s) {', '.join(missing)}; "
                                  f"expected {','.join(COLUMNS)}", field=f"header.{missing[0]}")
        at = {c: header.index(c) for c in COLUMNS}
        extra_names = [h for h in header if h not in COLUMNS]
        problems: list[tuple[int, str, str]] = []
        more = 0
        order_ids: list[str] = []
        users: list[str] = []
        skills: list[str] = []
        correct: list[bool] = []
        extra: dict[str, list[str]] = {h: [] for h in extra_names}

        def bad(row: int, column: str, message: str) -> None:
            nonlocal more
            if len(problems) < MAX_REPORTED:
                problems.append((row, column, message))
            else:
                more += 1

        for row_no, record in enumerate(reader, start=1):
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                bad(row_no, "*", f"expected {len(header)} fields, found {len(record)}")
                continue
            ok = True
            for column in ("order_id", "user_id", "skill_name"):
                if not record[at[column]].strip():
                    bad(row_no, column, "empty value")
                    ok = False
            value = record[at["correct"]].strip()
            if value not in ("0", "1"):
                bad(row_no, "correct", f"expected 0 or 1, found {value!r}")
                ok = False
            if not ok:
                continue
            order_ids.append(record[at["order_id"]].strip())
            users.append(record[at["user_id"]].strip())
            skills.append(record[at["skill_name"]].strip())
            correct.append(value == "1")
            for h in extra_names:
                extra[h].append(record[header.index(h)])
    if problems:
        raise CsvRowError(name, problems, more)
    if not correct:
        raise ValidationError(f"{name}: no answer rows after the header", field="csv")
    return Answers(order_ids, users, skills, np.array(correct, dtype=bool), extra)


def write_predictions_csv(path: str | Path, answers: Answers, correct_predictions: np.ndarray) -> None:
    """The input columns (and any extra ones) in input order, plus ``correct_predictions``."""
    extra_names = list(answers.extra)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*COLUMNS, *extra_names, "correct_predictions"])
        for i in range(len(answers)):
            writer.writerow([
                answers.order_ids[i], answers.users[i], answers.skills[i], int(answers.correct[i]),
                *(answers.extra[h][i] for h in extra_names), f"{correct_predictions[i]:.6f}",
            ])


def dump_params(params: Mapping[str, BKTParams]) -> str:
    """``{skill: {prior, learn, guess, slip, forget}}`` as JSON, skills sorted."""
    return json.dumps({skill: params[skill].to_dict() for skill in sorted(params)}, indent=2, ensure_ascii=False)


def load_params(path: str | Path) -> dict[str, BKTParams]:
    """Read a params.json written by ``fit``; a bad entry names its skill and parameter."""
    name = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except OSError as exc:
        raise ValidationError(f"{name}: cannot open ({exc.strerror})", field="params") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})", field="params") from None
    if not isinstance(raw, dict):
        raise ValidationError(f"{name}: expected an object mapping each skill to its parameters", field="params")
    try:
        return {skill: BKTParams.from_dict(values, field=skill) for skill, values in raw.items()}
    except ValidationError as exc:
        raise ValidationError(f"{name}: {exc.field}: {exc.message}", field=exc.field) from None
