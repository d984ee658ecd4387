"""Landscapes' exact gradients, and plot helpers' contract (ax in, Axes out, no globals)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from optim_helpers import landscapes, plots  # noqa: E402
from optim_helpers.gradients import numerical_gradient, relative_error  # noqa: E402


@pytest.mark.parametrize("name", sorted(landscapes.LANDSCAPES))
def test_exact_gradients_match_numerical(name):
    land = landscapes.get_landscape(name)
    for point in ([0.3, -0.7], land.start, [-2.0, 1.5]):
        num = numerical_gradient(land.loss, np.array(point, dtype=float))
        assert relative_error(num, land.grad(point)) < 1e-7


@pytest.mark.parametrize("name", sorted(landscapes.LANDSCAPES))
def test_minimum_is_a_stationary_lowest_point(name):
    land = landscapes.get_landscape(name)
    assert np.linalg.norm(land.grad(land.minimum)) < 1e-3
    _, _, zs = landscapes.grid(land, 150)
    assert land.loss(land.minimum) <= zs.min() + 1e-6


def test_loss_works_on_grids_and_points():
    pts = np.zeros((4, 5, 2))
    assert landscapes.RAVINE.loss(pts).shape == (4, 5)
    assert landscapes.RAVINE.grad(pts).shape == (4, 5, 2)
    assert isinstance(landscapes.BOWL.loss([1.0, 1.0]), float)


def test_mountain_has_two_valleys():
    from optim_helpers.optimizers import gradient_descent
    ends = [gradient_descent(landscapes.MOUNTAIN.loss_grad, s, 0.2, 3000, tol=1e-9).w
            for s in ([-2.0, 2.5], [2.8, -2.2])]
    assert np.linalg.norm(ends[0] - ends[1]) > 1.0
    assert landscapes.MOUNTAIN.loss(ends[1]) > landscapes.MOUNTAIN.loss(ends[0]) + 0.5


def test_plot_helpers_take_ax_and_return_it():
    rc_before = dict(matplotlib.rcParams)
    fig, axes = plt.subplots(1, 5)
    path = np.array([[2.0, 2.0], [1.0, 1.0], [np.inf, np.inf]])
    calls = [(plots.plot_contour, (landscapes.BOWL,)), (plots.plot_path, (path,)),
             (plots.plot_losses, (np.array([3.0, 2.0, np.inf]),)),
             (plots.plot_digits, (np.zeros((3, 8, 8)), [0, 1, 2])),
             (plots.plot_templates, (np.ones((10, 65)),))]
    for ax, (f, args) in zip(axes, calls):
        assert f(*args, ax=ax) is ax
        assert ax.get_title() or f is plots.plot_path       # a path is drawn over a contour map
    assert len(axes[2].lines[0].get_xdata()) == 2           # the inf was left out
    ax3d = plots.plot_surface(landscapes.MOUNTAIN)
    assert ax3d.name == "3d" and ax3d.get_zlabel() == "loss"
    new_ax = plots.plot_losses([1.0, 0.5])
    assert new_ax.figure is not fig
    assert dict(matplotlib.rcParams) == rc_before
    plt.close("all")


def test_tile_images_layout():
    tiles = plots.tile_images(np.arange(3 * 2 * 2).reshape(3, 2, 2), n_cols=2)
    assert tiles.shape == (2 * 3 - 1, 2 * 3 - 1)
    np.testing.assert_array_equal(tiles[3:5, 0:2], [[8, 9], [10, 11]])
    assert np.isnan(tiles[2, 0]) and np.isnan(tiles[3:5, 3:5]).all()


def test_importing_the_package_has_no_side_effects():
    import subprocess
    import sys
    code = ("import matplotlib, numpy as np; before = dict(matplotlib.rcParams); "
            "state = np.random.get_state()[1].copy(); import optim_helpers; "
            "assert dict(matplotlib.rcParams) == before; "
            "assert (np.random.get_state()[1] == state).all(); "
            "import sys; assert 'ipywidgets' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
