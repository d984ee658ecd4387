"""Two-parameter loss landscapes with exact gradients, for pictures and sliders.

Introduced in 01_random_search.ipynb (the mountain) and 03_gradient_descent.ipynb
(the bowl and the ravine).

A landscape is the deck's mountain made small enough to draw: the loss of a model
with just two parameters w = (w1, w2). Each ``Landscape`` has

* ``loss(w)``: w of shape (2,) or (..., 2) (a whole grid at once) -> shape () or (...);
* ``grad(w)``: the exact gradient, with w's shape;
* ``loss_grad(w)``: (loss, grad) for one point, the contract the optimizers take;
* ``xlim``, ``ylim``: a window worth drawing; ``start``: a start point that tells a
  story; ``minimum``: where the lowest point is.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._checks import as_float_array, check_int


@dataclass(frozen=True)
class Landscape:
    name: str
    loss_fn: Callable
    grad_fn: Callable
    xlim: tuple
    ylim: tuple
    start: tuple
    minimum: tuple

    def loss(self, w):
        """Loss at w: (2,) -> float, or (..., 2) -> (...)."""
        w = _points(w)
        value = self.loss_fn(w[..., 0], w[..., 1])
        return float(value) if np.ndim(value) == 0 else value

    def grad(self, w):
        """Exact gradient at w, with w's shape (2,) or (..., 2)."""
        w = _points(w)
        return np.stack(self.grad_fn(w[..., 0], w[..., 1]), axis=-1)

    def loss_grad(self, w):
        """(loss, grad) at one point w of shape (2,)."""
        if np.shape(w) != (2,):
            raise ValueError(f"w must be one point of shape (2,), got shape {np.shape(w)}")
        return self.loss(w), self.grad(w)


def _points(w):
    w = as_float_array("w", w)
    if w.shape[-1:] != (2,):
        raise ValueError(f"w must have shape (2,) or (..., 2) for a 2-D landscape, got {w.shape}")
    return w


def _bowl(x, y):
    return 0.5 * (x ** 2 + y ** 2)


def _bowl_grad(x, y):
    return x, y


RAVINE_SCALE = 20.0   # curvature across the ravine / along it: the condition number


def _ravine(x, y):
    return 0.5 * (x ** 2 + RAVINE_SCALE * y ** 2)


def _ravine_grad(x, y):
    return x, RAVINE_SCALE * y


# The mountain: a gentle bowl with two Gaussian valleys cut into it, a deep one and a
# shallow one, so that where you start decides where you end up.
_VALLEYS = ((-1.0, 1.2, 0.8, 2.0),    # (centre x, centre y, width, depth): the deep valley
            (1.5, -0.8, 0.6, 1.2))    # the shallow one


def _mountain(x, y):
    z = 0.1 * (x ** 2 + y ** 2) + 2.0
    for cx, cy, s, depth in _VALLEYS:
        z = z - depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s ** 2))
    return z


def _mountain_grad(x, y):
    gx, gy = 0.2 * x, 0.2 * y
    for cx, cy, s, depth in _VALLEYS:
        bump = depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s ** 2)) / s ** 2
        gx = gx + bump * (x - cx)
        gy = gy + bump * (y - cy)
    return gx, gy


BOWL = Landscape("bowl", _bowl, _bowl_grad, (-3, 3), (-3, 3), (2.5, 2.0), (0.0, 0.0))
RAVINE = Landscape("ravine", _ravine, _ravine_grad, (-3, 3), (-1.5, 1.5), (-2.8, 1.0), (0.0, 0.0))
MOUNTAIN = Landscape("mountain", _mountain, _mountain_grad, (-3.5, 3.5), (-3, 3.5), (2.8, 2.5),
                     (-0.93945, 1.12734))
LANDSCAPES = {ls.name: ls for ls in (BOWL, RAVINE, MOUNTAIN)}


def get_landscape(name):
    """The landscape called ``name``: "bowl", "ravine" or "mountain"."""
    if not isinstance(name, str):
        raise TypeError(f"name must be one of {sorted(LANDSCAPES)}, got {type(name).__name__}")
    if name not in LANDSCAPES:
        raise ValueError(f"name must be one of {sorted(LANDSCAPES)}, got {name!r}")
    return LANDSCAPES[name]


def grid(landscape, n=200):
    """Sample a landscape on an n x n grid over its window, for contour plots.

    Returns (xs, ys, zs): xs (n,), ys (n,), zs (n, n) with zs[i, j] = loss at (xs[j], ys[i]).
    """
    if not isinstance(landscape, Landscape):
        raise TypeError(f"landscape must be a Landscape such as landscapes.MOUNTAIN "
                         f"(get_landscape(name) finds one by name), got {landscape!r}")
    n = check_int("n", n, 2)
    xs = np.linspace(*landscape.xlim, n)
    ys = np.linspace(*landscape.ylim, n)
    xx, yy = np.meshgrid(xs, ys)
    return xs, ys, landscape.loss(np.stack([xx, yy], axis=-1))
