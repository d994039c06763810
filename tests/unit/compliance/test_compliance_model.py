"""The learned second opinion: hashing, deterministic training, save/load, probability bounds."""

from __future__ import annotations

from dataclasses import asdict, replace

import numpy as np
import pytest

from tridesk.finance.compliance import model as m

TINY = [
    {"text": "这款产品保本保息，稳赚不赔。", "lang": "zh", "business_line": "wealth", "expected_verdict": "block"},
    {"text": "收益肯定有5%，放心买。", "lang": "zh", "business_line": "wealth", "expected_verdict": "block"},
    {"text": "理财非存款，产品有风险，投资须谨慎。", "lang": "zh", "business_line": "wealth", "expected_verdict": "pass"},
    {"text": "我们无法承诺任何收益，请以说明书为准。", "lang": "zh", "business_line": "fund", "expected_verdict": "pass"},
    {"text": "This fund is guaranteed to make money, no risk at all.", "lang": "en", "business_line": "fund",
     "expected_verdict": "block"},
    {"text": "Only two places left, sign today or lose it.", "lang": "en", "business_line": "wealth",
     "expected_verdict": "block"},
    {"text": "Returns are not guaranteed and you may lose money.", "lang": "en", "business_line": "fund",
     "expected_verdict": "pass"},
    {"text": "Your card statement is available in the app.", "lang": "en", "business_line": "credit_card",
     "expected_verdict": "pass"},
    {"text": "肯定没问题", "lang": "zh", "business_line": "credit_card", "question": "能批下来吗？",
     "expected_verdict": "block"},
    {"text": "要看审核结果", "lang": "zh", "business_line": "credit_card", "question": "能批下来吗？",
     "expected_verdict": "pass"},
]
SMALL = m.Config(l2=1e-3, max_iter=200)


def test_features_are_sorted_unique_in_range_and_unit_length() -> None:
    for row in TINY:
        idx, vals = m.features(row["text"], row["lang"], row["business_line"], row.get("question"), SMALL)
        assert idx.dtype == np.int64 and len(idx) == len(vals) > 0
        assert np.all(np.diff(idx) > 0)
        assert idx.min() >= 0 and idx.max() < m.DIM
        assert np.all(vals > 0)
        assert float(vals @ vals) == pytest.approx(1.0)


def test_hashing_is_deterministic_and_folds_digits_width_and_case() -> None:
    a = m.features("年化收益3.1%，稳健。", "zh", "wealth")
    assert np.array_equal(a[0], m.features("年化收益3.1%，稳健。", "zh", "wealth")[0])
    # every digit reads as 0, full-width as ASCII: one shape for "3.1%" and "４.２％"
    assert np.array_equal(a[0], m.features("年化收益４.２％，稳健。", "zh", "wealth")[0])
    assert np.array_equal(m.features("Risk-Free", "en")[0], m.features("risk-free", "en")[0])
    assert not np.array_equal(a[0], m.features("年化收益3.1%，稳健。", "zh", "fund")[0])


def test_char_grams_count_every_ngram_and_separate_namespaces() -> None:
    h = m._char_grams("abcd", 1, 4, 1)
    assert len(h) == 4 + 3 + 2 + 1
    assert len(m._char_grams("abcd", 3, 5, 1)) == 2 + 1
    assert len(m._char_grams("", 1, 4, 1)) == 0
    assert set(m._char_grams("abc", 1, 3, 1).tolist()).isdisjoint(m._char_grams("abc", 1, 3, 2).tolist())
    # the question lives in its own namespace: the same words asked or said are different features
    said = m.features("能批下来吗", "zh", "loan")[0]
    asked = m.features("", "zh", "loan", "能批下来吗")[0]
    assert len(np.intersect1d(said, asked)) <= 3  # at most the language, line and notice-count tokens in common


