"""Sliders: a thin ipywidgets layer over a pure run function and a figure that draws its record.

Introduced in 03_gradient_descent.ipynb (the learning-rate sliders) and
04_stochastic_gradient_descent.ipynb (the learning-rate and batch-size pair).

For one setting of its controls, a slider computes a run record (``optim_helpers.sliders``:
``landscape_run``, ``classifier_run``, ``sgd_run``), draws it (``optim_helpers.slider_figures``)
and shows the PNG in an ``ipywidgets.Image`` above the record's one-line readout
(``readout.format_readout``, in an HTML widget of CSS class ``optim-readout``). The
factories ``lr_slider_landscape``, ``lr_slider_classifier`` and ``sgd_sliders`` return a
``SliderPanel``; setting ``panel.sliders["lr"].value = x`` shows that setting at once. A
panel keeps the frames it has shown (a ``sliders.SettingCache``), so going back costs
nothing. The learning-rate sliders move on the grid ``sliders.lr_grid`` (eight steps per
decade), and the factories take only values on it (``sliders.snap_lr``).
Importing this module changes no matplotlib setting.
"""
import math

import ipywidgets

from . import sliders as runs
from ._checks import check_int, check_rng
from .landscapes import LANDSCAPES, Landscape, get_landscape
from .readout import format_readout
from .slider_figures import ClassifierFigure, LandscapeFigure, SGDFigure

READOUT_CLASS = "optim-readout"


class SliderPanel(ipywidgets.VBox):
    """The widget a slider cell shows: controls, the figure as an image, a text readout.

    sliders: dict name -> control; show(values) -> (run record, PNG bytes) for a dict of
    control values. Attributes: sliders, image (ipywidgets.Image), readout
    (ipywidgets.HTML, CSS class "optim-readout"), run (the record shown), frames (the
    SettingCache of (run, PNG) pairs shown; cache_size of them at most, 0 for none).
    """

    def __init__(self, sliders, show, cache_size=64):
        self.sliders, self._show = dict(sliders), show
        self.frames = runs.SettingCache(cache_size)
        self.image = ipywidgets.Image(format="png")
        self.readout = ipywidgets.HTML()
        self.readout.add_class(READOUT_CLASS)
        self.run = None
        super().__init__([ipywidgets.HBox(list(self.sliders.values())), self.image, self.readout])
        for control in self.sliders.values():
            control.observe(lambda change: self.refresh(), names="value")
        self.refresh()

    def refresh(self):
        """Show the controls' current setting (from the cache if shown before); returns its record."""
        key = tuple((name, control.value) for name, control in self.sliders.items())
        frame = self.frames.get(key)
        if frame is None:
            frame = self.frames.put(key, self._show(dict(key)))
        self.run, png = frame
        self.image.value = png
        self.readout.value = format_readout(self.run)
        return self.run


def lr_slider(lr, lr_min, lr_max, description="learning rate"):
    """A log-scale FloatLogSlider over sliders.lr_grid(lr_min, lr_max), at lr (all on the grid)."""
    grid = runs.lr_grid(lr_min, lr_max)
    lr = runs.snap_lr(lr)
    if not grid[0] <= lr <= grid[-1]:
        raise ValueError(f"lr must lie in [lr_min, lr_max] = [{lr_min}, {lr_max}], got {lr}")
    return ipywidgets.FloatLogSlider(value=lr, base=10, min=math.log10(grid[0]), max=math.log10(grid[-1]),
                                     step=1 / runs.STEPS_PER_DECADE, description=description,
                                     continuous_update=False, readout_format=".3g",
                                     style={"description_width": "initial"},
                                     layout=ipywidgets.Layout(width="420px"))


def _landscape_choices(first):
    """Dropdown label -> Landscape: ``first`` first, then the other built-ins of
    landscapes.LANDSCAPES. Your own landscape named like a built-in is "name (yours)"."""
    label = first.name
    if first.name in LANDSCAPES and LANDSCAPES[first.name] is not first:
        label = f"{first.name} (yours)"
    return {label: first, **{name: ls for name, ls in LANDSCAPES.items() if ls is not first}}


