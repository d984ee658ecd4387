"""Tests for optim_helpers.widgets: slider panels that draw every setting ahead.

No browser: a panel keeps every setting's run, SVG overlay and readout in Stacks whose
selected_index follows the controls' index (in a page through ipywidgets.jslink, here
through the panel's own observer). The tests move the controls in Python and compare
what the panel would show (the selected frame, its readout) with what the pure run
functions and the figures give for that setting.
"""
import itertools

import ipywidgets
import matplotlib
import numpy as np
import pytest

from optim_helpers import landscapes, readout, slider_figures, sliders, svg_frames, widgets
from optim_helpers.landscapes import Landscape

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def tilted(name="tilted bowl"):
    return Landscape(name, lambda x, y: 0.5 * (x - 1) ** 2 + y ** 2, lambda x, y: (x - 1, 2 * y),
                     (-2, 3), (-2, 2), (-1.5, 1.5), (1.0, 0.0))


def shown(widget):
    """The frame a browser would show: follow every Stack's selected child down to the HTML."""
    while isinstance(widget, (ipywidgets.Stack, ipywidgets.GridBox)):
        widget = widget.children[widget.selected_index] if isinstance(widget, ipywidgets.Stack) \
            else widget.children[2]
    return widget


def links(panel):
    """(control, Stack) pairs jslinked control.index -> stack.selected_index."""
    pairs = []
    for link in panel.links:
        assert type(link).__name__ == "Link" and link._model_name == "LinkModel"
        (a, a_trait), (b, b_trait) = link.source, link.target
        assert (a_trait, b_trait) == ("index", "selected_index") and any(a is c for c in panel.sliders.values())
        pairs.append((a, b))
    return pairs


# ---------------------------------------------------------------- landscape panel

def test_landscape_panel_shows_the_run_of_its_setting():
    panel = widgets.lr_slider_landscape("mountain", lr=0.1, lr_min=0.1, lr_max=1.0, n_steps=25)
    assert panel.sliders["landscape"].value == "mountain"
    assert set(panel.sliders["landscape"].options) == set(landscapes.LANDSCAPES)
    assert bytes(panel.background.value).startswith(PNG_MAGIC)
    first = panel.frame.value
    panel.sliders["lr"].value = 1.0
    expected = sliders.landscape_run("mountain", 1.0, n_steps=25)
    assert panel.readout == readout.format_readout(expected)
    np.testing.assert_array_equal(panel.run.path, expected.path)
    assert shown(panel.figure) is panel.frame                  # what the Stacks select
    assert panel.frame.value != first
    assert widgets.READOUT_CLASS in panel.frame.value and readout.format_readout(expected) in panel.frame.value
    panel.sliders["landscape"].value = "ravine"
    assert panel.run.landscape == "ravine"
    assert shown(panel.figure) is panel.frame
    assert panel.readout == readout.format_readout(sliders.landscape_run("ravine", 1.0, n_steps=25))


def test_every_setting_is_drawn_ahead_from_the_pure_functions():
    panel = widgets.lr_slider_landscape("bowl", lr=0.1, lr_min=0.1, lr_max=1.0, n_steps=8)
    grid = sliders.lr_grid(0.1, 1.0)
    assert len(panel.runs) == len(panel.frames) == len(grid) * len(landscapes.LANDSCAPES)
    for (name, lr), run in panel.runs.items():
        fresh = sliders.landscape_run(name, lr, n_steps=8)
        np.testing.assert_array_equal(run.path, fresh.path)
        assert readout.format_readout(fresh) in panel.frames[name, lr].value
    overlays = {frame.value for frame in panel.frames.values()}
    assert len(overlays) == len(panel.frames)                 # every setting looks different


def test_the_overlay_is_the_figure_drawn_for_that_setting(small):
    """A frame's SVG is what svg_frames draws from slider_figures for the same record."""
    panel = widgets.lr_slider_classifier(*small, reg=0.05, lr=1.0, lr_min=0.316, lr_max=3.16, n_steps=6)
    setup = sliders.classifier_setup(*small, reg=0.05, n_steps=6)
    figure = slider_figures.ClassifierFigure(setup)
    layers = svg_frames.FrameLayers(figure)
    for lr in sliders.lr_grid(0.316, 3.16):
        figure.draw(sliders.classifier_run(setup, lr))
        layers.add()
    for number, lr in enumerate(sliders.lr_grid(0.316, 3.16)):
        assert panel.frames[(lr,)].value.startswith(layers.overlay(number))
    assert bytes(panel.background.value) == layers.background_png()


def test_stacks_are_linked_in_the_page_to_the_controls(small):
    panel = widgets.sgd_sliders(*small, lr=0.316, batch_size=8, lr_min=0.1, lr_max=1.0, n_steps=6,
                                eval_every=3, rng=np.random.default_rng(0))
    pairs = links(panel)
    assert {id(stack) for _, stack in pairs} == {id(stack) for _, stack in panel.stacks}
    for control, stack in pairs:
        assert stack.selected_index == control.index
        assert len(stack.children) == len(control.options)
    for lr, size in itertools.product([0.1, 1.0], [1, 16]):
        panel.sliders["lr"].value, panel.sliders["batch_size"].value = lr, size
        assert all(stack.selected_index == control.index for control, stack in pairs)
        assert shown(panel.figure) is panel.frame
        fresh = sliders.sgd_run(sliders.sgd_setup(*small, n_steps=6, eval_every=3,
                                                  rng=np.random.default_rng(0)), lr, size)
        assert panel.readout == readout.format_readout(fresh)


