"""Sliders: a thin ipywidgets layer over the matplotlib-only views of ``optim_helpers.views``.

Introduced in 03_gradient_descent.ipynb (the learning-rate sliders) and
04_stochastic_gradient_descent.ipynb (the learning-rate and batch-size pair).

The factories ``lr_slider_landscape``, ``lr_slider_classifier`` and ``sgd_sliders`` build
a view and return a ``SliderPanel``: a VBox of the controls, the view's figure as a PNG
in an ``ipywidgets.Image`` (so the saved widget state holds the first frame, and nothing
flickers or stacks), and a one-line text readout (CSS class ``optim-readout``) written
by ``readout.format_readout``. Setting ``panel.sliders["lr"].value = x`` runs the update
synchronously. A panel keeps the frames it has shown (``frames.FrameCache``, keyed by the
control values), so going back to a setting costs no rerun and no render.

The views and the readout functions are re-exported here (``widgets.LandscapeLRView``,
``widgets.format_readout``, ...) for the notebooks' existing calls; code that needs no
ipywidgets imports them from ``optim_helpers.views``, ``optim_helpers.classifier_views``
and ``optim_helpers.readout``.
Importing this module changes no matplotlib setting.
"""
import math

import ipywidgets
import numpy as np

from ._checks import check_int, check_positive, check_rng
from .classifier_views import ClassifierLRView, SGDView
from .frames import FrameCache, figure_png
from .landscapes import LANDSCAPES, Landscape, get_landscape
from .readout import format_loss, format_readout
from .views import LandscapeLRView, SliderView

__all__ = ["SliderPanel", "lr_slider_landscape", "lr_slider_classifier", "sgd_sliders",
           "BATCH_SIZES", "READOUT_CLASS",
           # re-exported for the notebooks' calls
           "LandscapeLRView", "ClassifierLRView", "SGDView", "SliderView",
           "format_readout", "format_loss", "figure_png"]

READOUT_CLASS = "optim-readout"
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class SliderPanel(ipywidgets.VBox):
    """The widget a slider cell shows: controls, the figure as an image, a text readout.

    ``call(values) -> (view, result)`` runs a view's update for a dict of control values.
    Attributes: sliders (dict name -> control), view (the last view drawn), image
    (ipywidgets.Image), readout (ipywidgets.HTML with CSS class "optim-readout"),
    result (a copy of the last update's dict), frames (the FrameCache of frames shown;
    cache_size of them at most, 0 for none). ``refresh()`` shows the controls' current
    values: from the cache if they were shown before, else by calling the view.
    """

    def __init__(self, sliders, call, cache_size=64):
        self.view, self.sliders, self._call = None, dict(sliders), call
        self.frames = FrameCache(cache_size)
        self.image = ipywidgets.Image(format="png")
        self.readout = ipywidgets.HTML()
        self.readout.add_class(READOUT_CLASS)
        self.result = None
        super().__init__([ipywidgets.HBox(list(self.sliders.values())), self.image, self.readout])
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, change):
        self.refresh()

    def refresh(self):
        """Show the frame for the controls' current values; returns the result dict.

        On a cache miss the view reruns (``view.update`` sets its figure's lines, limits
        and titles) and renders (``view.render``), and the frame is stored; on a hit the
        stored PNG, result and view come back and nothing reruns (the view's figure is
        then left as it was last set)."""
        key = tuple((name, control.value) for name, control in self.sliders.items())
        frame = self.frames.get(key)
        if frame is None:
            view, result = self._call(dict(key))
            frame = self.frames.put(key, (view, dict(result), view.render()))
        self.view, result, png = frame
        self.result = dict(result)
        self.image.value = png
        self.readout.value = format_readout(result)
        return self.result


def _lr_slider(lr, lr_min, lr_max, description="learning rate"):
    lr = check_positive("lr", lr)
    lo, hi = math.log10(check_positive("lr_min", lr_min)), math.log10(check_positive("lr_max", lr_max))
    if not lo < hi:
        raise ValueError(f"lr_min must be below lr_max, got {lr_min} and {lr_max}")
    if not lr_min <= lr <= lr_max:
        raise ValueError(f"lr must lie in [lr_min, lr_max] = [{lr_min}, {lr_max}], got {lr}")
    return ipywidgets.FloatLogSlider(value=lr, base=10, min=lo, max=hi, step=0.125,
                                     description=description, continuous_update=False,
                                     readout_format=".3g", style={"description_width": "initial"},
                                     layout=ipywidgets.Layout(width="420px"))


