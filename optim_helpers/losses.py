"""Losses of a linear classifier, their gradients, and its predictions.

Introduced in 01_random_search.ipynb (the losses) and 02_follow_the_slope.ipynb
(the gradients).

Shapes follow the lecture: the weights ``W`` are (C, D), classes x features, with the
bias folded in as the last column (the data ``X`` ends with a column of ones), so the
class scores are ``X @ W.T`` with shape (N, C). Labels ``y`` are integers in [0, C).

One contract for the family:

* ``*_loss(W, X, y, reg=0.0) -> float`` gives the loss alone (random search, numerical
  gradients);
* ``*_loss_grad(W, X, y, reg=0.0) -> (loss, dW)`` gives the loss and its gradient, dW
  with W's shape (C, D), fully vectorized;
* ``*_loss_naive(W, X, y, reg=0.0) -> (loss, dW)`` does the same with explicit loops,
  for teaching and as a test oracle.

Every loss is the mean over the N examples plus L2 regularization
``0.5 * reg * sum(W**2)`` (gradient ``reg * W``), over all of W, bias column included.
"""
import numpy as np

from ._checks import as_float_array, check_nonnegative, check_scores, check_W_X_y

SVM_DELTA = 1.0


def _regularize(W, reg):
    reg = check_nonnegative("reg", reg)
    return reg, 0.5 * reg * float(np.vdot(W, W))


# Speed note. The vectorized losses below hold the scores as W @ X.T, shape (C, N): the
# transpose of the lecture's X @ W.T, with the same numbers. With the C classes along
# axis 0, the per-example max and sum over classes run across contiguous rows, faster
# than along axis 1 of an (N, C) array when C is small (about 3x at the digits' size,
# less at CIFAR-10's, in benchmarks/README.md's run); and the true-class
# entries are picked with one flat index. benchmarks/README.md has the measurements.

def _scores_by_class(W, X):
    """Class scores laid out (C, N): column i holds example i's C scores."""
    scores = W @ X.T
    check_scores(scores)
    return scores


def _true_class(y):
    """Flat positions of the true-class entries [y_i, i] of a (C, N) array."""
    return y * len(y) + np.arange(len(y))


def _weights_grad(dS, X, W, reg):
    """dW = dS @ X / N + reg * W for dS laid out (C, N): the (C, D) result comes out
    in W's own layout (benchmarks/README.md: the fastest of the layouts measured)."""
    dW = dS @ X
    dW /= X.shape[0]
    dW += reg * W
    return dW


def _svm_margins(W, X, y):
    """Margins max(0, s_j - s_y + 1) laid out (C, N), zero at the true class.

    Returns (margins, the flat positions of the true class)."""
    scores = _scores_by_class(W, X)
    at_y = _true_class(y)
    margins = scores - scores.ravel()[at_y] + SVM_DELTA
    np.maximum(margins, 0.0, out=margins)
    margins.ravel()[at_y] = 0.0
    return margins, at_y


def svm_loss(W, X, y, reg=0.0):
    """Multiclass SVM (hinge) loss, delta = 1.

    Inputs: W (C, D), X (N, D), y (N,) ints in [0, C), reg >= 0.
    Returns: the loss, a float: mean_i sum_{j != y_i} max(0, s_j - s_{y_i} + 1)
    + 0.5 * reg * sum(W**2).
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    return float(_svm_margins(W, X, y)[0].sum() / len(y)) + penalty


def svm_loss_grad(W, X, y, reg=0.0):
    """SVM loss and its gradient, vectorized.

    Inputs as in svm_loss. Returns (loss, dW) with dW (C, D).
    Each positive margin adds x_i to row j of dW and subtracts it from row y_i.
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    margins, at_y = _svm_margins(W, X, y)
    loss = float(margins.sum() / len(y)) + penalty
    dS = (margins > 0).astype(np.float64)               # (C, N)
    dS.ravel()[at_y] = -dS.sum(axis=0)
    return loss, _weights_grad(dS, X, W, reg)


def svm_loss_naive(W, X, y, reg=0.0):
    """SVM loss and gradient with explicit loops over examples and classes.

    Slow on purpose: the teaching version and the tests' reference. Returns (loss, dW).
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    n_classes, n = W.shape[0], X.shape[0]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(n):
        scores = W @ X[i]
        check_scores(scores)
        for j in range(n_classes):
            if j == y[i]:
                continue
            margin = scores[j] - scores[y[i]] + SVM_DELTA
            if margin > 0:
                loss += margin
                dW[j] += X[i]
                dW[y[i]] -= X[i]
    return loss / n + penalty, dW / n + reg * W


def _log_softmax(W, X):
    """Log-probabilities laid out (C, N), shifted by each example's max so exp never overflows."""
    scores = _scores_by_class(W, X)
    scores -= scores.max(axis=0)
    scores -= np.log(np.exp(scores).sum(axis=0))
    return scores


def softmax_loss(W, X, y, reg=0.0):
    """Softmax cross-entropy loss (multinomial logistic regression).

    Inputs: W (C, D), X (N, D), y (N,) ints in [0, C), reg >= 0.
    Returns: the loss, a float: mean_i -log softmax(s_i)[y_i] + 0.5 * reg * sum(W**2).
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    log_p = _log_softmax(W, X)
    return float(-log_p.ravel()[_true_class(y)].mean()) + penalty


def softmax_loss_grad(W, X, y, reg=0.0):
    """Softmax loss and its gradient, vectorized.

    Inputs as in softmax_loss. Returns (loss, dW) with dW (C, D):
    dW = (P - Y).T @ X / N + reg * W, with P the softmax probabilities and Y one-hot.
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    scores = _scores_by_class(W, X)
    scores -= scores.max(axis=0)                        # each example's max shifted to 0
    dS = np.exp(scores)
    total = dS.sum(axis=0)
    at_y = _true_class(y)
    loss = float(np.mean(np.log(total) - scores.ravel()[at_y])) + penalty
    dS /= total                                         # probabilities P, (C, N)
    dS.ravel()[at_y] -= 1.0                             # P - Y
    return loss, _weights_grad(dS, X, W, reg)


def softmax_loss_naive(W, X, y, reg=0.0):
    """Softmax loss and gradient with explicit loops; the tests' reference. Returns (loss, dW)."""
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    n_classes, n = W.shape[0], X.shape[0]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(n):
        scores = W @ X[i]
        check_scores(scores)
        scores = scores - scores.max()
        total = sum(np.exp(scores[j]) for j in range(n_classes))
        loss += -(scores[y[i]] - np.log(total))
        for j in range(n_classes):
            p = np.exp(scores[j]) / total
            dW[j] += (p - (j == y[i])) * X[i]
    return loss / n + penalty, dW / n + reg * W


def predict(W, X):
    """Predicted class per row: argmax of the scores. W (C, D), X (N, D) -> (N,) ints."""
    W = as_float_array("W", W, ndim=2)
    X = as_float_array("X", X, ndim=2)
    if X.shape[1] != W.shape[1]:
        raise ValueError(f"W must be (C, D) and X (N, D) with the same D, got W {W.shape} and X {X.shape}")
    return np.argmax(X @ W.T, axis=1)


def accuracy(W, X, y):
    """Fraction of rows of X whose predicted class equals y, a float in [0, 1]."""
    W, X, y = check_W_X_y(W, X, y)
    return float(np.mean(predict(W, X) == y))
