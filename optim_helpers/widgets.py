"""Sliders that move with or without a kernel: every setting drawn ahead, shown by the browser.

Introduced in 03_gradient_descent.ipynb (the learning-rate sliders) and
04_stochastic_gradient_descent.ipynb (the learning-rate and batch-size pair).

When it is made, a slider panel computes once the run of every setting its controls can
reach (``optim_helpers.sliders``: ``landscape_run``, ``classifier_run``, ``sgd_run``), draws
each (``slider_figures``) and keeps the drawings as one background picture per figure (one
per landscape in 03) plus one small SVG overlay per setting (``svg_frames.FrameLayers``).
Each setting's overlay and its one-line readout (``readout.format_readout``, in a
``<div class="optim-readout">``) form one HTML widget of CSS class ``optim-frame``. These
sit in ``ipywidgets.Stack``s whose ``selected_index`` is linked in the browser
(``ipywidgets.jslink``) to the controls' ``index``. Moving a control therefore redraws in
the page itself: live in JupyterLab, and with no kernel at all wherever the notebook's
saved widget state is drawn by the Jupyter widgets HTML manager (tested: the offline decks
and the static site).

The factories ``lr_slider_landscape``, ``lr_slider_classifier`` and ``sgd_sliders`` return a
``SliderPanel``; ``panel.sliders["lr"].value = x`` shows that setting (x may be any number
that names a grid point, see ``sliders.snap_lr``), and ``panel.run`` is its record. The
learning-rate sliders move on the grid ``sliders.lr_grid`` (eight steps per decade).
Importing this module changes no matplotlib setting.
"""
import html
import itertools
import math
import numbers
import time

import ipywidgets
import traitlets
from ipywidgets.widgets.widget_string import HTMLStyle

from . import sliders as runs
from ._checks import check_int, check_rng
from .landscapes import LANDSCAPES, Landscape, get_landscape
from .readout import format_readout
from .slider_figures import ClassifierFigure, LandscapeFigure, SGDFigure
from .svg_frames import FrameLayers

PANEL_CLASS = "optim-panel"       # the panel: controls above the figure
READOUT_CLASS = "optim-readout"
FRAME_CLASS = "optim-frame"       # a setting's HTML: its SVG overlay, then its readout
FIGURE_CLASS = "optim-figure"     # the grid that lays the frames over the background
LAYER = {"grid_area": "1 / 1 / 2 / 2", "width": "100%", "margin": "0", "align_self": "flex-start"}
FIGURE_LAYOUT = {"grid_template_columns": "100%", "width": "100%", "max_width": "1200px"}


class LearningRateSlider(ipywidgets.SelectionSlider):
    """A SelectionSlider over learning rates of sliders.lr_grid, labelled "0.316".

    Its value may be set to any number within 1 % of a grid point (0.316 -> 10 ** -0.5):
    see sliders.snap_lr.
    """

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        value = proposal.value
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"lr must be a number, got {type(value).__name__}")
        lr = runs.snap_lr(value)
        nearest = min((v for _, v in self.options), key=lambda v: abs(math.log(v / lr)))
        if abs(nearest / lr - 1) > 1e-9:
            raise ValueError(f"lr must be one of the slider's learning rates "
                             f"({self.options[0][0]} ... {self.options[-1][0]}), got {value!r}")
        return nearest


