"""Numerical gradients, relative error, and the sparse gradient check."""
import numpy as np
import pytest

from optim_helpers.gradients import gradient_check, numerical_gradient, relative_error


def cubic(x):
    return float(np.sum(x ** 3))


def test_centered_is_second_order_forward_first_order():
    x = np.array([1.0, -2.0, 0.5])
    exact = 3 * x ** 2
    err = {}
    for method in ("forward", "centered"):
        err[method] = [np.max(np.abs(numerical_gradient(cubic, x, h=h, method=method) - exact))
                       for h in (1e-2, 1e-3)]
    # shrinking h by 10 shrinks the error ~10x (forward, O(h)) and ~100x (centered, O(h^2))
    assert 8 < err["forward"][0] / err["forward"][1] < 12
    assert 80 < err["centered"][0] / err["centered"][1] < 120


def test_matches_exact_gradient_on_a_matrix():
    A = np.arange(6.0).reshape(2, 3)
    f = lambda w: float(np.sum(A * w ** 2))      # noqa: E731
    w = np.ones((2, 3))
    np.testing.assert_allclose(numerical_gradient(f, w), 2 * A * w, atol=1e-8)


def test_does_not_mutate_and_restores_each_entry():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = x.copy()
    seen = []

    def f(w):
        seen.append(w.copy())
        return float(np.sum(w))

    numerical_gradient(f, x, h=0.5, method="forward")
    np.testing.assert_array_equal(x, before)
    # each call differs from x in at most one entry: every nudge was undone before the next
    for w in seen:
        assert np.count_nonzero(w != before) <= 1


def test_integer_input_is_cast_to_float():
    # with an int array, x + h would round back to x and give a zero gradient
    x = np.array([1, 2, 3])
    grad = numerical_gradient(lambda w: float(np.sum(w ** 2)), x)
    np.testing.assert_allclose(grad, [2.0, 4.0, 6.0], atol=1e-6)
    assert x.dtype.kind == "i"


def test_progress_bar_counts_every_entry_and_changes_nothing(capsys):
    x = np.linspace(-1, 1, 5)
    with_bar = numerical_gradient(cubic, x, progress=True)
    bar = capsys.readouterr().err
    assert "numerical gradient" in bar and "5/5" in bar, bar    # one tick per entry, all 5 done
    without = numerical_gradient(cubic, x)
    assert capsys.readouterr().err == ""                        # no bar unless asked
    np.testing.assert_array_equal(with_bar, without)


def test_relative_error_definition():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [3.0]) == pytest.approx(2 / 4)
    # both zero: the 1e-8 floor keeps it finite
    assert relative_error([0.0], [1e-12]) == pytest.approx(1e-4)


def test_gradient_check_reports_each_entry():
    x = np.random.default_rng(0).standard_normal((3, 4))
    good = gradient_check(cubic, x, 3 * x ** 2, n_checks=5, rng=np.random.default_rng(1))
    assert good.rel_errors.shape == (5,)
    assert good.rel_errors.max() < 1e-7
    np.testing.assert_allclose(good.analytic, (3 * x ** 2)[good.indices])
    wrong = gradient_check(cubic, x, 2 * x ** 2, n_checks=5, rng=np.random.default_rng(1))
    assert wrong.rel_errors.min() > 1e-2
    # generators in the same state check the same entries
    assert all((a == b).all() for a, b in zip(good.indices, wrong.indices))


def test_gradient_check_caps_at_size():
    res = gradient_check(cubic, np.ones(3), 3 * np.ones(3), n_checks=10, rng=np.random.default_rng(0))
    assert len(res.rel_errors) == 3
    assert sorted(res.indices[0]) == [0, 1, 2]


def test_gradient_check_draws_its_entries_from_the_rng_it_is_given():
    x = np.arange(100.0)
    rng = np.random.default_rng(5)
    first = gradient_check(cubic, x, 3 * x ** 2, n_checks=10, rng=rng)
    second = gradient_check(cubic, x, 3 * x ** 2, n_checks=10, rng=rng)     # rng has moved on
    assert not np.array_equal(first.indices[0], second.indices[0])
    expected = np.random.default_rng(5).choice(100, size=10, replace=False)
    np.testing.assert_array_equal(first.indices[0], expected)


def test_gradient_check_takes_its_generator_by_keyword_only():
    # A missing or non-Generator rng is a row of tests/contracts/test_bad_input.py.
    x = np.ones(3)
    with pytest.raises(TypeError, match=r"\bpositional argument"):
        gradient_check(cubic, x, 3 * x ** 2, 3, np.random.default_rng(0))
