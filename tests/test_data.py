"""Data: the shipped digits (checksum, split, scaling) and the CIFAR-10 binary reader."""
import numpy as np
import pytest

from optim_helpers import data


def test_digits_file_matches_its_documented_checksum():
    assert data.sha256(data.DIGITS_PATH) == data.DIGITS_SHA256
    readme = (data.DATA_DIR / "README.md").read_text()
    assert data.DIGITS_SHA256 in readme


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


def test_digits_split_is_fixed_and_disjoint(digits):
    again = data.load_digits()
    np.testing.assert_array_equal(again.X_train, digits.X_train)
    with np.load(data.DIGITS_PATH, allow_pickle=False) as npz:
        all_images = npz["X"]
    # the three splits together hold every image exactly once
    parts = np.concatenate([digits.images_train, digits.images_val, digits.images_test]).reshape(-1, 64)
    assert len(parts) == len(all_images) == 1797
    np.testing.assert_array_equal(np.unique(parts, axis=0, return_counts=True)[1],
                                  np.unique(all_images, axis=0, return_counts=True)[1])
    other = data.load_digits(seed=1)
    assert not np.array_equal(other.y_train, digits.y_train)


def test_a_corrupted_digits_file_is_refused(tmp_path):
    bad = tmp_path / "digits.npz"
    raw = bytearray(data.DIGITS_PATH.read_bytes())
    raw[100] ^= 0xFF
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="SHA-256"):
        data.load_digits(bad)
    with pytest.raises(ValueError, match="no digits file"):
        data.load_digits(tmp_path / "missing.npz")


def test_toy_sets_are_seeded_and_shaped():
    for make in (data.make_blobs, data.make_spiral):
        X, y = make(20, rng=np.random.default_rng(0))
        X2, _ = make(20, rng=np.random.default_rng(0))
        assert X.shape == (60, 3) and y.shape == (60,)
        np.testing.assert_array_equal(X, X2)
        np.testing.assert_array_equal(X[:, 2], 1.0)
        np.testing.assert_array_equal(np.bincount(y), [20, 20, 20])


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
