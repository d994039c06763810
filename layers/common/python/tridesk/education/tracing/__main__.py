"""Batch command line: ``python -m tridesk.education.tracing fit|predict``.

    fit     --csv FILE --out params.json [--restarts 5] [--max-iter 100] [--tol 0.001] [--forgets] [--seed 0]
    predict --csv FILE --params params.json --out preds.csv

Exit codes: 0 done, 2 bad input (the message names the file, row and column).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from tridesk.core.errors import ValidationError
from tridesk.education.tracing import api, csvio

PROGRESS_MIN_ANSWERS = 20_000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tridesk.education.tracing",
                                     description="Fit and apply Bayesian Knowledge Tracing models.")
    sub = parser.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit", help="fit parameters per skill by EM")
    fit.add_argument("--csv", required=True, help="answers: order_id,user_id,skill_name,correct")
    fit.add_argument("--out", required=True, help="where to write params.json")
    fit.add_argument("--restarts", type=int, default=5, help="random starting points per skill (default 5)")
    fit.add_argument("--max-iter", type=int, default=100, help="EM iterations at most (default 100)")
    fit.add_argument("--tol", type=float, default=1e-3,
                     help="stop when no skill's log-likelihood moves more than this (default 0.001)")
    fit.add_argument("--forgets", action="store_true", help="also fit a forget probability")
    fit.add_argument("--seed", type=int, default=0, help="seed of the random restarts (default 0)")
    shown = fit.add_mutually_exclusive_group()
    shown.add_argument("--progress", dest="progress", action="store_true", default=None,
                       help="always show the progress bar")
    shown.add_argument("--no-progress", dest="progress", action="store_false",
                       help=f"never show it (default: shown from {PROGRESS_MIN_ANSWERS:,} answers)")
    predict = sub.add_parser("predict", help="add correct_predictions to an answer file")
    predict.add_argument("--csv", required=True, help="answers: order_id,user_id,skill_name,correct")
    predict.add_argument("--params", required=True, help="params.json written by fit")
    predict.add_argument("--out", required=True, help="where to write preds.csv")
    return parser


def _fit(args: argparse.Namespace) -> int:
    answers = csvio.read_answers_csv(args.csv)
    show = args.progress if args.progress is not None else len(answers) >= PROGRESS_MIN_ANSWERS
    bar = None
    callback = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=args.max_iter, desc="EM", unit="it", file=sys.stderr)

        def callback(iteration: int, max_iter: int, ll: float) -> None:
            bar.n = iteration
            bar.set_postfix(loglik=f"{ll:.1f}", refresh=False)
            bar.refresh()

    started = time.perf_counter()
    try:
        result = api.fit_detailed(answers, restarts=args.restarts, max_iter=args.max_iter, tol=args.tol,
                                  forgets=args.forgets, seed=args.seed, progress=callback)
    finally:
        if bar is not None:
            bar.close()
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(csvio.dump_params(result.params) + "\n")
    state = "converged" if result.converged else "stopped at --max-iter"
    print(f"fitted {len(result.params)} skill(s) on {len(answers):,} answers in "
          f"{time.perf_counter() - started:.2f} s ({result.iterations} EM iterations, {state}) -> {args.out}",
          file=sys.stderr)
    return 0


def _predict(args: argparse.Namespace) -> int:
    params = csvio.load_params(args.params)
    answers = csvio.read_answers_csv(args.csv)
    missing = {}
    for i, skill in enumerate(answers.skills):
        if skill not in params and skill not in missing:
            missing[skill] = i + 1
    if missing:
        first = ", ".join(f"{s!r} (row {r})" for s, r in list(missing.items())[:5])
        raise ValidationError(f"{args.csv}: skill(s) without parameters in {args.params}: {first}",
                              field="skill_name")
    preds = api.predict(answers, params)
    csvio.write_predictions_csv(args.out, answers, preds.correct)
    print(f"wrote {len(answers):,} predictions -> {args.out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _fit(args) if args.command == "fit" else _predict(args)
    except ValidationError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
