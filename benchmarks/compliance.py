"""Compliance firewall benchmark: accuracy, recall, false positives and scan time on the labelled set.

The scanner is compared, in the same run, with a naive keyword list (flag a reply when any listed
word appears), the approach the firewall replaces.

    uv run python benchmarks/compliance.py [--quick] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from tridesk.finance.compliance import Ruleset, bundled_library, load_ruleset, warm_up

DATA = Path(__file__).resolve().parent / "data" / "compliance_eval.jsonl"
# The splits written last, before the current rules were measured on them, and never tuned on: the honest
# figure. Since holdout5 each split was written by an author who never saw the rules, the scanner or the
# earlier splits (from a labelling guide: categories, verdicts, the disclosures each line requires); the
# splits before the fresh ones were tuned on. Kept once, in the second-opinion benchmark, which scores the same.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.compliance_model import FRESH_SPLITS  # noqa: E402

NAIVE_KEYWORDS = (
    "保本", "保息", "稳赚", "零风险", "无风险", "收益", "年化", "最好", "最高", "第一", "名额有限", "包过",
    "存款", "抢", "guarantee", "risk-free", "zero risk", "return", "yield", "best", "highest", "last chance",
    "limited", "approved", "approval", "safe",
)


def naive_flags(text: str) -> bool:
    lowered = text.lower()
    return any(k in lowered for k in NAIVE_KEYWORDS)


def load_rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def prefilter_baseline(rows: list[dict], rulesets: dict[tuple[str, str], Ruleset]) -> str:
    """One round alternating each reply between the shipped rulesets and the same rulesets without the English
    prefilter (every English pattern run): the CPU time the prefilter saves, as ratios of the same run."""
    library = bundled_library()
    plain = {key: Ruleset.compile(library.resolve(*key), prefiltered=False) for key in rulesets}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for i, r in enumerate(rows):
        key = (r["business_line"], r["region"])
        for prefiltered in (True, False) if i % 2 else (False, True):
            rs = rulesets[key] if prefiltered else plain[key]
            start = time.thread_time_ns()
            rs.scan(r["text"], r["lang"], r.get("question"))
            cpu[prefiltered].append((time.thread_time_ns() - start) / 1000)
    on50, on99 = percentile(cpu[True], 0.50), percentile(cpu[True], 0.99)
    off50, off99 = percentile(cpu[False], 0.50), percentile(cpu[False], 0.99)
    return (f"English prefilter (one alternating round, CPU): p50 {on50:.0f} us, p99 {on99:.0f} us; without it p50 "
            f"{off50:.0f} us, p99 {off99:.0f} us; with/without p50 {on50 / off50:.2f}, p99 {on99 / off99:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timing rounds")
    parser.add_argument("--show-errors", action="store_true", help="print every misjudged reply")
    args = parser.parse_args()
    rounds = 5 if args.quick else 50

    rows = load_rows()
    t0 = time.perf_counter()
    warm_up()
    rulesets = {(r["business_line"], r["region"]): load_ruleset(r["business_line"], r["region"]) for r in rows}
    cold_s = time.perf_counter() - t0

    results = []
    for r in rows:
        rs = rulesets[(r["business_line"], r["region"])]
        results.append(rs.scan(r["text"], r["lang"], r.get("question")))

    def report(title: str, idx: list[int]) -> bool:
        violations = [i for i in idx if rows[i]["expected_verdict"] != "pass"]
        clean = [i for i in idx if rows[i]["expected_verdict"] == "pass"]
        must_block = [i for i in violations if rows[i]["expected_verdict"] == "block"]

        def flagged(i: int) -> bool:
            return results[i].verdict != "pass"

        def naive(i: int) -> bool:
            return naive_flags(rows[i]["text"])

        def pct(x: int, d: int) -> str:
            return f"{100 * x / d:.1f}%" if d else "n/a"

        def line(name: str, ours: str, theirs: str = "n/a") -> None:
            print(f"  {name:32}{ours:>10}{theirs:>14}")

        recall, fp = sum(map(flagged, violations)), sum(map(flagged, clean))
        truth = {i: rows[i]["expected_verdict"] != "pass" for i in idx}
        print(f"{title}: {len(idx)} replies ({len(violations)} violations, {len(clean)} compliant; "
              f"{sum(rows[i]['lang'] == 'zh' for i in idx)} zh, {sum(rows[i]['lang'] == 'en' for i in idx)} en)")
        line("", "scanner", "keyword list")
        line("violation recall", pct(recall, len(violations)), pct(sum(map(naive, violations)), len(violations)))
        line("false-positive rate", pct(fp, len(clean)), pct(sum(map(naive, clean)), len(clean)))
        line("accuracy (violation yes/no)", pct(sum(flagged(i) == truth[i] for i in idx), len(idx)),
             pct(sum(naive(i) == truth[i] for i in idx), len(idx)))
        line("accuracy (exact verdict)", pct(sum(results[i].verdict == rows[i]["expected_verdict"] for i in idx), len(idx)))
        line("blocked among must-block", pct(sum(results[i].verdict == "block" for i in must_block), len(must_block)))
        cats = sum(set(rows[i]["expected_categories"]) <= results[i].categories for i in violations)
        line("expected categories found", pct(cats, len(violations)))
        return recall >= 0.99 * len(violations) and fp <= 0.02 * len(clean)

    everything = list(range(len(rows)))
    quality_ok = report("all", everything)
    for split in sorted({r.get("split", "dev") for r in rows}):
        report(split + (" (fresh, never tuned on)" if split in FRESH_SPLITS else ""),
               [i for i in everything if rows[i].get("split", "dev") == split])
    fresh = [i for i in everything if rows[i].get("split", "dev") in FRESH_SPLITS]
    fresh_ok = report(f"fresh splits pooled ({FRESH_SPLITS[0]}..{FRESH_SPLITS[-1]})", fresh) if fresh else None
    print(f"cold start (jieba + packs for {len(rulesets)} rulesets): {cold_s:.2f} s")
    print(f"fix verdicts: {sum(r.verdict == 'fix' for r in results)}, each with a fixed_text re-scanned to pass")
    print()

    times_us: list[float] = []
    cpu_us: list[float] = []
    naive_us: list[float] = []
    for _ in range(rounds):
        for r in rows:
            rs = rulesets[(r["business_line"], r["region"])]
            text, lang, q = r["text"], r["lang"], r.get("question")
            cpu = time.thread_time_ns()
            a = time.perf_counter_ns()
            rs.scan(text, lang, q)
            b = time.perf_counter_ns()
            cpu_us.append((time.thread_time_ns() - cpu) / 1000)
            naive_flags(text)
            c = time.perf_counter_ns()
            times_us.append((b - a) / 1000)
            naive_us.append((c - b) / 1000)

    p50, p99 = percentile(times_us, 0.50), percentile(times_us, 0.99)
    n50, n99 = percentile(naive_us, 0.50), percentile(naive_us, 0.99)
    c50, c99 = percentile(cpu_us, 0.50), percentile(cpu_us, 0.99)
    print(f"scan wall time over {len(times_us)} scans: p50 {p50:.0f} us, p99 {p99:.0f} us, "
          f"mean {statistics.fmean(times_us):.0f} us, max {max(times_us):.0f} us")
    print(f"scan CPU time (without waiting for a core on a shared machine): p50 {c50:.0f} us, p99 {c99:.0f} us")
    print(f"keyword list: p50 {n50:.1f} us, p99 {n99:.1f} us; scanner/keyword p50 ratio {p50 / n50:.0f}x")
    print(prefilter_baseline(rows, rulesets))
    if fresh_ok is not None:
        print(f"targets on the fresh splits pooled: recall >= 99% and FPR <= 2% {'OK' if fresh_ok else 'MISSED'}")
    print(f"targets (all replies): recall >= 99% and FPR <= 2% {'OK' if quality_ok else 'MISSED'}; "
          f"p99 < 1 ms {'OK' if p99 < 1000 else 'MISSED'} (wall), {'OK' if c99 < 1000 else 'MISSED'} (CPU)")

    if args.show_errors:
        print()
        for i, r in enumerate(rows):
            res = results[i]
            wrong = res.verdict != r["expected_verdict"] or not set(r["expected_categories"]) <= res.categories
            if wrong:
                got = sorted(res.rule_ids)
                print(f"{r['id']} ({r.get('split', 'dev')}) expected {r['expected_verdict']} {r['expected_categories']} got {res.verdict} "
                      f"{got}: {r['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
