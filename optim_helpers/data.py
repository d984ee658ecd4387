"""Data sets: the shipped handwritten digits, small 2-D toy sets, and CIFAR-10's binary files.

Introduced in 01_random_search.ipynb.

Every loader returns data ready for the linear classifier: X (N, D) float64 with a
last column of ones (the bias trick, so W is (C, D) and scores are X @ W.T) and y
(N,) int64 labels in [0, C). Nothing is downloaded and nothing is unpickled.
"""
import hashlib
import io
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ._checks import as_float_array, check_int, check_nonnegative, check_positive, check_rng


def _shipped_data_dir():
    """The top-level data/ folder, which every install carries as ``optim_helpers._data``.

    A source checkout that was never installed has no such subpackage: it reads data/ in place.
    """
    try:
        return resources.files("optim_helpers._data")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "data"


DATA_DIR = _shipped_data_dir()
DIGITS_PATH = DATA_DIR / "digits.npz"
DIGITS_SHA256 = "dff739c317c3d7a561cd1d11ae22ab4ac7f0557489c9e3935e97bec510d05737"
DIGITS_SPLIT = (1200, 300, 297)
# The fixed split ships with the data, so it is the same on every NumPy: digits_order.npy
# holds the 1,797 image indices in order; its first 1,200 are training, the next 300
# validation, the last 297 test (data/README.md says how the file was made).
DIGITS_ORDER_PATH = DATA_DIR / "digits_order.npy"
DIGITS_ORDER_SHA256 = "9d13321b1b53b951c07c618f97dc106cccdb0cb8dba016f0744945aef16ba177"


@dataclass
class Dataset:
    """A train/validation/test split ready for a linear classifier.

    X_*: (N, D) float64, scaled, centred on the training mean, bias column last;
    y_*: (N,) int64 labels; images_*: the raw images for display, e.g. (N, 8, 8) uint8;
    mean: (D - 1,) the training mean that was subtracted; class_names: C strings.
    """
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    images_train: np.ndarray
    images_val: np.ndarray
    images_test: np.ndarray
    mean: np.ndarray
    class_names: tuple

    @property
    def n_classes(self):
        return len(self.class_names)


def sha256(path):
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(_file_path(path).read_bytes()).hexdigest()