def test_training_is_deterministic_and_fits_a_tiny_set() -> None:
    one = m.fit(TINY, SMALL)
    two = m.fit(TINY, SMALL)
    assert np.array_equal(one.columns, two.columns)
    assert np.array_equal(one.weights, two.weights) and one.bias == two.bias
    p = m.predict_many(one, TINY)
    y = np.array([m.label(r) for r in TINY])
    assert np.all((p > 0.5) == (y == 1))
    for row, pi in zip(TINY, p):
        assert one.predict_proba(row["text"], row["lang"], row["business_line"], row.get("question")) == pytest.approx(pi)


def test_stronger_penalty_shrinks_the_weights() -> None:
    loose = m.fit(TINY, SMALL)
    tight = m.fit(TINY, replace(SMALL, l2=1e-1))
    assert float(np.abs(tight.weights).sum()) < float(np.abs(loose.weights).sum())


def test_save_load_round_trip(tmp_path) -> None:
    model = m.fit(TINY, SMALL)
    path = tmp_path / "w.npz"
    model.save(path)
    back = m.Model.load(path)
    assert back.config == model.config
    assert np.array_equal(back.columns, model.columns) and np.array_equal(back.weights, model.weights)
    for row in TINY:
        args = (row["text"], row["lang"], row["business_line"], row.get("question"))
        assert back.predict_proba(*args) == model.predict_proba(*args)


def test_probabilities_are_bounded_even_for_extreme_inputs() -> None:
    model = m.fit(TINY, replace(SMALL, l2=1e-6))
    texts = ["", " ", "保本" * 500, "guaranteed " * 500, "要看审核结果" * 100, "4111111111111111 " * 50]
    for lang in ("zh", "en"):
        for text in texts:
            p = model.predict_proba(text, lang, "loan", "保本吗？")
            assert 0.0 <= p <= 1.0 and np.isfinite(p)


def test_training_splits_exclude_the_fresh_split() -> None:
    from benchmarks.compliance_model import FRESH_SPLITS

    assert FRESH_SPLITS[0] == "holdout173" and not set(FRESH_SPLITS) & set(m.TRAIN_SPLITS)
    rows = [{"split": s} for s in ("dev", "holdout5", "holdout172", "holdout173", "holdout180", "train01")]
    assert [r["split"] for r in m.training_rows(rows)] == ["dev", "holdout5", "holdout172"]
    assert [m.is_corpus(r) for r in rows] == [False] * 5 + [True]


def test_shipped_weights_load_with_the_chosen_config() -> None:
    model = m.Model.load(m.WEIGHTS)
    assert asdict(model.config) == asdict(m.CHOSEN)
    assert m.WEIGHTS.stat().st_size < 2 * 1024 * 1024
    assert 0.0 <= m.predict_proba("这款产品保本保息，稳赚不赔。", "zh", "wealth") <= 1.0


def test_the_training_set_is_the_training_splits_then_the_corpus() -> None:
    labelled = [{"split": s} for s in ("dev", "holdout172", "holdout173")]
    corpus = [{"split": "train01"}, {"split": "train02"}]
    assert [r["split"] for r in m.training_set(labelled, corpus)] == ["dev", "holdout172", "train01", "train02"]
    with pytest.raises(ValueError):
        m.training_set(labelled, [{"split": "holdout173"}])


@pytest.mark.parametrize(
    "text,shaped,found",
    [
        # references: a date at the start, a letter prefix, another length
        ("Your application number is 20240605113309872211.", "Your application number is \u2116.", ["shape=ref"]),
        ("您的保单P3100882019457701已续期成功", "您的保单\u2116已续期成功", ["shape=ref"]),
        ("Case 7702024061500031 is open.", "Case \u2116 is open.", ["shape=ref"]),
        # v28: a letter prefix makes a shorter run a reference too (a tracking number of 10 digits, an order of 11)
        ("Tracking number SF1402883766, by courier.", "Tracking number \u2116, by courier.", ["shape=ref"]),
        ("销卡申请单号XK20240612009已受理", "销卡申请单号\u2116已受理", ["shape=ref"]),
        # a card's and an ID's shape stay digits, checksum or not; a valid one is found by the detectors too
        ("It goes to 6214830212345678, your payroll card.", "It goes to 6214830212345678, your payroll card.",
         ["shape=card"]),
        ("系统登记的是310104199203154028。", "系统登记的是310104199203154028。", ["shape=id"]),
        ("Card 4111111111111111 is on file.", "Card 4111111111111111 is on file.", ["pd=card", "shape=card"]),
        # short numbers are left alone
        ("Call 95588 or quote order 8812-2231.", "Call 95588 or quote order 8812-2231.", []),
    ],
)
def test_long_numbers_are_read_by_their_shape(text: str, shaped: str, found: list[str]) -> None:
    assert m._numbers(text, None) == (shaped, found)


