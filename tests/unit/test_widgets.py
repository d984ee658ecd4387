"""Tests for optim_helpers.widgets: the thin ipywidgets layer over a run function and a figure.

No browser: setting a slider's value runs its observer synchronously, so the tests move
the sliders and compare the readout and the image with what the pure run functions and
the figures give for that setting.
"""
import matplotlib
import numpy as np
import pytest

from optim_helpers import landscapes, readout, slider_figures, sliders, widgets
from optim_helpers.landscapes import Landscape

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def tilted(name="tilted bowl"):
    return Landscape(name, lambda x, y: 0.5 * (x - 1) ** 2 + y ** 2, lambda x, y: (x - 1, 2 * y),
                     (-2, 3), (-2, 2), (-1.5, 1.5), (1.0, 0.0))


# ---------------------------------------------------------------- landscape slider

def test_landscape_slider_shows_the_run_of_its_setting():
    panel = widgets.lr_slider_landscape("mountain", lr=0.1, n_steps=25)
    assert bytes(panel.image.value).startswith(PNG_MAGIC)
    assert widgets.READOUT_CLASS in panel.readout._dom_classes
    first_png = bytes(panel.image.value)
    panel.sliders["lr"].value = 1.0
    expected = sliders.landscape_run("mountain", 1.0, n_steps=25)
    assert panel.readout.value == readout.format_readout(expected)
    np.testing.assert_array_equal(panel.run.path, expected.path)
    figure = slider_figures.LandscapeFigure("mountain", n_steps=25)
    assert bytes(panel.image.value) == figure.draw(expected).png() != first_png
    panel.sliders["landscape"].value = "ravine"
    assert panel.run.landscape == "ravine"
    assert panel.readout.value == readout.format_readout(sliders.landscape_run("ravine", 1.0, n_steps=25))


def test_dropdown_lists_the_package_landscapes():
    panel = widgets.lr_slider_landscape("bowl", n_steps=5)
    dropdown = panel.sliders["landscape"]
    assert dropdown.value == "bowl"
    assert set(dropdown.options) == set(landscapes.LANDSCAPES)


def test_a_landscape_of_your_own_is_shown_and_selected():
    mine = tilted()
    panel = widgets.lr_slider_landscape(mine, lr=0.316, n_steps=20)
    dropdown = panel.sliders["landscape"]
    assert dropdown.value == "tilted bowl" and dropdown.options[0] == "tilted bowl"
    assert set(dropdown.options[1:]) == set(landscapes.LANDSCAPES)
    lr = panel.sliders["lr"].value
    assert lr == sliders.snap_lr(0.316)                 # the grid value 0.316 names
    assert panel.readout.value == readout.format_readout(sliders.landscape_run(mine, lr, 20))
    dropdown.value = "mountain"
    assert panel.run.landscape == "mountain"
    dropdown.value = "tilted bowl"
    np.testing.assert_array_equal(panel.run.path, sliders.landscape_run(mine, lr, 20).path)


def test_your_landscape_named_like_a_builtin_is_kept_apart():
    mine = tilted("bowl")
    panel = widgets.lr_slider_landscape(mine, n_steps=5)
    assert panel.sliders["landscape"].value == "bowl (yours)"
    assert "bowl" in panel.sliders["landscape"].options
    np.testing.assert_array_equal(panel.run.path, sliders.landscape_run(mine, 0.1, 5).path)
    panel.sliders["landscape"].value = "bowl"
    np.testing.assert_array_equal(panel.run.path, sliders.landscape_run(landscapes.BOWL, 0.1, 5).path)


def test_lr_slider_moves_on_the_grid():
    panel = widgets.lr_slider_landscape(lr=0.1, lr_min=1e-3, lr_max=31.6, choose_landscape=False)
    slider = panel.sliders["lr"]
    assert set(panel.sliders) == {"lr"}
    assert 10 ** slider.min == pytest.approx(1e-3) and 10 ** slider.max == pytest.approx(10 ** 1.5)
    assert slider.step == 1 / sliders.STEPS_PER_DECADE and slider.continuous_update is False
    positions = np.arange(slider.min, slider.max + slider.step / 2, slider.step)
    np.testing.assert_allclose(10 ** positions, sliders.lr_grid(1e-3, 31.6))
    with pytest.raises(ValueError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr=100.0, lr_max=31.6)
    with pytest.raises(ValueError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr=0.3)                 # not a value the slider reaches
    with pytest.raises(ValueError, match=r"\blr_min\b"):
        widgets.lr_slider_landscape(lr=0.1, lr_min=1.0, lr_max=0.562)
    with pytest.raises(TypeError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr="fast")


def test_slider_panels_do_not_touch_pyplot_or_rcparams():
    import matplotlib.pyplot as plt
    before_figs, before_rc = plt.get_fignums(), dict(matplotlib.rcParams)
    panel = widgets.lr_slider_landscape(n_steps=10)
    panel.sliders["lr"].value = 0.562
    assert plt.get_fignums() == before_figs
    assert dict(matplotlib.rcParams) == before_rc


# ---------------------------------------------------------------- the frame cache

def test_going_back_shows_the_cached_frame_without_rerunning():
    calls = []

    def show(values):
        calls.append(values["lr"])
        return sliders.landscape_run("bowl", values["lr"], 10), f"png {values['lr']}".encode()

    panel = widgets.SliderPanel({"lr": widgets.lr_slider(0.1, 1e-3, 1.0)}, show)
    first = (bytes(panel.image.value), panel.readout.value)
    panel.sliders["lr"].value = 1.0
    panel.sliders["lr"].value = 0.1
    assert calls == [0.1, 1.0]                          # going back was served from the cache
    assert (bytes(panel.image.value), panel.readout.value) == first


def test_frame_cache_is_bounded_and_its_frames_match_a_fresh_drawing(small):
    panel = widgets.sgd_sliders(*small, lr=0.316, batch_size=8, n_steps=10, eval_every=5,
                                rng=np.random.default_rng(0))
    panel.frames.maxsize = 3
    for size in (16, 32, 64, 128, 8):
        panel.sliders["batch_size"].value = size
    assert len(panel.frames) == 3
    setup = sliders.sgd_setup(*small, n_steps=10, eval_every=5, rng=np.random.default_rng(0))
    fresh = slider_figures.SGDFigure(setup).draw(sliders.sgd_run(setup, 10 ** -0.5, 8)).png()
    assert bytes(panel.image.value) == fresh


# ---------------------------------------------------------------- digits

def test_classifier_slider_readout_is_the_runs(small):
    panel = widgets.lr_slider_classifier(*small, reg=0.05, lr=1.0, n_steps=10)
    panel.sliders["lr"].value = 100.0
    expected = sliders.classifier_run(sliders.classifier_setup(*small, reg=0.05, n_steps=10), 100.0)
    assert panel.readout.value == readout.format_readout(expected)
    assert "status: diverged" in panel.readout.value


def test_sgd_sliders_drive_both_controls(small):
    panel = widgets.sgd_sliders(*small, lr=0.316, batch_size=32, n_steps=20, rng=np.random.default_rng(0))
    assert set(panel.sliders) == {"lr", "batch_size"}
    panel.sliders["batch_size"].value = 8
    panel.sliders["lr"].value = 100.0
    setup = sliders.sgd_setup(*small, n_steps=20, rng=np.random.default_rng(0))
    expected = sliders.sgd_run(setup, 100.0, 8)
    assert panel.readout.value == readout.format_readout(expected)
    assert expected.status == "diverged"
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
