"""NaN-safe metrics: the loss and accuracy of weights that may have blown up.

Introduced in 03_gradient_descent.ipynb (the classifier slider) and
04_stochastic_gradient_descent.ipynb (the SGD slider); ``optim_helpers.sliders`` uses them.
A run that diverges leaves weights that are no classifier: these functions return NaN
(accuracy) or inf (loss) for them instead of raising, and never warn. For weights you
trust, use ``losses.softmax_loss`` and ``losses.accuracy``.
"""
import numpy as np

from ._checks import as_float_array, check_nonnegative, check_W_X_y

def _path_scores(path, X, y):
    """Check a path of weights (n, C, D) against X (N, D) and y (N,); return
    (path, X, y, scores laid out (n, C, N), mask (n,) of the steps whose scores are finite)."""
    path = as_float_array("path", path, ndim=3, finite=False)
    n, n_classes, d = path.shape
    X = as_float_array("X", X, ndim=2)
    if X.shape[1] != d:
        raise ValueError(f"X must have D = {d} columns, as the weights (C, D) have, got {X.shape[1]}")
    _, X, y = check_W_X_y(np.zeros((n_classes, d)), X, y)
    with np.errstate(over="ignore", invalid="ignore"):
        scores = (path.reshape(n * n_classes, d) @ X.T).reshape(n, n_classes, len(y))
    return path, X, y, scores, np.isfinite(scores).all(axis=(1, 2))


def path_accuracies(path, X, y):
    """Accuracy of every W along a recorded path, from one matrix product.

    Inputs: path (n, C, D), e.g. ``History.path``; X (N, D) finite; y (N,) ints in [0, C).
    Returns (n,) floats in [0, 1], NaN where W is not finite or its scores overflow.
    Introduced in 03_gradient_descent.ipynb (the classifier slider).
    """
    _, _, y, scores, ok = _path_scores(path, X, y)
    accuracies = np.full(len(ok), np.nan)
    accuracies[ok] = (scores[ok].argmax(axis=1) == y).mean(axis=1)
    return accuracies


def softmax_path_metrics(path, X, y, reg=0.0):
    """Softmax loss and accuracy of every W along a recorded path, from one matrix product.

    Inputs as in path_accuracies, plus reg >= 0. Returns (losses, accuracies), both (n,):
    losses[k] = softmax_loss(path[k], X, y, reg) (inf where W is not finite or its scores
    overflow), accuracies[k] = path_accuracies(path, X, y)[k] (NaN there).
    Introduced in 03_gradient_descent.ipynb (the classifier slider).
    """
    reg = check_nonnegative("reg", reg)
    path, _, y, scores, ok = _path_scores(path, X, y)
    losses, accuracies = np.full(len(ok), np.inf), np.full(len(ok), np.nan)
    good = scores[ok]                                    # (k, C, N)
    accuracies[ok] = (good.argmax(axis=1) == y).mean(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):  # huge but finite W: inf, no warning
        good -= good.max(axis=1, keepdims=True)
        at_y = good[:, y, np.arange(len(y))]             # (k, N): the true class's shifted score
        data_loss = np.mean(np.log(np.exp(good).sum(axis=1)) - at_y, axis=1)
        losses[ok] = data_loss + 0.5 * reg * np.einsum("kcd,kcd->k", path[ok], path[ok])
    return losses, accuracies


def accuracy_or_nan(W, X, y):
    """accuracy(W, X, y), or NaN when W is not finite or its scores overflow (a diverged run).

    Inputs: W (C, D), X (N, D), y (N,). Returns a float.
    Introduced in 04_stochastic_gradient_descent.ipynb (the SGD slider).
    """
    return float(path_accuracies(as_float_array("W", W, ndim=2, finite=False)[None], X, y)[0])


def softmax_loss_or_inf(W, X, y, reg=0.0):
    """softmax_loss(W, X, y, reg), or inf when W is not finite or its scores overflow.

    Inputs: W (C, D), X (N, D), y (N,), reg >= 0. Returns a float.
    Introduced in 04_stochastic_gradient_descent.ipynb (the SGD slider).
    """
    return float(softmax_path_metrics(as_float_array("W", W, ndim=2, finite=False)[None], X, y, reg)[0][0])
