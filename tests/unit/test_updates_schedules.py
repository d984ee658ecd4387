"""Update rules against hand-computed steps; schedules' values at chosen steps.

Which bad settings each rule and schedule refuses is tests/contracts/test_bad_input.py's table.
"""
import math

import numpy as np
import pytest

from optim_helpers import schedules, updates


def test_sgd_update_is_the_decks_step():
    w, dw = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    next_w, _ = updates.sgd_update(w, dw, {"learning_rate": 0.1})
    np.testing.assert_allclose(next_w, [0.95, -2.05])
    np.testing.assert_array_equal(w, [1.0, -2.0])


def test_momentum_by_hand():
    w, dw = np.array([1.0]), np.array([2.0])
    config = {"learning_rate": 0.1, "momentum": 0.9}
    w1, c1 = updates.momentum_update(w, dw, config)       # v = -0.2
    w2, c2 = updates.momentum_update(w1, dw, c1)          # v = 0.9 * -0.2 - 0.2 = -0.38
    np.testing.assert_allclose(c1["velocity"], [-0.2])
    np.testing.assert_allclose(w2, [1.0 - 0.2 - 0.38])
    np.testing.assert_allclose(c2["velocity"], [-0.38])
    assert "velocity" not in config                       # the caller's dict is untouched


def test_adam_by_hand():
    w, dw = np.array([1.0, 1.0]), np.array([0.5, -2.0])
    w1, c1 = updates.adam_update(w, dw, {"learning_rate": 0.01})
    # first step: m_hat = dw, v_hat = dw**2, so the step is lr * sign(dw) (up to epsilon)
    np.testing.assert_allclose(w1, w - 0.01 * np.sign(dw), atol=1e-7)
    assert c1["t"] == 1
    w2, c2 = updates.adam_update(w1, 2 * dw, c1)
    m = 0.9 * 0.1 * dw + 0.1 * 2 * dw
    v = 0.999 * 0.001 * dw ** 2 + 0.001 * 4 * dw ** 2
    expected = w1 - 0.01 * (m / (1 - 0.9 ** 2)) / (np.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
    np.testing.assert_allclose(w2, expected)


def test_a_zero_momentum_is_allowed_and_is_the_vanilla_step():
    w, dw = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    next_w, _ = updates.momentum_update(w, dw, {"learning_rate": 0.1, "momentum": 0.0})
    np.testing.assert_allclose(next_w, updates.sgd_update(w, dw, {"learning_rate": 0.1})[0])


def test_schedule_values():
    assert schedules.constant(0.1)(0) == schedules.constant(0.1)(1000) == 0.1
    step = schedules.step_decay(1.0, drop=0.5, every=10)
    assert [step(k) for k in (0, 9, 10, 25)] == [1.0, 1.0, 0.5, 0.25]
    # a long decay bottoms out at the floor instead of reaching lr = 0 (or overflowing)
    assert schedules.step_decay(1.0, drop=0.5, every=1)(5000) == schedules.LR_FLOOR
    assert schedules.inverse_time(1.0, decay=0.5)(4) == pytest.approx(1 / 3)
    assert schedules.exponential(2.0, decay=0.1)(10) == pytest.approx(2 * math.exp(-1))


def test_linear_decay_is_goodfellows():
    lr = schedules.linear_decay(0.1, 0.001, tau=100)
    assert lr(0) == pytest.approx(0.1)
    assert lr(50) == pytest.approx(0.5 * 0.1 + 0.5 * 0.001)
    assert lr(100) == pytest.approx(0.001)
    assert lr(500) == pytest.approx(0.001)            # constant after tau
