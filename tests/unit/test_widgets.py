"""Tests for optim_helpers.widgets: the thin ipywidgets layer over the views.

No browser: setting a slider's value runs its observer synchronously, so the tests move
the sliders and compare the readout and the image with what the views compute directly.
The views themselves are tested without ipywidgets in tests/unit/test_views.py.
"""
import matplotlib
import numpy as np
import pytest

from optim_helpers import classifier_views, landscapes, readout, views, widgets
from optim_helpers.landscapes import Landscape

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def tilted(name="tilted bowl"):
    return Landscape(name, lambda x, y: 0.5 * (x - 1) ** 2 + y ** 2, lambda x, y: (x - 1, 2 * y),
                     (-2, 3), (-2, 2), (-1.5, 1.5), (1.0, 0.0))


# ---------------------------------------------------------------- landscape slider

def test_landscape_slider_callback_updates_readout_and_image():
    panel = widgets.lr_slider_landscape("mountain", lr=0.1, n_steps=25)
    assert bytes(panel.image.value).startswith(PNG_MAGIC)
    assert "optim-readout" in panel.readout._dom_classes
    first_png = bytes(panel.image.value)
    panel.sliders["lr"].value = 1.0
    expected = views.LandscapeLRView("mountain", n_steps=25).update(panel.sliders["lr"].value)
    assert panel.result == expected
    assert panel.readout.value == readout.format_readout(expected)
    assert bytes(panel.image.value) != first_png
    panel.sliders["landscape"].value = "ravine"
    expected = views.LandscapeLRView("ravine", n_steps=25).update(panel.sliders["lr"].value)
    assert panel.result == expected and panel.result["landscape"] == "ravine"
    assert panel.view.landscape is landscapes.RAVINE


def test_dropdown_lists_the_package_landscapes():
    panel = widgets.lr_slider_landscape("bowl", n_steps=5)
    dropdown = panel.sliders["landscape"]
    assert dropdown.value == "bowl"
    assert set(dropdown.options) == set(landscapes.LANDSCAPES)


def test_a_landscape_of_your_own_is_shown_and_selected():
    mine = tilted()
    panel = widgets.lr_slider_landscape(mine, lr=0.3, n_steps=20)
    dropdown = panel.sliders["landscape"]
    assert dropdown.value == "tilted bowl" and dropdown.options[0] == "tilted bowl"
    assert set(dropdown.options[1:]) == set(landscapes.LANDSCAPES)
    assert panel.view.landscape is mine
    assert panel.result == views.LandscapeLRView(mine, n_steps=20).update(0.3)
    dropdown.value = "mountain"
    assert panel.view.landscape is landscapes.MOUNTAIN
    dropdown.value = "tilted bowl"
    assert panel.view.landscape is mine


def test_your_landscape_named_like_a_builtin_is_kept_apart():
    mine = tilted("bowl")
    panel = widgets.lr_slider_landscape(mine, n_steps=5)
    assert panel.sliders["landscape"].value == "bowl (yours)"
    assert "bowl" in panel.sliders["landscape"].options
    assert panel.view.landscape is mine
    panel.sliders["landscape"].value = "bowl"
    assert panel.view.landscape is landscapes.BOWL


def test_lr_slider_range_and_validation():
    panel = widgets.lr_slider_landscape(lr=0.1, lr_min=1e-3, lr_max=30.0, choose_landscape=False)
    slider = panel.sliders["lr"]
    assert set(panel.sliders) == {"lr"}
    assert 10 ** slider.min == pytest.approx(1e-3) and 10 ** slider.max == pytest.approx(30.0)
    assert slider.continuous_update is False
    with pytest.raises(ValueError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr=100.0, lr_max=30.0)
    with pytest.raises(ValueError, match=r"\blr_min\b"):
        widgets.lr_slider_landscape(lr=0.1, lr_min=1.0, lr_max=0.5)
    with pytest.raises(TypeError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr="fast")