def _file_path(path, name="path", what="file"):
    """``path`` as a Path to an existing file; TypeError if it is no path, ValueError if no file."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path, got {type(path).__name__} {path!r}")
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{name}: no {what} at {path}")
    return path


def add_bias(X):
    """Append a column of ones: (N, D) -> (N, D + 1), a new array."""
    X = as_float_array("X", X, ndim=2)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def preprocess(train, *others, scale=1.0):
    """Scale pixels by 1/scale, subtract the training mean, append the bias column.

    Inputs: train (N, P) and any other splits (M, P), raw pixel values; scale > 0.
    Returns (mean (P,), X_train (N, P + 1), *X_others) as new float arrays.
    """
    scale = check_positive("scale", scale)
    train = as_float_array("train", train, ndim=2) / scale
    mean = train.mean(axis=0)
    out = [add_bias(train - mean)]
    for k, other in enumerate(others):
        other = as_float_array(f"others[{k}]", other, ndim=2) / scale
        if other.shape[1] != train.shape[1]:
            raise ValueError(f"others[{k}] must have {train.shape[1]} columns like train, got {other.shape[1]}")
        out.append(add_bias(other - mean))
    return (mean, *out)


def _verified_bytes(source, expected, name="path", what="digits file"):
    """The bytes of ``source`` if their SHA-256 is ``expected``; ValueError naming ``name`` if not."""
    raw = source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected:
        raise ValueError(f"{name}: {source} has SHA-256 {digest}, expected {expected}: "
                         f"the file is corrupted or not the shipped {what} (restore it with git)")
    return raw


def digits_order():
    """The shipped split of the digits: (1797,) int64 image indices, a read-only array.

    The first 1,200 are the training images, the next 300 validation, the last 297 test.
    Read from data/digits_order.npy after checking its SHA-256 (DIGITS_ORDER_SHA256), so
    the split never depends on a random generator's stream.
    """
    raw = _verified_bytes(DIGITS_ORDER_PATH, DIGITS_ORDER_SHA256, what="split file")
    order = np.load(io.BytesIO(raw), allow_pickle=False).astype(np.int64)
    order.flags.writeable = False
    return order


def load_digits(path=None):
    """The UCI handwritten digits shipped with the package, split 1200/300/297.

    Introduced in 01_random_search.ipynb.

    1,797 images of 8 x 8 pixels with values 0..16, classes 0-9. ``path``: None for the
    shipped file (data/digits.npz), or the path of a copy of it. The file's SHA-256 is
    checked first; it is read with allow_pickle=False. The split is the one shipped with
    the data (digits_order()), so every call on every NumPy returns the same arrays; pixels
    are scaled to [0, 1] by /16, centred on the training mean, and a bias column is
    appended, so X_* is (N, 65).
    Returns a Dataset; images_* are the raw (N, 8, 8) uint8 images.
    """
    source = DIGITS_PATH if path is None else _file_path(path, what="digits file")
    raw = _verified_bytes(source, DIGITS_SHA256)
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            images, labels = npz["X"], npz["y"]
    except Exception as err:          # e.g. an object array, which would need pickle
        raise ValueError(f"path: {source} could not be read as the digits file: {err}") from err
    n_train, n_val, _ = DIGITS_SPLIT
    parts = np.split(digits_order(), [n_train, n_train + n_val])
    mean, *X = preprocess(*(images[p] for p in parts), scale=16.0)
    ys = [labels[p].astype(np.int64) for p in parts]
    imgs = [images[p].reshape(-1, 8, 8) for p in parts]
    return Dataset(X[0], ys[0], X[1], ys[1], X[2], ys[2], *imgs, mean,
                   tuple(str(d) for d in range(10)))


def make_blobs(n_per_class=50, *, rng, spread=0.6):
    """Three Gaussian blobs in 2-D, one per class: an easy toy set.

    Introduced in 01_random_search.ipynb. ``rng``: a numpy Generator (required keyword).

    Returns X (3 * n_per_class, 3) with the bias column, and y (3 * n_per_class,).
    """
    rng = check_rng(rng)
    n = check_int("n_per_class", n_per_class, 1)
    spread = check_positive("spread", spread)
    centres = np.array([[0.0, 2.0], [-1.8, -1.0], [1.8, -1.0]])
    points = np.concatenate([c + spread * rng.standard_normal((n, 2)) for c in centres])
    return add_bias(points), np.repeat(np.arange(3), n)


def make_spiral(n_per_class=100, *, rng, noise=0.2):
    """CS231n's three-armed spiral in 2-D: not linearly separable.

    ``rng``: a numpy Generator (required keyword).

    Returns X (3 * n_per_class, 3) with the bias column, and y (3 * n_per_class,).
    """
    rng = check_rng(rng)
    n = check_int("n_per_class", n_per_class, 1)
    noise = check_nonnegative("noise", noise)
    radius = np.tile(np.linspace(0.0, 1.0, n), 3)
    theta = (np.repeat(np.arange(3), n) * 4 + np.tile(np.linspace(0, 4, n), 3)
             + noise * rng.standard_normal(3 * n))
    points = np.column_stack([radius * np.sin(theta), radius * np.cos(theta)])
    return add_bias(points), np.repeat(np.arange(3), n)


CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck")
CIFAR10_RECORD = 1 + 32 * 32 * 3


def read_cifar10_batch(path):
    """Read one CIFAR-10 binary batch: records of 1 label byte + 3072 pixel bytes.

    Pixels are stored as 1024 red, 1024 green, 1024 blue values, row-major.
    Returns images (N, 32, 32, 3) uint8 and labels (N,) int64.
    """
    raw = np.fromfile(_file_path(path), dtype=np.uint8)
    if raw.size == 0 or raw.size % CIFAR10_RECORD:
        raise ValueError(f"path: {path} is not a CIFAR-10 binary batch "
                         f"({raw.size} bytes is not a multiple of {CIFAR10_RECORD})")
    records = raw.reshape(-1, CIFAR10_RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        raise ValueError(f"path: {path} has a label {labels.max()} outside 0..9")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, labels


def load_cifar10(root, n_train=None, n_val=1000):
    """CIFAR-10 from the official binary version (cifar-10-batches-bin), if you have it.

    Reads data_batch_1..5.bin and test_batch.bin under ``root`` (no pickle involved).
    The last n_val training images become the validation split; n_train, if given,
    keeps only the first n_train of the rest. Pixels are scaled by /255, centred on the
    training mean and get a bias column: X_* is (N, 3073), the deck's 10 x 3073 W.
    Returns a Dataset.
    """
    root = Path(root)
    files = [root / f"data_batch_{i}.bin" for i in range(1, 6)] + [root / "test_batch.bin"]
    missing = [f.name for f in files if not f.is_file()]
    if missing:
        raise ValueError(f"root: {root} lacks {', '.join(missing)}; expected the folder "
                         "cifar-10-batches-bin from the CIFAR-10 binary version")
    batches = [read_cifar10_batch(f) for f in files]
    images = np.concatenate([b[0] for b in batches[:5]])
    labels = np.concatenate([b[1] for b in batches[:5]])
    n_val = check_int("n_val", n_val, 1, len(labels) - 1)
    train_imgs, train_y = images[:-n_val], labels[:-n_val]
    if n_train is not None:
        n_train = check_int("n_train", n_train, 1, len(train_y))
        train_imgs, train_y = train_imgs[:n_train], train_y[:n_train]
    val_imgs, val_y = images[-n_val:], labels[-n_val:]
    test_imgs, test_y = batches[5]
    flat = [a.reshape(len(a), -1) for a in (train_imgs, val_imgs, test_imgs)]
    mean, X_train, X_val, X_test = preprocess(*flat, scale=255.0)
    return Dataset(X_train, train_y, X_val, val_y, X_test, test_y,
                   train_imgs, val_imgs, test_imgs, mean, CIFAR10_CLASSES)
