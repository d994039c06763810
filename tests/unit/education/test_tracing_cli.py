"""The batch command line: fit, predict, and rejection of bad files with row and column."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from tridesk.education.tracing import BKTParams, trace
from tridesk.education.tracing.__main__ import main


def write_answers(path, n_students=60, seed=0):
    rng = np.random.default_rng(seed)
    truth = {"add": BKTParams(0.3, 0.2, 0.2, 0.1), "sub": BKTParams(0.5, 0.15, 0.25, 0.1)}
    order = 0
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_id", "user_id", "skill_name", "correct"])
        for u in range(n_students):
            for skill, p in truth.items():
                known = rng.random() < p.prior
                for _ in range(8):
                    c = rng.random() >= p.slip if known else rng.random() < p.guess
                    writer.writerow([order, f"s{u}", skill, int(c)])
                    order += 1
                    known = known or rng.random() < p.learn


def test_fit_then_predict_round_trip(tmp_path, capsys):
    # GIVEN an answer file
    answers, params, preds = tmp_path / "a.csv", tmp_path / "params.json", tmp_path / "preds.csv"
    write_answers(answers)
    # WHEN fitting and predicting through the command line
    assert main(["fit", "--csv", str(answers), "--out", str(params), "--restarts", "2", "--no-progress"]) == 0
    assert main(["predict", "--csv", str(answers), "--params", str(params), "--out", str(preds)]) == 0
    # THEN params.json maps each skill to its parameters and preds.csv adds correct_predictions
    fitted = json.loads(params.read_text())
    assert set(fitted) == {"add", "sub"}
    assert set(fitted["add"]) == {"prior", "learn", "guess", "slip", "forget"}
    rows = list(csv.DictReader(open(preds)))
    assert list(rows[0]) == ["order_id", "user_id", "skill_name", "correct", "correct_predictions"]
    first = [r for r in rows if r["user_id"] == "s0" and r["skill_name"] == "add"]
    expected, _ = trace([r["correct"] == "1" for r in first], BKTParams(**fitted["add"]))
    assert [float(r["correct_predictions"]) for r in first] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("1,u1,add,1\n2,u1,add,yes\n", "row 2, column 'correct': expected 0 or 1, found 'yes'"),
        ("1,u1,add,1\n2,,add,0\n", "row 2, column 'user_id': empty value"),
        ("1,u1,add,1\n2,u1,add\n", "row 2, column '*': expected 4 fields, found 3"),
        ("1,u1,,1\n", "row 1, column 'skill_name': empty value"),
    ],
)
def test_bad_rows_exit_2_naming_row_and_column(tmp_path, capsys, body, expected):
    path = tmp_path / "bad.csv"
    path.write_text("order_id,user_id,skill_name,correct\n" + body)
    assert main(["fit", "--csv", str(path), "--out", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err
    assert expected in err and str(path) in err
    assert not (tmp_path / "p.json").exists()


def test_missing_column_and_unknown_skill_exit_2(tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text("order_id,user_id,correct\n1,u1,1\n")
    assert main(["fit", "--csv", str(path), "--out", str(tmp_path / "p.json")]) == 2
    assert "header lacks column(s) skill_name" in capsys.readouterr().err
    path.write_text("order_id,user_id,skill_name,correct\n1,u1,mul,1\n")
    params = tmp_path / "p.json"
    params.write_text(json.dumps({"add": {"prior": 0.3, "learn": 0.2, "guess": 0.2, "slip": 0.1}}))
    assert main(["predict", "--csv", str(path), "--params", str(params), "--out", str(tmp_path / "o.csv")]) == 2
    assert "'mul' (row 1)" in capsys.readouterr().err
    params.write_text(json.dumps({"mul": {"prior": 0.3, "learn": 0.2, "guess": 0.7, "slip": 0.1}}))
    assert main(["predict", "--csv", str(path), "--params", str(params), "--out", str(tmp_path / "o.csv")]) == 2
    assert "mul.guess" in capsys.readouterr().err


def test_module_entry_point_runs(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("order_id,user_id,skill_name,correct\n1,u1,add,2\n")
    done = subprocess.run([sys.executable, "-m", "tridesk.education.tracing", "fit", "--csv", str(path),
                           "--out", str(tmp_path / "p.json")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "row 1, column 'correct'" in done.stderr


def test_progress_bar_is_drawn_on_request(tmp_path, capsys):
    answers = tmp_path / "a.csv"
    write_answers(answers, n_students=10)
    assert main(["fit", "--csv", str(answers), "--out", str(tmp_path / "p.json"), "--restarts", "1",
                 "--progress"]) == 0
    err = capsys.readouterr().err
    assert "EM:" in err and "loglik=" in err and "fitted 2 skill(s)" in err