def test_slider_figures_do_not_touch_pyplot_or_rcparams():
    import matplotlib.pyplot as plt
    before_figs, before_rc = plt.get_fignums(), dict(matplotlib.rcParams)
    panel = widgets.lr_slider_landscape(n_steps=10)
    panel.sliders["lr"].value = 0.5
    assert plt.get_fignums() == before_figs
    assert dict(matplotlib.rcParams) == before_rc


# ---------------------------------------------------------------- the frame cache

def test_going_back_shows_the_cached_frame_without_rerunning(monkeypatch):
    panel = widgets.lr_slider_landscape("bowl", lr=0.1, n_steps=10, choose_landscape=False)
    first = (bytes(panel.image.value), panel.readout.value, dict(panel.result))
    panel.sliders["lr"].value = 1.0
    calls = []
    monkeypatch.setattr(panel.view, "update", lambda lr: calls.append(lr))
    panel.sliders["lr"].value = 0.1
    assert calls == []                                  # served from the cache
    assert (bytes(panel.image.value), panel.readout.value, panel.result) == first
    panel.result["lr"] = 99.0                           # the caller's copy, not the cache's
    panel.sliders["lr"].value = 1.0
    panel.sliders["lr"].value = 0.1
    assert panel.result == first[2]


def test_frame_cache_is_bounded_and_its_frames_match_a_fresh_render(small):
    panel = widgets.sgd_sliders(*small, lr=0.3, batch_size=8, n_steps=10, eval_every=5,
                                rng=np.random.default_rng(0))
    panel.frames.maxsize = 3
    for size in (16, 32, 64, 128, 8):
        panel.sliders["batch_size"].value = size
    assert len(panel.frames) == 3
    cached = bytes(panel.image.value)                   # batch 8 was drawn anew, then cached
    fresh = classifier_views.SGDView(*small, n_steps=10, eval_every=5, rng=np.random.default_rng(0))
    fresh.update(0.3, 8)
    assert fresh.render() == cached


# ---------------------------------------------------------------- digits

def test_classifier_slider_readout_is_format_readout(small):
    panel = widgets.lr_slider_classifier(*small, reg=0.05, lr=1.0, n_steps=10)
    panel.sliders["lr"].value = 100.0
    expected = classifier_views.ClassifierLRView(*small, reg=0.05, n_steps=10).update(100.0)
    assert panel.readout.value == readout.format_readout(expected)
    assert "status: diverged" in panel.readout.value


def test_sgd_sliders_drive_both_controls(small):
    panel = widgets.sgd_sliders(*small, lr=0.3, batch_size=32, n_steps=20,
                                rng=np.random.default_rng(0))
    assert set(panel.sliders) == {"lr", "batch_size"}
    panel.sliders["batch_size"].value = 8
    panel.sliders["lr"].value = 100.0
    expected = classifier_views.SGDView(*small, n_steps=20,
                                        rng=np.random.default_rng(0)).update(100.0, 8)
    assert panel.result == pytest.approx(expected, nan_ok=True)
    assert panel.readout.value == readout.format_readout(expected)
    assert expected["status"] == "diverged"
    assert max(panel.sliders["batch_size"].options) <= len(small.y_train)


def test_sgd_sliders_bad_input(small):
    with pytest.raises(ValueError, match=r"\bbatch_size\b"):
        widgets.sgd_sliders(*small, batch_size=33, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"\brng\b"):
        widgets.sgd_sliders(*small, batch_size=32)
    with pytest.raises(TypeError, match=r"\brng\b"):
        widgets.sgd_sliders(*small, batch_size=32, rng=0)
    with pytest.raises(TypeError, match=r"\bbatch_sizes\b"):
        widgets.sgd_sliders(*small, batch_size=32, batch_sizes=(32, 64.0), rng=np.random.default_rng(0))


def test_notebook_names_still_work():
    assert widgets.LandscapeLRView is views.LandscapeLRView
    assert widgets.ClassifierLRView is classifier_views.ClassifierLRView
    assert widgets.SGDView is classifier_views.SGDView
    assert widgets.format_readout is readout.format_readout