def _landscape_choices(first):
    """Dropdown label -> Landscape: ``first`` first, then the built-ins of
    landscapes.LANDSCAPES it is not. A landscape of your own whose name a built-in
    already has is labelled "name (yours)"."""
    label = first.name
    if first.name in LANDSCAPES and LANDSCAPES[first.name] is not first:
        label = f"{first.name} (yours)"
    return {label: first, **{name: ls for name, ls in LANDSCAPES.items() if ls is not first}}


def lr_slider_landscape(landscape="mountain", lr=0.1, lr_min=1e-3, lr_max=30.0, n_steps=50,
                        start=None, choose_landscape=True, dpi=None):
    """Learning-rate slider (log scale) over gradient descent on a 2-D landscape.

    landscape: a Landscape (a built-in or your own) or a built-in's name. Builds one
    LandscapeLRView per landscape (on first use) and a SliderPanel with sliders
    {"lr": FloatLogSlider}, plus {"landscape": Dropdown} if choose_landscape: its options
    are this landscape's name (selected) and the names of the other built-ins of
    ``landscapes.LANDSCAPES``. The readout is
    format_readout(LandscapeLRView(landscape, n_steps, start).update(lr)); ``start``
    applies to this landscape, the others start from their own ``start``.
    Introduced in 03_gradient_descent.ipynb.
    """
    first = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
    choices = _landscape_choices(first)
    first_label = next(iter(choices))
    views = {first_label: LandscapeLRView(first, n_steps=n_steps, start=start, dpi=dpi)}
    sliders = {"lr": _lr_slider(lr, lr_min, lr_max)}
    if choose_landscape:
        sliders["landscape"] = ipywidgets.Dropdown(options=list(choices), value=first_label,
                                                   description="landscape")

    def call(values):
        label = values.get("landscape", first_label)
        if label not in views:
            views[label] = LandscapeLRView(choices[label], n_steps=n_steps, dpi=dpi)
        return views[label], views[label].update(values["lr"])

    return SliderPanel(sliders, call)


def lr_slider_classifier(X_train, y_train, X_val, y_val, reg=0.05, lr=1.0, lr_min=1e-3,
                         lr_max=100.0, n_steps=60, dpi=None):
    """Learning-rate slider over full-batch gradient descent on a softmax classifier.

    sliders {"lr": FloatLogSlider}; the readout is
    format_readout(ClassifierLRView(X_train, y_train, X_val, y_val, reg, n_steps).update(lr)).
    Keep lr_max above 2 / reg so the top of the range really diverges.
    Introduced in 03_gradient_descent.ipynb.
    """
    view = ClassifierLRView(X_train, y_train, X_val, y_val, reg=reg, n_steps=n_steps, dpi=dpi)
    return SliderPanel({"lr": _lr_slider(lr, lr_min, lr_max)},
                       lambda values: (view, view.update(values["lr"])))


def sgd_sliders(X_train, y_train, X_val, y_val, reg=0.05, lr=0.3, batch_size=32, lr_min=1e-3,
                lr_max=100.0, n_steps=100, eval_every=10, *, rng, batch_sizes=BATCH_SIZES,
                dpi=None):
    """A learning-rate slider and a batch-size slider over SGDView.

    rng: a numpy Generator (required, keyword-only); SGDView takes one child stream from
    it, so the same (lr, batch_size) always shows the same curve.
    sliders {"lr": FloatLogSlider, "batch_size": SelectionSlider over the batch_sizes
    that fit the training set}; the readout is format_readout(SGDView(X_train, y_train,
    X_val, y_val, reg, n_steps, eval_every, rng=rng).update(lr, batch_size)).
    Introduced in 04_stochastic_gradient_descent.ipynb.
    """
    check_rng(rng)
    n = len(np.asarray(y_train))
    options = [check_int("batch_sizes", b, 1) for b in batch_sizes]
    options = [b for b in options if b <= n]
    if batch_size not in options:
        raise ValueError(f"batch_size must be one of {options}, got {batch_size!r}")
    view = SGDView(X_train, y_train, X_val, y_val, reg=reg, n_steps=n_steps,
                   eval_every=eval_every, rng=rng, dpi=dpi)
    sliders = {"lr": _lr_slider(lr, lr_min, lr_max),
               "batch_size": ipywidgets.SelectionSlider(options=options, value=batch_size,
                                                        description="batch size",
                                                        continuous_update=False)}
    return SliderPanel(sliders,
                       lambda values: (view, view.update(values["lr"], values["batch_size"])))
