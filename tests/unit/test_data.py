"""Data: the shipped digits (checksum, split, scaling) and the CIFAR-10 binary reader."""
import hashlib

import numpy as np
import pytest

from optim_helpers import data


def test_shipped_files_match_their_documented_checksums():
    readme = (data.DATA_DIR / "README.md").read_text()
    for path, expected in ((data.DIGITS_PATH, data.DIGITS_SHA256),
                           (data.DIGITS_ORDER_PATH, data.DIGITS_ORDER_SHA256)):
        assert data.sha256(path) == expected, path
        assert expected in readme, path


def test_digits_shapes_and_split(digits):
    assert digits.X_train.shape == (1200, 65)
    assert digits.X_val.shape == (300, 65)
    assert digits.X_test.shape == (297, 65)
    assert digits.images_train.shape == (1200, 8, 8) and digits.images_train.dtype == np.uint8
    for y in (digits.y_train, digits.y_val, digits.y_test):
        assert y.dtype == np.int64 and y.min() == 0 and y.max() == 9
    assert digits.n_classes == 10


def test_digits_preprocessing(digits):
    # bias column of ones, training pixels centred, values from [0, 1] minus the mean
    for X in (digits.X_train, digits.X_val, digits.X_test):
        np.testing.assert_array_equal(X[:, -1], 1.0)
    np.testing.assert_allclose(digits.X_train[:, :-1].mean(axis=0), 0.0, atol=1e-12)
    pixels = digits.images_train.reshape(1200, 64) / 16.0
    np.testing.assert_allclose(digits.X_train[:, :-1], pixels - digits.mean)
    np.testing.assert_allclose(digits.X_test[:, :-1], digits.images_test.reshape(297, 64) / 16.0 - digits.mean)


# SHA-256 of the split as little-endian int64: np.random.default_rng(0).permutation(1797) on
# NumPy 2.4, the split every earlier release drew at import time and the lectures' stored
# outputs were computed with. Now read from data/digits_order.npy, it no longer depends on
# the generator's stream.
DIGITS_ORDER_SHA256_INT64 = "14b7f6bc58ce844efd500d56ca64ce44abff6e3dd1d9b8d2a6d11825767e38d3"
# SHA-256 of every array load_digits() returned before the split moved into the file
# (X_*, y_*, images_*, mean, in Dataset order): the lectures' numbers cannot have changed.
DATASET_SHA256 = "485534e19415d0333f3f02d7f938aa847b0ba34fa46bd83467fde22809d9236c"


def test_digits_split_is_the_shipped_one_and_disjoint(digits):
    order = data.digits_order()
    assert hashlib.sha256(order.astype("<i8").tobytes()).hexdigest() == DIGITS_ORDER_SHA256_INT64
    np.testing.assert_array_equal(np.sort(order), np.arange(1797))  # every image exactly once
    assert not order.flags.writeable
    with np.load(data.DIGITS_PATH, allow_pickle=False) as npz:
        all_images, all_labels = npz["X"], npz["y"]
    parts = np.split(order, [1200, 1500])
    for images, y, part in zip((digits.images_train, digits.images_val, digits.images_test),
                               (digits.y_train, digits.y_val, digits.y_test), parts):
        np.testing.assert_array_equal(images.reshape(-1, 64), all_images[part])
        np.testing.assert_array_equal(y, all_labels[part])


def test_digits_are_bit_identical_to_the_split_the_lectures_were_stored_with(digits):
    h = hashlib.sha256()
    for a in (digits.X_train, digits.y_train, digits.X_val, digits.y_val, digits.X_test,
              digits.y_test, digits.images_train, digits.images_val, digits.images_test, digits.mean):
        h.update(np.ascontiguousarray(a).tobytes())
    assert h.hexdigest() == DATASET_SHA256


def test_the_split_does_not_use_numpys_random_generators(monkeypatch):
    # A NumPy whose generators gave other streams must still give the same split.
    def no_generator(*args, **kwargs):
        raise AssertionError("the split must not be drawn at run time")
    monkeypatch.setattr(np.random, "default_rng", no_generator)
    assert data.load_digits().X_train.shape == (1200, 65)


