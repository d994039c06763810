"""``python -m tridesk.core.intents evaluate|predict TEXT``: the measured figures and a quick probe."""

from __future__ import annotations

import argparse
import json
import time

from tridesk.core.intents import CONFIDENCE_THRESHOLD, detect
from tridesk.core.intents.evaluation import cross_validation, holdout_report
from tridesk.core.intents.model import IntentModel, load_examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tridesk.core.intents")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="held-out accuracy (fixed seed) and cross-validation")
    ev.add_argument("--folds", type=int, default=5)
    pr = sub.add_parser("predict", help="detect the intent of one text")
    pr.add_argument("text")
    pr.add_argument("--lang", default=None)
    args = parser.parse_args(argv)

    if args.command == "predict":
        print(json.dumps(detect(args.text, args.lang).to_dict(), ensure_ascii=False, indent=2))
        return 0

    start = time.perf_counter()
    IntentModel().fit(load_examples())
    fit_s = time.perf_counter() - start
    report = holdout_report(CONFIDENCE_THRESHOLD)
    print(f"examples: train {report.n_train}, held-out {report.n_test}; full fit {fit_s:.2f} s")
    print(f"held-out accuracy (threshold {CONFIDENCE_THRESHOLD}): {report.accuracy:.3f}")
    print(f"held-out argmax accuracy: {report.argmax_accuracy:.3f}; sent to unknown: {report.rejected:.3f}")
    print("per language: " + ", ".join(f"{k} {v:.3f}" for k, v in report.per_lang.items()))
    print("per intent:   " + ", ".join(f"{k} {v:.2f}" for k, v in report.per_intent.items()))
    print("top confusions (gold -> predicted): " + "; ".join(f"{g}->{p} x{n}" for g, p, n in report.confusions))
    if args.folds > 1:
        scores = cross_validation(CONFIDENCE_THRESHOLD, args.folds)
        mean = sum(scores) / len(scores)
        print(f"{args.folds} random stratified splits: " + ", ".join(f"{s:.3f}" for s in scores) + f"; mean {mean:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