def lr_slider_landscape(landscape="mountain", lr=0.1, lr_min=1e-3, lr_max=31.6, n_steps=50,
                        start=None, choose_landscape=True, dpi=None):
    """Learning-rate slider over gradient descent on a 2-D landscape.

    landscape: a Landscape (built-in or your own) or a built-in's name. Sliders {"lr":
    FloatLogSlider}, plus {"landscape": Dropdown} if choose_landscape (this landscape
    first, then the other built-ins). A setting shows
    LandscapeFigure.draw(sliders.landscape_run(landscape, lr, n_steps, start)); ``start``
    applies to this landscape, the others start from their own.
    Introduced in 03_gradient_descent.ipynb.
    """
    first = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
    choices = _landscape_choices(first)
    first_label = next(iter(choices))
    starts = {first_label: start}
    controls = {"lr": lr_slider(lr, lr_min, lr_max)}
    if choose_landscape:
        controls["landscape"] = ipywidgets.Dropdown(options=list(choices), value=first_label,
                                                    description="landscape")
    figures = {}

    def show(values):
        label = values.get("landscape", first_label)
        run = runs.landscape_run(choices[label], values["lr"], n_steps, starts.get(label))
        if label not in figures:
            figures[label] = LandscapeFigure(choices[label], n_steps, starts.get(label), dpi=dpi)
        return run, figures[label].draw(run).png()

    return SliderPanel(controls, show)


def lr_slider_classifier(X_train, y_train, X_val, y_val, reg=0.05, lr=1.0, lr_min=1e-3,
                         lr_max=100.0, n_steps=60, dpi=None):
    """Learning-rate slider over full-batch gradient descent of a softmax classifier.

    Sliders {"lr": FloatLogSlider}; a setting shows
    ClassifierFigure.draw(sliders.classifier_run(setup, lr)), setup =
    sliders.classifier_setup(X_train, y_train, X_val, y_val, reg, n_steps). Keep lr_max
    above 2 / reg so the top of the range really diverges.
    Introduced in 03_gradient_descent.ipynb.
    """
    setup = runs.classifier_setup(X_train, y_train, X_val, y_val, reg, n_steps)
    controls = {"lr": lr_slider(lr, lr_min, lr_max)}
    figure = ClassifierFigure(setup, dpi=dpi)

    def show(values):
        run = runs.classifier_run(setup, values["lr"])
        return run, figure.draw(run).png()

    return SliderPanel(controls, show)


def batch_size_slider(batch_size, n_train, batch_sizes=runs.BATCH_SIZES):
    """A SelectionSlider over the batch_sizes (ints >= 1) that fit n_train examples, at batch_size."""
    options = [b for b in (check_int("batch_sizes", b, 1) for b in batch_sizes) if b <= n_train]
    if batch_size not in options:
        raise ValueError(f"batch_size must be one of {options}, got {batch_size!r}")
    return ipywidgets.SelectionSlider(options=options, value=batch_size, description="batch size",
                                      continuous_update=False)


def sgd_sliders(X_train, y_train, X_val, y_val, reg=0.05, lr=0.316, batch_size=32, lr_min=1e-3,
                lr_max=100.0, n_steps=100, eval_every=10, *, rng, batch_sizes=runs.BATCH_SIZES,
                dpi=None):
    """A learning-rate slider and a batch-size slider over SGD beside gradient descent.

    rng: a numpy Generator (required, keyword-only): the setup takes one child stream from
    it, so the same (lr, batch_size) always shows the same curves. Sliders {"lr":
    FloatLogSlider, "batch_size": SelectionSlider}; a setting shows
    SGDFigure.draw(sliders.sgd_run(setup, lr, batch_size)), setup = sliders.sgd_setup(
    X_train, y_train, X_val, y_val, reg, n_steps, eval_every, rng=rng).
    Introduced in 04_stochastic_gradient_descent.ipynb.
    """
    setup = runs.sgd_setup(X_train, y_train, X_val, y_val, reg, n_steps, eval_every, rng=check_rng(rng))
    controls = {"lr": lr_slider(lr, lr_min, lr_max),
                "batch_size": batch_size_slider(batch_size, len(setup.y_train), batch_sizes)}
    figure = SGDFigure(setup, dpi=dpi)

    def show(values):
        run = runs.sgd_run(setup, values["lr"], values["batch_size"])
        return run, figure.draw(run).png()

    return SliderPanel(controls, show)