class SliderPanel(ipywidgets.VBox):
    """The widget a slider cell shows: controls, the figure of their setting, a readout.

    controls: dict name -> control with an ``index`` and ``options`` (SelectionSlider,
    Dropdown), outer first; figure_names: the leading names whose values choose the figure (the landscape), the
    others its frames. A setting is a dict name -> one value: figure_for(setting) -> the
    SliderFigure that draws it, run_for(setting) -> its run record. Every setting is run
    and drawn here, once (build_seconds says how long that took, the figures made on the
    way included).

    Attributes: sliders (the controls), runs {setting: record} and frames {setting: HTML
    widget of its SVG overlay and readout}, for every setting; setting (the current one, a
    tuple of values in the controls' order), run (its record), readout (its text), frame
    (its HTML), figure (the widget under the controls), background (the Image under it),
    shared (the HTML of the parts that several settings show, which the overlays <use>); stacks [(control name, Stack)] and links
    (their ipywidgets.Link to the control); run_for (the function given); build_seconds
    (how long running and drawing every setting took).
    """

    def __init__(self, controls, figure_for, run_for, figure_names=()):
        started = time.perf_counter()
        self.run_for = run_for
        self.sliders = dict(controls)
        self._values = {name: [o[1] if isinstance(o, tuple) else o for o in control.options]
                        for name, control in self.sliders.items()}   # the value at each position
        self._figure_names = len(figure_names)
        self._layer = ipywidgets.Layout(**LAYER)  # one Layout for every layer and Stack
        names = list(self.sliders)
        self.stacks, self.links, self.runs, layers, overlays = [], [], {}, {}, {}
        for setting in itertools.product(*(self._values[name] for name in names)):
            named = dict(zip(names, setting))
            figure = figure_for(named)
            self.runs[setting] = run = run_for(named)
            key = setting[:len(figure_names)]
            if key not in layers:      # shared parts' ids are hashes of their content
                layers[key] = FrameLayers(figure, prefix="optim")
            figure.draw(run)
            overlays[setting] = layers[key].add()
        self._layers = {key: (ipywidgets.Image(value=layer.background_png(), format="png", layout=self._layer),
                              ipywidgets.HTML(layer.shared_defs(), layout=self._layer)) for key, layer in layers.items()}

        style = HTMLStyle()             # one style and layout for every frame
        self.frames = {}

        def frame(setting):
            shown = (layers[setting[:len(figure_names)]].overlay(overlays[setting])
                     + f"<div class='{READOUT_CLASS}'>{html.escape(format_readout(self.runs[setting]))}</div>")
            self.frames[setting] = ipywidgets.HTML(shown, layout=self._layer, style=style, _dom_classes=[FRAME_CLASS])
            return self.frames[setting]

        def figure_view(key):
            background, shared = self._layers[key]
            return ipywidgets.GridBox([background, shared, self._nested(names[len(figure_names):], key, frame)],
                                      layout=ipywidgets.Layout(**FIGURE_LAYOUT), _dom_classes=[FIGURE_CLASS])

        self.figure = self._nested(list(figure_names), (), figure_view)
        super().__init__([ipywidgets.HBox(list(self.sliders.values())), self.figure],
                         _dom_classes=[PANEL_CLASS])
        for name, control in self.sliders.items():
            control.observe(lambda change: self._show(), names="index")
        self._show()
        self.build_seconds = time.perf_counter() - started

    def _nested(self, names, setting, leaf):
        """leaf(setting) for one setting; for each further name a Stack over its values,
        its selected_index linked to that control's index (in the browser and here)."""
        if not names:
            return leaf(setting)
        name, control = names[0], self.sliders[names[0]]
        children = [self._nested(names[1:], (*setting, value), leaf) for value in self._values[name]]
        stack = ipywidgets.Stack(children, selected_index=control.index, layout=self._layer)
        self.links.append(ipywidgets.jslink((control, "index"), (stack, "selected_index")))
        self.stacks.append((name, stack))
        return stack

    def _show(self):
        """Bring the Stacks here in line with the controls (the browser's links do so in a
        page; without one, e.g. under nbconvert, nothing else would)."""
        indices = {name: control.index for name, control in self.sliders.items()}
        for name, stack in self.stacks:
            if stack.selected_index != indices[name]:
                stack.selected_index = indices[name]
        self.setting = tuple(self._values[name][i] for name, i in indices.items())
        self.run = self.runs[self.setting]

    @property
    def frame(self):
        """The HTML widget shown now: the setting's SVG overlay and its readout."""
        return self.frames[self.setting]

    @property
    def readout(self):
        """The readout shown now (text): readout.format_readout(self.run)."""
        return format_readout(self.run)

    @property
    def shared(self):
        """The HTML widget of the shown figure's shared parts (an <svg> drawing nothing)."""
        return self._layers[self.setting[:self._figure_names]][1]

    @property
    def background(self):
        """The Image under the overlay shown now (the figure's parts that never change)."""
        return self._layers[self.setting[:self._figure_names]][0]


def lr_slider(lr, lr_min, lr_max, description="learning rate"):
    """A LearningRateSlider over sliders.lr_grid(lr_min, lr_max), at lr (all on the grid)."""
    grid = runs.lr_grid(lr_min, lr_max)
    lr = runs.snap_lr(lr)
    if not grid[0] * 0.999 <= lr <= grid[-1] * 1.001:
        raise ValueError(f"lr must lie in [lr_min, lr_max] = [{lr_min}, {lr_max}], got {lr}")
    slider = LearningRateSlider(options=[(f"{value:.3g}", float(value)) for value in grid],
                                description=description, continuous_update=True,
                                style={"description_width": "initial"},
                                layout=ipywidgets.Layout(width="420px"))
    slider.value = lr
    return slider


def _landscape_choices(first):
    """Dropdown label -> Landscape: ``first`` first, then the other built-ins of
    landscapes.LANDSCAPES. Your own landscape named like a built-in is "name (yours)"."""
    label = first.name
    if first.name in LANDSCAPES and LANDSCAPES[first.name] is not first:
        label = f"{first.name} (yours)"
    return {label: first, **{name: ls for name, ls in LANDSCAPES.items() if ls is not first}}


def _made_once(make):
    """make(key) on the first call with a key, the same object after: the panel makes each
    figure when its first setting is drawn (so build_seconds counts it)."""
    made = {}
    return lambda key: made[key] if key in made else made.setdefault(key, make(key))