def test_a_landscape_of_your_own_is_shown_and_selected():
    mine = tilted()
    panel = widgets.lr_slider_landscape(mine, lr=0.316, lr_min=0.237, lr_max=0.422, n_steps=20, dpi=40)
    dropdown = panel.sliders["landscape"]
    assert dropdown.value == "tilted bowl" and dropdown.options[0] == "tilted bowl"
    assert set(dropdown.options[1:]) == set(landscapes.LANDSCAPES)
    lr = panel.sliders["lr"].value
    assert lr == pytest.approx(sliders.snap_lr(0.316), rel=1e-12)   # the grid value 0.316 names
    assert panel.readout == readout.format_readout(sliders.landscape_run(mine, lr, 20))
    dropdown.value = "mountain"
    assert panel.run.landscape == "mountain"
    dropdown.value = "tilted bowl"
    np.testing.assert_array_equal(panel.run.path, sliders.landscape_run(mine, lr, 20).path)


def test_your_landscape_named_like_a_builtin_is_kept_apart():
    mine = tilted("bowl")
    panel = widgets.lr_slider_landscape(mine, lr_min=0.1, lr_max=0.133, n_steps=5, dpi=40)
    assert panel.sliders["landscape"].value == "bowl (yours)"
    assert "bowl" in panel.sliders["landscape"].options
    np.testing.assert_array_equal(panel.run.path, sliders.landscape_run(mine, 0.1, 5).path)
    panel.sliders["landscape"].value = "bowl"
    np.testing.assert_array_equal(panel.run.path, sliders.landscape_run(landscapes.BOWL, 0.1, 5).path)


def test_lr_slider_moves_on_the_grid():
    slider = widgets.lr_slider(0.1, 1e-3, 31.6)
    values = [value for _, value in slider.options]
    np.testing.assert_allclose(values, sliders.lr_grid(1e-3, 31.6))
    assert [label for label, _ in slider.options][:3] == ["0.001", "0.00133", "0.00178"]
    assert slider.value == pytest.approx(0.1) and slider.options[slider.index][0] == "0.1"
    slider.value = 0.316                                    # names 10 ** -0.5
    assert slider.value == pytest.approx(10 ** -0.5, rel=1e-12) and slider.options[slider.index][0] == "0.316"
    with pytest.raises(ValueError, match=r"\blr\b"):
        slider.value = 0.3                                  # not a value the slider reaches
    with pytest.raises(ValueError, match=r"\blr\b"):
        slider.value = 100.0                                # on the grid, beyond lr_max
    with pytest.raises(TypeError, match=r"\blr\b"):
        slider.value = "fast"
    with pytest.raises(ValueError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr=100.0, lr_max=31.6)
    with pytest.raises(ValueError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr=0.3)
    with pytest.raises(ValueError, match=r"\blr_min\b"):
        widgets.lr_slider_landscape(lr=0.1, lr_min=1.0, lr_max=0.562)
    with pytest.raises(TypeError, match=r"\blr\b"):
        widgets.lr_slider_landscape(lr="fast")


def test_slider_panels_do_not_touch_pyplot_or_rcparams():
    import matplotlib.pyplot as plt
    before_figs, before_rc = plt.get_fignums(), dict(matplotlib.rcParams)
    panel = widgets.lr_slider_landscape(lr_min=0.1, lr_max=1.0, n_steps=10, choose_landscape=False)
    assert set(panel.sliders) == {"lr"}
    panel.sliders["lr"].value = 0.562
    assert plt.get_fignums() == before_figs
    assert dict(matplotlib.rcParams) == before_rc


# ---------------------------------------------------------------- digits

def test_classifier_slider_readout_is_the_runs(small):
    panel = widgets.lr_slider_classifier(*small, reg=0.05, lr=1.0, lr_min=1.0, lr_max=100.0, n_steps=10)
    panel.sliders["lr"].value = 100.0
    expected = sliders.classifier_run(sliders.classifier_setup(*small, reg=0.05, n_steps=10), 100.0)
    assert panel.readout == readout.format_readout(expected)
    assert "status: diverged" in panel.readout and "status: diverged" in panel.frame.value


def test_sgd_sliders_drive_both_controls(small):
    panel = widgets.sgd_sliders(*small, lr=0.316, batch_size=32, lr_min=0.316, lr_max=100.0, n_steps=20,
                                rng=np.random.default_rng(0))
    assert set(panel.sliders) == {"lr", "batch_size"}
    panel.sliders["batch_size"].value = 8
    panel.sliders["lr"].value = 100.0
    setup = sliders.sgd_setup(*small, n_steps=20, rng=np.random.default_rng(0))
    expected = sliders.sgd_run(setup, 100.0, 8)
    assert panel.readout == readout.format_readout(expected)
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
