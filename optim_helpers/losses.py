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

from ._checks import check_positive, check_scores, check_W_X_y

SVM_DELTA = 1.0


def _regularize(W, reg):
    reg = check_positive("reg", reg, allow_zero=True)
    return reg, 0.5 * reg * float(np.sum(W * W))


def _svm_margins(W, X, y):
    """Margins max(0, s_j - s_y + 1) with shape (N, C), zero at the true class."""
    scores = X @ W.T
    check_scores(scores)
    rows = np.arange(len(y))
    margins = scores - scores[rows, y][:, None] + SVM_DELTA
    np.maximum(margins, 0.0, out=margins)
    margins[rows, y] = 0.0
    return margins


def svm_loss(W, X, y, reg=0.0):
    """Multiclass SVM (hinge) loss, delta = 1.

    Inputs: W (C, D), X (N, D), y (N,) ints in [0, C), reg >= 0.
    Returns: the loss, a float: mean_i sum_{j != y_i} max(0, s_j - s_{y_i} + 1)
    + 0.5 * reg * sum(W**2).
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    return float(_svm_margins(W, X, y).sum() / len(y)) + penalty


def svm_loss_grad(W, X, y, reg=0.0):
    """SVM loss and its gradient, vectorized.

    Inputs as in svm_loss. Returns (loss, dW) with dW (C, D).
    Each positive margin adds x_i to row j of dW and subtracts it from row y_i.
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    margins = _svm_margins(W, X, y)
    loss = float(margins.sum() / len(y)) + penalty
    dS = (margins > 0).astype(np.float64)               # (N, C)
    dS[np.arange(len(y)), y] = -dS.sum(axis=1)
    dW = dS.T @ X / len(y) + reg * W
    return loss, dW


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
    """Log-probabilities (N, C), shifted by the row max so exp never overflows."""
    scores = X @ W.T
    check_scores(scores)
    scores -= scores.max(axis=1, keepdims=True)
    scores -= np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return scores


def softmax_loss(W, X, y, reg=0.0):
    """Softmax cross-entropy loss (multinomial logistic regression).

    Inputs: W (C, D), X (N, D), y (N,) ints in [0, C), reg >= 0.
    Returns: the loss, a float: mean_i -log softmax(s_i)[y_i] + 0.5 * reg * sum(W**2).
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    log_p = _log_softmax(W, X)
    return float(-log_p[np.arange(len(y)), y].mean()) + penalty


def softmax_loss_grad(W, X, y, reg=0.0):
    """Softmax loss and its gradient, vectorized.

    Inputs as in softmax_loss. Returns (loss, dW) with dW (C, D):
    dW = (P - Y).T @ X / N + reg * W, with P the softmax probabilities and Y one-hot.
    """
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    log_p = _log_softmax(W, X)
    rows = np.arange(len(y))
    loss = float(-log_p[rows, y].mean()) + penalty
    dS = np.exp(log_p)                                  # probabilities P, (N, C)
    dS[rows, y] -= 1.0
    dW = dS.T @ X / len(y) + reg * W
    return loss, dW


def softmax_loss_naive(W, X, y, reg=0.0):
    """Softmax loss and gradient with explicit loops; the tests' reference. Returns (loss, dW)."""
    W, X, y = check_W_X_y(W, X, y)
    reg, penalty = _regularize(W, reg)
    n_classes, n = W.shape[0], X.shape[0]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(n):
        scores = W @ X[i]
        scores = scores - scores.max()
        total = sum(np.exp(scores[j]) for j in range(n_classes))
        loss += -(scores[y[i]] - np.log(total))
        for j in range(n_classes):
            p = np.exp(scores[j]) / total
            dW[j] += (p - (j == y[i])) * X[i]
    return loss / n + penalty, dW / n + reg * W


def predict(W, X):
    """Predicted class per row: argmax of the scores. W (C, D), X (N, D) -> (N,) ints."""
    W = np.asarray(W)
    X = np.asarray(X)
    if W.ndim != 2 or X.ndim != 2 or X.shape[1] != W.shape[1]:
        raise ValueError(f"W must be (C, D) and X (N, D) with the same D, got W {W.shape} and X {X.shape}")
    return np.argmax(X @ W.T, axis=1)


def accuracy(W, X, y):
    """Fraction of rows of X whose predicted class equals y, a float in [0, 1]."""
    W, X, y = check_W_X_y(W, X, y)
    return float(np.mean(predict(W, X) == y))