def lr_slider_landscape(landscape="mountain", lr=0.1, lr_min=1e-3, lr_max=31.6, n_steps=50,
                        start=None, choose_landscape=True, dpi=None):
    """Learning-rate slider over gradient descent on a 2-D landscape; returns a SliderPanel.

    landscape: a Landscape (built-in or your own) or a built-in's name; start: (2,) floats,
    where this landscape's runs start (default: its own start), the others start from
    theirs. Sliders {"lr": LearningRateSlider}, plus {"landscape": Dropdown} (first) if
    choose_landscape (this landscape first, then the other built-ins). A setting shows
    LandscapeFigure.draw(sliders.landscape_run(landscape, lr, n_steps, start)).
    Introduced in 03_gradient_descent.ipynb.
    """
    first = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
    n_steps = check_int("n_steps", n_steps, 1)
    choices = _landscape_choices(first) if choose_landscape else {first.name: first}
    first_label = next(iter(choices))
    starts = {first_label: start}
    controls = {"landscape": ipywidgets.Dropdown(options=list(choices), value=first_label,
                                                 description="landscape")} if choose_landscape else {}
    controls["lr"] = lr_slider(lr, lr_min, lr_max)
    figure = _made_once(lambda label: LandscapeFigure(choices[label], n_steps, starts.get(label), dpi=dpi))

    def label(setting):
        return setting.get("landscape", first_label)

    def run_for(setting):
        return runs.landscape_run(choices[label(setting)], setting["lr"], n_steps, starts.get(label(setting)))

    return SliderPanel(controls, lambda setting: figure(label(setting)), run_for,
                       figure_names=("landscape",) if choose_landscape else ())


def lr_slider_classifier(X_train, y_train, X_val, y_val, reg=0.05, lr=1.0, lr_min=1e-3,
                         lr_max=100.0, n_steps=60, dpi=None):
    """Learning-rate slider over full-batch gradient descent of a softmax classifier;
    returns a SliderPanel.

    X_train, X_val: (N, D) floats, the bias folded in as a last column of ones; y_train,
    y_val: (N,) integer labels. Sliders {"lr": LearningRateSlider}; a setting shows
    ClassifierFigure.draw(sliders.classifier_run(setup, lr)), setup =
    sliders.classifier_setup(X_train, y_train, X_val, y_val, reg, n_steps). Keep lr_max
    above 2 / reg so that the top of the range lies past that edge; how soon a run there is
    reported diverged depends on n_steps.
    Introduced in 03_gradient_descent.ipynb.
    """
    setup = runs.classifier_setup(X_train, y_train, X_val, y_val, reg, n_steps)
    controls = {"lr": lr_slider(lr, lr_min, lr_max)}
    figure = _made_once(lambda _: ClassifierFigure(setup, dpi=dpi))
    return SliderPanel(controls, lambda setting: figure(None),
                       lambda setting: runs.classifier_run(setup, setting["lr"]))


def batch_size_slider(batch_size, n_train, batch_sizes=runs.BATCH_SIZES):
    """A SelectionSlider over the batch_sizes (ints >= 1) that fit n_train examples, at batch_size."""
    options = [b for b in (check_int("batch_sizes", b, 1) for b in batch_sizes) if b <= n_train]
    if batch_size not in options:
        raise ValueError(f"batch_size must be one of {options}, got {batch_size!r}")
    return ipywidgets.SelectionSlider(options=options, value=batch_size, description="batch size",
                                      continuous_update=True)


def sgd_sliders(X_train, y_train, X_val, y_val, reg=0.05, lr=0.316, batch_size=32, lr_min=1e-3,
                lr_max=100.0, n_steps=100, eval_every=10, *, rng, batch_sizes=runs.BATCH_SIZES,
                dpi=None):
    """A learning-rate slider and a batch-size slider over SGD beside gradient descent;
    returns a SliderPanel.

    X_train, X_val: (N, D) floats, the bias folded in as a last column of ones; y_train,
    y_val: (N,) integer labels. rng: a numpy Generator (required, keyword-only): the setup takes one child stream from
    it, so the same (lr, batch_size) always shows the same curves. Sliders {"lr":
    LearningRateSlider, "batch_size": SelectionSlider}; a setting shows
    SGDFigure.draw(sliders.sgd_run(setup, lr, batch_size)), setup = sliders.sgd_setup(
    X_train, y_train, X_val, y_val, reg, n_steps, eval_every, rng=rng).
    Introduced in 04_stochastic_gradient_descent.ipynb.
    """
    setup = runs.sgd_setup(X_train, y_train, X_val, y_val, reg, n_steps, eval_every, rng=check_rng(rng))
    controls = {"lr": lr_slider(lr, lr_min, lr_max),
                "batch_size": batch_size_slider(batch_size, len(setup.y_train), batch_sizes)}
    figure = _made_once(lambda _: SGDFigure(setup, dpi=dpi))
    return SliderPanel(controls, lambda setting: figure(None),
                       lambda setting: runs.sgd_run(setup, setting["lr"], setting["batch_size"]))
