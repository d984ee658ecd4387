"""Update rules: how one step turns the gradient into new parameters.

Introduced in 03_gradient_descent.ipynb ("other optimizers exist").

One contract for the family, as in CS231n's ``optim.py``::

    next_w, next_config = update(w, dw, config)

``w`` and ``dw`` are arrays of the same shape; ``config`` is a dict holding
``learning_rate`` and the rule's settings and state (velocity, moments, step count).
A rule never changes ``w``, ``dw`` or ``config``: it returns a new array and a new
dict, so the caller decides what to keep. Missing settings take the defaults below.
"""
import numpy as np

from ._checks import as_float_array, check_int, check_nonnegative, check_positive


def _start(w, dw, config, defaults):
    # finite=False: a diverging run may hand over inf; the optimizers report it
    w = as_float_array("w", w, finite=False)
    dw = as_float_array("dw", dw, finite=False)
    if w.shape != dw.shape:
        raise ValueError(f"dw must have w's shape {w.shape}, got {dw.shape}")
    if config is not None and not isinstance(config, dict):
        raise TypeError(f"config must be a dict of settings, got {type(config).__name__}")
    config = {**defaults, **(config or {})}
    if "learning_rate" not in config:
        raise ValueError("config must set 'learning_rate'")
    check_positive("config['learning_rate']", config["learning_rate"])
    return w, dw, config


def _fraction(config, name):
    """A decay rate from config, a number in [0, 1)."""
    value = check_nonnegative(f"config['{name}']", config[name])
    if value >= 1.0:
        raise ValueError(f"config['{name}'] must be in [0, 1), got {value}")
    return value


def _state(config, name, shape):
    """A state array from config (None if absent), checked to have w's shape."""
    value = config.get(name)
    if value is None:
        return None
    value = as_float_array(f"config['{name}']", value, finite=False)
    if value.shape != shape:
        raise ValueError(f"config['{name}'] must have w's shape {shape}, got {value.shape}")
    return value


def sgd_update(w, dw, config=None):
    """Vanilla step, the deck's ``weights += - step_size * weights_grad``.

    config: learning_rate. Returns (w - learning_rate * dw, config).
    """
    w, dw, config = _start(w, dw, config, {})
    return w - config["learning_rate"] * dw, config


def momentum_update(w, dw, config=None):
    """Momentum: v = mu * v - learning_rate * dw; w = w + v.

    config: learning_rate, momentum (mu, default 0.9), velocity (w's shape, starts at 0).
    """
    w, dw, config = _start(w, dw, config, {"momentum": 0.9})
    v = _state(config, "velocity", w.shape)
    v = np.zeros_like(w) if v is None else v
    v = _fraction(config, "momentum") * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def adam_update(w, dw, config=None):
    """Adam (Kingma & Ba, 2015) with bias correction.

    config: learning_rate, beta1 (0.9), beta2 (0.999), epsilon (1e-8), and the state
    m, v (w's shape, start at 0) and t (the step count, starts at 0).
    """
    w, dw, config = _start(w, dw, config, {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 0})
    b1, b2 = _fraction(config, "beta1"), _fraction(config, "beta2")
    epsilon = check_positive("config['epsilon']", config["epsilon"])
    t = check_int("config['t']", config["t"], 0) + 1
    m, v = _state(config, "m", w.shape), _state(config, "v", w.shape)
    m = b1 * (0.0 if m is None else m) + (1 - b1) * dw
    v = b2 * (0.0 if v is None else v) + (1 - b2) * dw * dw
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + epsilon)
    config.update(m=m, v=v, t=t)
    return next_w, config


UPDATE_RULES = {"sgd": sgd_update, "momentum": momentum_update, "adam": adam_update}
