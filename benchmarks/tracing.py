"""BKT fitting benchmark: recovery, AUC/RMSE and fit time of the vectorised EM against references.

Simulates answers from known per-skill parameters, fits them with ``tridesk.education.tracing`` and
compares, in the same run and on the same data:
  * the plain per-sequence Python EM (``tracing.reference``) from the same starting point, same
    stopping rule: parameters and AUC must agree, the ratio of times is the vectorisation speed-up;
  * pyBKT 1.4.3, when a Python with pyBKT installed is given by ``--pybkt-python`` (it needs
    numpy<2, pandas<2.2, scikit-learn<1.6, so it lives in its own virtual environment).

    uv run python benchmarks/tracing.py [--quick] [--pybkt-python /tmp/pybkt-venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tridesk.education.tracing import BKTParams, api, reference

PARAM_NAMES = ("prior", "learn", "guess", "slip")

PYBKT_SCRIPT = r"""
import json, sys, time
import pandas as pd
from pyBKT.models import Model
path, seed, parallel = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "parallel"
df = pd.read_csv(path)
model = Model(seed=seed, num_fits=5, parallel=parallel)
started = time.perf_counter()
model.fit(data=df)
seconds = time.perf_counter() - started
auc, rmse = model.evaluate(data=df, metric=["auc", "rmse"])
params = model.params().reset_index()
out = {}
for _, row in params.iterrows():
    if row["param"] in ("prior", "learns", "guesses", "slips"):
        name = {"learns": "learn", "guesses": "guess", "slips": "slip"}.get(row["param"], row["param"])
        out.setdefault(row["skill"], {})[name] = float(row["value"])
print(json.dumps({"seconds": seconds, "auc": float(auc), "rmse": float(rmse), "params": out}))
"""


def simulate(rng: np.random.Generator, n_skills: int, n_students: int, mean_len: int):
    """Answers in time order (interleaving skills per student) and the true parameters per skill."""
    true = {
        f"skill-{k:02d}": BKTParams(prior=float(rng.uniform(0.1, 0.5)), learn=float(rng.uniform(0.05, 0.3)),
                                    guess=float(rng.uniform(0.1, 0.3)), slip=float(rng.uniform(0.05, 0.2)))
        for k in range(n_skills)
    }
    names = list(true)
    users, skills, correct, order = [], [], [], []
    for k, name in enumerate(names):
        p = true[name]
        lengths = rng.integers(max(2, mean_len // 2), mean_len * 3 // 2 + 1, n_students)
        longest = int(lengths.max())
        known = rng.random(n_students) < p.prior
        draws = rng.random((longest, n_students))
        learns = rng.random((longest, n_students))
        for t in range(longest):
            active = lengths > t
            c = np.where(known, draws[t] >= p.slip, draws[t] < p.guess)
            idx = np.flatnonzero(active)
            users.append(idx)
            skills.append(np.full(idx.shape[0], k))
            correct.append(c[idx])
            order.append(t * n_skills + k + idx * 0)
            known = known | (learns[t] < p.learn)
    users_a = np.concatenate(users)
    skills_a = np.concatenate(skills)
    correct_a = np.concatenate(correct)
    time_a = np.concatenate(order)
    sort = np.lexsort((skills_a, time_a, users_a))
    return true, names, users_a[sort], skills_a[sort], correct_a[sort]


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve by ranks (ties get their average rank)."""
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(p.shape[0])
    sorted_p = p[order]
    bounds = np.flatnonzero(np.diff(sorted_p)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [p.shape[0]]))
    for s, e in zip(starts, ends):
        ranks[order[s:e]] = (s + e + 1) / 2.0
    pos = y.astype(bool)
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def rmse(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.sqrt(np.mean((y.astype(float) - p) ** 2)))


