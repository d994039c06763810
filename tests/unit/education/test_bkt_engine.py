"""BKT: forward-backward, EM monotonicity, recovery, online update vs batch filtering, bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tridesk.core.errors import ValidationError
from tridesk.education.tracing import BKTParams, fit_detailed, predict, predict_correct, trace, update_mastery
from tridesk.education.tracing import em, reference


def simulate(rng: np.random.Generator, params: dict[str, BKTParams], n_students: int, lo: int, hi: int):
    """Rows in time order, skills interleaved per student as a learner would meet them."""
    rows = []
    for u in range(n_students):
        queues = {}
        for skill, p in params.items():
            known = rng.random() < p.prior
            seq = []
            for _ in range(int(rng.integers(lo, hi + 1))):
                seq.append(int(rng.random() >= p.slip) if known else int(rng.random() < p.guess))
                known = known or rng.random() < p.learn
                if known and rng.random() < p.forget:
                    known = False
            queues[skill] = seq
        while any(queues.values()):
            for skill in list(queues):
                if queues[skill]:
                    rows.append({"user_id": f"u{u}", "skill_name": skill, "correct": queues[skill].pop(0)})
    return rows


HAND = BKTParams(prior=0.5, learn=0.2, guess=0.2, slip=0.1)


def test_forward_backward_matches_hand_computed_two_step_case():
    # GIVEN answers [correct, wrong]; by hand, the joint probability of each state path is
    #   (unknown, unknown) .5*.2*.8*.8 = .064   (unknown, known) .5*.2*.2*.1 = .002
    #   (known, unknown)   0 (no forgetting)      (known, known)   .5*.9*1*.1 = .045   -> total .111
    seq = [True, False]
    # WHEN running the reference and the vectorised forward-backward
    ll, gamma, xi01, _ = reference.forward_backward(seq, HAND)
    layout = em.build_layout(np.array([0, 0]), np.array([0, 0]), np.array(seq))
    arrays = {name: np.array([[getattr(HAND, name)]]) for name in em.PARAMS}
    stats = em.e_step(layout, arrays)
    # THEN both give the enumerated likelihood and posteriors
    assert ll == pytest.approx(math.log(0.111))
    assert gamma == pytest.approx([0.045 / 0.111, 0.047 / 0.111])
    assert xi01[0] == pytest.approx(0.002 / 0.111)
    assert stats.log_likelihood[0, 0] == pytest.approx(math.log(0.111))
    assert stats.known_first[0, 0] == pytest.approx(0.045 / 0.111)
    assert stats.learned[0, 0] == pytest.approx(0.002 / 0.111)
    assert stats.known[0, 0] == pytest.approx((0.045 + 0.047) / 0.111)
    # and P(second correct | first correct) = (.016 + .018 + .405) / .55 by the same enumeration
    preds, _ = trace([True, True], HAND)
    assert preds == pytest.approx([0.55, 0.439 / 0.55])


def test_vectorised_em_equals_per_sequence_reference_on_ragged_sequences():
    # GIVEN ragged sequences of two skills and one shared starting point
    rng = np.random.default_rng(3)
    truth = {"a": BKTParams(0.3, 0.2, 0.2, 0.1), "b": BKTParams(0.6, 0.1, 0.25, 0.15)}
    rows = simulate(rng, truth, 60, 1, 12)
    start = BKTParams(prior=0.4, learn=0.1, guess=0.3, slip=0.2, forget=0.05)
    # WHEN fitting by both with the forget probability free
    result = fit_detailed(rows, restarts=0, init={"a": start, "b": start}, max_iter=8, tol=0.0, forgets=True)
    for skill in truth:
        seqs: dict[str, list[bool]] = {}
        for row in rows:
            if row["skill_name"] == skill:
                seqs.setdefault(row["user_id"], []).append(bool(row["correct"]))
        expected, ll, _ = reference.fit_skill(list(seqs.values()), start, max_iter=8, tol=0.0, fit_forget=True)
        # THEN the parameters and log-likelihood agree to rounding
        for name in em.PARAMS:
            assert getattr(result.params[skill], name) == pytest.approx(getattr(expected, name), abs=1e-10)
        assert result.log_likelihood[skill] == pytest.approx(ll, rel=1e-12)


@pytest.mark.parametrize("forgets", [False, True])
def test_em_never_decreases_the_log_likelihood(forgets):
    # GIVEN simulated answers and five random restarts
    rng = np.random.default_rng(11)
    rows = simulate(rng, {"x": BKTParams(0.2, 0.15, 0.2, 0.1, 0.02), "y": BKTParams(0.5, 0.3, 0.1, 0.2)}, 150, 2, 15)
    # WHEN running EM to a tight tolerance
    result = fit_detailed(rows, restarts=5, max_iter=60, tol=1e-9, forgets=forgets, seed=2)
    # THEN every iteration improves (or keeps) the log-likelihood
    steps = np.diff(result.history)
    assert len(steps) >= 10
    assert steps.min() >= -1e-7


def test_parameters_are_recovered_from_simulated_data_within_0_04():
    # GIVEN 2 skills x 1500 students x 5-15 answers (about 30,000 answers) from known parameters
    rng = np.random.default_rng(5)
    truth = {"fractions": BKTParams(0.25, 0.15, 0.2, 0.08), "decimals": BKTParams(0.45, 0.25, 0.15, 0.12)}
    rows = simulate(rng, truth, 1500, 5, 15)
    # WHEN fitting with restarts
    fitted = fit_detailed(rows, restarts=3, seed=1, tol=1e-4).params
    # THEN each of prior, learn, guess and slip is within 0.04 of the truth
    for skill, p in truth.items():
        for name in ("prior", "learn", "guess", "slip"):
            assert abs(getattr(fitted[skill], name) - getattr(p, name)) < 0.04, (skill, name)


def test_online_update_equals_batch_filtering():
    # GIVEN fitted-looking parameters with forgetting and interleaved answers of several learners
    rng = np.random.default_rng(8)
    params = {"a": BKTParams(0.3, 0.2, 0.2, 0.1, 0.05), "b": BKTParams(0.5, 0.1, 0.3, 0.2)}
    rows = simulate(rng, params, 20, 1, 9)
    # WHEN predicting in batch and replaying the rows one answer at a time in O(1) steps
    batch = predict(rows, params)
    mastery: dict[tuple[str, str], float] = {}
    online = []
    for row in rows:
        key = (row["user_id"], row["skill_name"])
        p = params[row["skill_name"]]
        before = mastery.get(key, p.prior)
        online.append(predict_correct(before, p))
        mastery[key] = update_mastery(before, bool(row["correct"]), p)
        # THEN the mastery after each answer is the batch one
        assert mastery[key] == pytest.approx(batch.mastery[len(online) - 1], abs=1e-12)
    assert online == pytest.approx(batch.correct.tolist(), abs=1e-12)


def test_update_mastery_moves_towards_the_evidence():
    p = BKTParams(prior=0.4, learn=0.1, guess=0.2, slip=0.1)
    assert update_mastery(0.4, True, p) > 0.4 > update_mastery(0.4, False, p)
    assert predict_correct(1.0, p) == pytest.approx(0.9)
    assert predict_correct(0.0, p) == pytest.approx(0.2)


def test_fitted_guess_and_slip_stay_below_one_half():
    # GIVEN answers that are right 70% of the time whatever the learner knows
    rng = np.random.default_rng(4)
    rows = [{"user_id": f"u{i // 6}", "skill_name": "coin", "correct": int(rng.random() < 0.7)} for i in range(1200)]
    # WHEN fitting
    p = fit_detailed(rows, restarts=4, seed=0).params["coin"]
    # THEN the bounds hold
    assert p.guess < 0.5 and p.slip < 0.5


def test_integer_order_ids_define_the_time_order():
    # GIVEN one learner's rows listed out of order with integer order ids
    p = BKTParams(prior=0.3, learn=0.2, guess=0.2, slip=0.1)
    rows = [{"order_id": 2, "user_id": "u", "skill_name": "s", "correct": 0},
            {"order_id": 1, "user_id": "u", "skill_name": "s", "correct": 1}]
    # WHEN predicting
    preds = predict(rows, {"s": p}).correct
    # THEN the row with order id 1 comes first and is predicted from the prior
    assert preds[1] == pytest.approx(predict_correct(0.3, p))
    assert preds[0] == pytest.approx(predict_correct(update_mastery(0.3, True, p), p))


def test_bad_rows_name_the_row_and_column():
    with pytest.raises(ValidationError) as exc:
        fit_detailed([{"user_id": "u", "skill_name": "s", "correct": 1},
                      {"user_id": "u", "skill_name": "s", "correct": "yes"}])
    assert exc.value.field == "rows[1].correct"
    with pytest.raises(ValidationError) as exc:
        predict([{"user_id": "u", "skill_name": "unknown", "correct": 1}], {"s": HAND})
    assert exc.value.field == "rows[0].skill_name"
    with pytest.raises(ValidationError) as exc:
        fit_detailed({"user_id": ["u"], "correct": [1]})
    assert exc.value.field == "skill_name"


def test_params_reject_guess_or_slip_at_one_half():
    with pytest.raises(ValidationError) as exc:
        BKTParams(prior=0.5, learn=0.1, guess=0.5, slip=0.1)
    assert exc.value.field == "guess"
    with pytest.raises(ValidationError) as exc:
        BKTParams.from_dict({"prior": 0.5, "learn": 0.1, "guess": 0.2, "slip": 0.6}, field="algebra")
    assert exc.value.field == "algebra.slip"