def test_a_damaged_split_file_is_refused(tmp_path, monkeypatch):
    raw = bytearray(data.DIGITS_ORDER_PATH.read_bytes())
    raw[-1] ^= 0x01
    damaged = tmp_path / "digits_order.npy"
    damaged.write_bytes(bytes(raw))
    monkeypatch.setattr(data, "DIGITS_ORDER_PATH", damaged)
    with pytest.raises(ValueError, match=r"digits_order\.npy has SHA-256") as err:
        data.load_digits()
    assert data.DIGITS_ORDER_SHA256 in str(err.value)


def test_load_digits_takes_no_seed_and_reads_a_copy(tmp_path, digits):
    # Refusals (a damaged copy, a missing file, a non-path) are rows of
    # tests/contracts/test_bad_input.py and tests/contracts/test_faults.py.
    with pytest.raises(TypeError):
        data.load_digits(seed=1)
    copy = tmp_path / "digits.npz"
    copy.write_bytes(data.DIGITS_PATH.read_bytes())
    np.testing.assert_array_equal(data.load_digits(copy).X_val, digits.X_val)
    np.testing.assert_array_equal(data.load_digits(str(copy)).y_test, digits.y_test)


def test_toy_sets_are_seeded_and_shaped():
    for make in (data.make_blobs, data.make_spiral):
        X, y = make(20, rng=np.random.default_rng(0))
        X2, _ = make(20, rng=np.random.default_rng(0))
        assert X.shape == (60, 3) and y.shape == (60,)
        np.testing.assert_array_equal(X, X2)
        np.testing.assert_array_equal(X[:, 2], 1.0)
        np.testing.assert_array_equal(np.bincount(y), [20, 20, 20])


def test_toy_sets_take_rng_by_keyword_only_and_allow_zero_noise():
    # A missing or non-Generator rng and a negative noise are rows of the bad-input table.
    for make in (data.make_blobs, data.make_spiral):
        with pytest.raises(TypeError, match=r"positional argument"):
            make(20, np.random.default_rng(0))              # rng given by position
    X, _ = data.make_spiral(5, rng=np.random.default_rng(0), noise=0)
    assert np.isfinite(X).all()


def write_cifar_batch(path, labels, rng):
    """A file in CIFAR-10's binary format: per record 1 label byte + 3072 pixel bytes."""
    pixels = rng.integers(0, 256, size=(len(labels), 3072), dtype=np.uint8)
    records = np.hstack([np.asarray(labels, dtype=np.uint8)[:, None], pixels])
    path.write_bytes(records.tobytes())
    return pixels


def test_read_cifar10_batch_on_a_generated_file(tmp_path):
    rng = np.random.default_rng(0)
    pixels = write_cifar_batch(tmp_path / "b.bin", [3, 7], rng)
    images, labels = data.read_cifar10_batch(tmp_path / "b.bin")
    assert images.shape == (2, 32, 32, 3) and labels.tolist() == [3, 7]
    # channel planes: red 0..1023, green 1024..2047, blue 2048..3071, each row-major
    assert images[1, 0, 0, 0] == pixels[1, 0]
    assert images[1, 0, 1, 1] == pixels[1, 1024 + 1]
    assert images[0, 31, 31, 2] == pixels[0, 3071]
    (tmp_path / "short.bin").write_bytes(b"\x01" * 100)
    with pytest.raises(ValueError, match="not a CIFAR-10 binary batch"):
        data.read_cifar10_batch(tmp_path / "short.bin")


def test_load_cifar10_on_generated_batches(tmp_path):
    rng = np.random.default_rng(1)
    for i in range(1, 6):
        write_cifar_batch(tmp_path / f"data_batch_{i}.bin", rng.integers(0, 10, 4), rng)
    write_cifar_batch(tmp_path / "test_batch.bin", rng.integers(0, 10, 3), rng)
    ds = data.load_cifar10(tmp_path, n_val=5)
    assert ds.X_train.shape == (15, 3073) and ds.X_val.shape == (5, 3073) and ds.X_test.shape == (3, 3073)
    np.testing.assert_array_equal(ds.X_train[:, -1], 1.0)
    np.testing.assert_allclose(ds.X_train[:, :-1].mean(axis=0), 0.0, atol=1e-12)
    assert ds.class_names[0] == "airplane" and ds.n_classes == 10
    (tmp_path / "test_batch.bin").unlink()
    with pytest.raises(ValueError, match="test_batch.bin"):
        data.load_cifar10(tmp_path)