def recovery(true: dict[str, BKTParams], fitted: dict[str, dict[str, float]]) -> tuple[float, float]:
    errors = [abs(getattr(true[s], n) - fitted[s][n]) for s in true for n in PARAM_NAMES]
    return float(np.mean(errors)), float(np.max(errors))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="about 20,000 answers instead of 200,000")
    parser.add_argument("--pybkt-python", help="a Python interpreter with pyBKT 1.4.3 installed")
    parser.add_argument("--pybkt-serial", action="store_true",
                        help="run pyBKT with parallel=False (its default is a process pool per EM step)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    n_skills, n_students, mean_len = (10, 200, 10) if args.quick else (20, 1000, 10)
    true, names, users, skills, correct = simulate(rng, n_skills, n_students, mean_len)
    n = correct.shape[0]
    print(f"data: {n:,} answers, {n_skills} skills, {n_students} students "
          f"(sequence length {mean_len // 2}-{mean_len * 3 // 2}), seed {args.seed}")
    rows = api.Answers(order_ids=[str(i) for i in range(n)], users=[str(u) for u in users],
                       skills=[names[k] for k in skills], correct=correct)

    started = time.perf_counter()
    result = api.fit_detailed(rows, restarts=5, max_iter=100, tol=1e-3, seed=args.seed)
    fit_s = time.perf_counter() - started
    preds = api.predict(rows, result.params).correct
    oracle = api.predict(rows, true).correct
    mean_err, max_err = recovery(true, {s: p.to_dict() for s, p in result.params.items()})
    ours_auc = auc(correct, preds)
    print("\n== vectorised EM (5 restarts, tol 1e-3 per skill, at most 100 iterations)")
    print(f"fit time           {fit_s:8.2f} s   ({result.iterations} iterations, converged={result.converged})")
    print(f"recovery error     mean {mean_err:.4f}  max {max_err:.4f}  (|fitted - true| over prior/learn/guess/slip)")
    print(f"AUC / RMSE         {ours_auc:.4f} / {rmse(correct, preds):.4f}   "
          f"(true parameters: {auc(correct, oracle):.4f} / {rmse(correct, oracle):.4f})")

    # Same single starting point for both: an apples-to-apples comparison of the E/M steps themselves.
    init = {s: BKTParams(prior=0.4, learn=0.15, guess=0.25, slip=0.15) for s in names}
    ref_iters = 10 if args.quick else 15
    started = time.perf_counter()
    vec = api.fit_detailed(rows, restarts=0, init=init, max_iter=ref_iters, tol=0.0)
    vec_s = time.perf_counter() - started
    seqs: dict[int, dict[int, list[bool]]] = {}
    for u, k, c in zip(users.tolist(), skills.tolist(), correct.tolist()):
        seqs.setdefault(k, {}).setdefault(u, []).append(c)
    started = time.perf_counter()
    ref_params = {}
    for k, name in enumerate(names):
        p, _, _ = reference.fit_skill(list(seqs[k].values()), init[name], max_iter=ref_iters, tol=0.0)
        ref_params[name] = p
    ref_s = time.perf_counter() - started
    diff = max(abs(getattr(vec.params[s], n) - getattr(ref_params[s], n)) for s in names for n in PARAM_NAMES)
    vec_auc = auc(correct, api.predict(rows, vec.params).correct)
    ref_auc = auc(correct, api.predict(rows, ref_params).correct)
    print(f"\n== against the per-sequence Python-loop reference ({ref_iters} EM iterations, 1 start, same init)")
    print(f"time               vectorised {vec_s:.2f} s   reference {ref_s:.2f} s   speed-up x{ref_s / vec_s:.1f}")
    print(f"max |param diff|   {diff:.2e}")
    print(f"AUC                vectorised {vec_auc:.4f}   reference {ref_auc:.4f}   "
          f"|diff| {abs(vec_auc - ref_auc):.4f} ({'ok' if abs(vec_auc - ref_auc) <= 0.005 else 'FAIL'}, target <= 0.005)")

    if args.pybkt_python:
        with tempfile.TemporaryDirectory() as tmp:
            csv_path = Path(tmp) / "answers.csv"
            with open(csv_path, "w") as handle:
                handle.write("order_id,user_id,skill_name,correct\n")
                for i in range(n):
                    handle.write(f"{i},{users[i]},{names[skills[i]]},{int(correct[i])}\n")
            script = Path(tmp) / "run_pybkt.py"
            script.write_text(PYBKT_SCRIPT)
            mode = "serial" if args.pybkt_serial else "parallel"
            done = subprocess.run([args.pybkt_python, str(script), str(csv_path), str(args.seed), mode],
                                  capture_output=True, text=True, timeout=1200)
        if done.returncode != 0:
            print(f"\n== pyBKT: failed to run ({done.stderr.strip().splitlines()[-1:]})")
        else:
            other = json.loads(done.stdout.strip().splitlines()[-1])
            p_mean, p_max = recovery(true, other["params"])
            print(f"\n== pyBKT 1.4.3 (5 fits, its defaults: tol 0.005, at most 100 iterations; {mode})")
            print(f"fit time           {other['seconds']:8.2f} s   -> vectorised EM is x{other['seconds'] / fit_s:.1f} "
                  f"faster (target >= 10)")
            print(f"recovery error     mean {p_mean:.4f}  max {p_max:.4f}")
            print(f"AUC / RMSE         {other['auc']:.4f} / {other['rmse']:.4f}   AUC |diff| vs ours "
                  f"{abs(other['auc'] - ours_auc):.4f} (target <= 0.005)")
    else:
        print("\n== pyBKT: not run (pass --pybkt-python PATH to a Python with pyBKT 1.4.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