def test_the_number_shapes_are_features_only_when_the_config_asks() -> None:
    text = "Your reference is 20240605113309872211 and your card is 4111111111111111."
    with_shapes = m.features(text, "en", "loan", config=replace(SMALL, numbers=True))
    without = m.features(text, "en", "loan", config=SMALL)
    assert not np.array_equal(with_shapes[0], without[0])
    # references of any length read alike once shaped; without shapes their lengths differ
    other = "Your reference is 2024060511330987 and your card is 4111111111111111."
    assert np.array_equal(m.features(other, "en", "loan", config=replace(SMALL, numbers=True))[0], with_shapes[0])
    assert not np.array_equal(m.features(other, "en", "loan", config=SMALL)[0], without[0])


def test_the_rules_when_fresh_are_kept_per_split_and_recorded_from_todays_packs() -> None:
    from benchmarks.compliance_model import DATA, RULES_WHEN_FRESH, record_fresh

    split_of = {r["id"]: r["split"] for r in m.load_rows(DATA)}
    for split, entry in RULES_WHEN_FRESH.items():
        assert entry["packs"].startswith("packs ") and {split_of[i] for i in entry["flagged"]} == {split}, split
    rows = [
        {"id": "h900-001", "split": "holdout900", "business_line": "wealth", "region": "CN", "lang": "zh",
         "text": "这款理财保本保息，稳赚不赔。"},
        {"id": "h900-002", "split": "holdout900", "business_line": "wealth", "region": "CN", "lang": "zh",
         "text": "您好，请问还有什么可以帮您？"},
        {"id": "h901-001", "split": "holdout901", "business_line": "wealth", "region": "CN", "lang": "zh",
         "text": "这款理财保本保息，稳赚不赔。"},
    ]
    assert record_fresh(rows, ["holdout900"], "packs 9.9") == {"holdout900": {"packs": "packs 9.9", "flagged": ["h900-001"]}}


def test_weights_trained_before_v28_read_letter_prefixed_numbers_as_before() -> None:
    text = "Tracking number SF1402883766, by courier."
    assert m._numbers(text, None, level=1) == (text, [])
    v27 = replace(SMALL, numbers=1)
    assert not np.array_equal(m.features(text, "en", "loan", config=v27)[0],
                              m.features(text, "en", "loan", config=replace(SMALL, numbers=2))[0])


def test_the_notices_a_reply_carries_are_features_only_when_the_config_asks() -> None:
    whole = ("This fund returned 6% last year. Funds carry risk; invest with caution. Past performance is no guide to "
             "future results. This is not investment advice.")
    half = "This fund returned 6% last year. Funds carry risk; invest with caution."
    assert m.notice_tokens(whole, "fund")[-1] == "missing=0"
    assert "has=not_advice" not in m.notice_tokens(half, "fund") and m.notice_tokens(half, "fund")[-1] != "missing=0"
    assert m.notice_tokens(whole, "no-such-line") == []
    with_notices, without = replace(SMALL, notices=3.0), replace(SMALL, notices=0.0)
    assert not np.array_equal(m.features(half, "en", "fund", config=with_notices)[0],
                              m.features(half, "en", "fund", config=without)[0])
    idx, vals = m.features(half, "en", "fund", config=with_notices)
    assert np.all(np.diff(idx) > 0) and abs(float(vals @ vals) - 1.0) < 1e-9
