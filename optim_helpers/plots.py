"""Plot helpers: landscapes with optimizer paths, loss curves, digits and weight templates.

Introduced in 01_random_search.ipynb; used by every notebook.

Each function draws into ``ax`` (a new figure's Axes when ax is None), returns the
Axes, and leaves matplotlib's global settings alone. Titles and axis labels are set
to sensible defaults that the caller can override afterwards with ``ax.set_...``.
Keep Hangul out of figures: not every font has it.
"""
import numpy as np

from ._checks import as_float_array, check_int
from .frames import ROOM_STYLE as _ROOM_STYLE
from .landscapes import grid

# The slider frames' look, for a notebook's own figures: plt.rcParams.update(plots.ROOM_STYLE)
ROOM_STYLE = _ROOM_STYLE


def _axes(ax, **subplot_kw):
    """ax itself, or the Axes of a new pyplot figure (pyplot is imported only then, so the
    slider figures, which draw into their own figures, never load it)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    _, ax = plt.subplots(subplot_kw=subplot_kw or None)
    return ax


def plot_contour(landscape, ax=None, n=200, levels=25, cmap="viridis"):
    """Filled contour map of a 2-D landscape (the mountain seen from above).

    Returns the Axes, with w1/w2 axis labels, the landscape's name as the title,
    a colour bar for the loss, and a star at the lowest point.
    """
    xs, ys, zs = grid(landscape, n)
    ax = _axes(ax)
    filled = ax.contourf(xs, ys, zs, levels=levels, cmap=cmap)
    ax.contour(xs, ys, zs, levels=levels, colors="k", linewidths=0.3, alpha=0.5)
    ax.figure.colorbar(filled, ax=ax, label="loss")
    ax.plot(*landscape.minimum, marker="*", color="white", markersize=14,
            markeredgecolor="k", linestyle="none", label="lowest point")
    ax.set(xlabel="$w_1$", ylabel="$w_2$", title=f"Loss landscape: {landscape.name}",
           xlim=landscape.xlim, ylim=landscape.ylim)
    return ax


def plot_surface(landscape, ax=None, n=80, cmap="viridis"):
    """3-D surface of a 2-D landscape: the height of the mountain is the loss.

    ``ax`` must be a 3-D Axes (``projection="3d"``) when given. Returns the Axes.
    """
    xs, ys, zs = grid(landscape, n)
    if ax is not None and not hasattr(ax, "plot_surface"):
        raise TypeError(f"ax must be a 3-D Axes (projection='3d'), got {type(ax).__name__}")
    ax = _axes(ax, projection="3d")
    xx, yy = np.meshgrid(xs, ys)
    ax.plot_surface(xx, yy, zs, cmap=cmap, linewidth=0, antialiased=True, alpha=0.9)
    ax.set(xlabel="$w_1$", ylabel="$w_2$", zlabel="loss", title=f"Loss landscape: {landscape.name}")
    return ax


def plot_path(path, ax=None, label=None, color="tab:red", marker="o"):
    """An optimizer's path in 2-D: points joined by lines, start circled, end marked x.

    path: (n, 2) parameters in visiting order (non-finite points are dropped).
    Returns the Axes; the line carries ``label`` for a legend.
    """
    path = as_float_array("path", path, ndim=2, finite=False)
    if path.shape[1] != 2:
        raise ValueError(f"path must have shape (n, 2), got {path.shape}")
    path = path[np.isfinite(path).all(axis=1)]
    if len(path) == 0:
        raise ValueError("path has no finite point to draw")
    ax = _axes(ax)
    ax.plot(path[:, 0], path[:, 1], marker=marker, markersize=3, color=color, label=label)
    ax.plot(*path[0], marker="o", markersize=9, markerfacecolor="none", markeredgecolor=color)
    ax.plot(*path[-1], marker="x", markersize=9, color=color)
    return ax


def plot_losses(losses, ax=None, x=None, label=None, logy=False, xlabel="step",
                title="Loss during training", **line_kw):
    """A loss curve: losses (n,) against x (n,) (default 0 ... n-1).

    Non-finite values (a diverged run) are left out of the line. Returns the Axes.
    """
    losses = as_float_array("losses", losses, ndim=1, finite=False)
    x = np.arange(len(losses)) if x is None else as_float_array("x", x, ndim=1)
    if x.shape != losses.shape:
        raise ValueError(f"x must have the shape of losses {losses.shape}, got {x.shape}")
    ax = _axes(ax)
    keep = np.isfinite(losses)
    ax.plot(x[keep], losses[keep], label=label, **line_kw)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel="loss", title=title)
    return ax


def tile_images(images, n_cols=10, pad=1):
    """Tile images (n, h, w) into one (rows*(h+pad)-pad, n_cols*(w+pad)-pad) array.

    Gaps are NaN so that imshow leaves them blank. Returns a new float array.
    """
    images = as_float_array("images", images, ndim=3)
    n_cols = check_int("n_cols", n_cols, 1)
    pad = check_int("pad", pad, 0)
    n, h, w = images.shape
    n_cols = min(n_cols, n)
    n_rows = -(-n // n_cols)
    out = np.full((n_rows * (h + pad) - pad, n_cols * (w + pad) - pad), np.nan)
    for k, img in enumerate(images):
        r, c = divmod(k, n_cols)
        out[r * (h + pad):r * (h + pad) + h, c * (w + pad):c * (w + pad) + w] = img
    return out


def plot_digits(images, labels=None, ax=None, n_cols=10, title="Handwritten digits"):
    """Show images (n, h, w) in a grid, each captioned with its label if given. Returns the Axes."""
    images = np.asarray(images)
    tiled = tile_images(images, n_cols)
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"labels must have one entry per image ({len(images)}), got {len(labels)}")
    ax = _axes(ax)
    ax.imshow(tiled, cmap="gray_r", interpolation="nearest")
    if labels is not None:
        h, w = images.shape[1:]
        for k, label in enumerate(labels):
            r, c = divmod(k, min(n_cols, len(images)))
            ax.text(c * (w + 1), r * (h + 1), str(label), color="tab:blue",
                    fontsize=9, va="top", ha="left", fontweight="bold")
    ax.set(title=title, xticks=[], yticks=[])
    return ax


def plot_templates(W, ax=None, image_shape=(8, 8), class_names=None,
                   title="What each class's weights look for"):
    """Show each row of W (C, D), bias column dropped, as an image: the class templates.

    Red pixels raise the class's score, blue ones lower it. Returns the Axes.
    """
    W = as_float_array("W", W, ndim=2)
    n_pixels = int(np.prod(image_shape))
    if W.shape[1] not in (n_pixels, n_pixels + 1):
        raise ValueError(f"W must have {n_pixels} or {n_pixels + 1} columns for images "
                         f"{image_shape}, got {W.shape[1]}")
    if class_names is not None and len(class_names) != len(W):
        raise ValueError(f"class_names must have one name per row of W ({len(W)}), got {len(class_names)}")
    ax = _axes(ax)
    templates = W[:, :n_pixels].reshape(-1, *image_shape)
    limit = np.abs(templates).max() or 1.0
    ax.imshow(tile_images(templates, n_cols=len(W)), cmap="coolwarm", vmin=-limit,
              vmax=limit, interpolation="nearest")
    names = class_names if class_names is not None else range(len(W))
    ax.set_xticks([(k * (image_shape[1] + 1)) + image_shape[1] / 2 - 0.5 for k in range(len(W))])
    ax.set_xticklabels([str(n) for n in names])
    ax.set(title=title, yticks=[], xlabel="class")
    return ax
