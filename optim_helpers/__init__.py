"""optim_helpers: the helper package of the lecture series "Optimization for deep learning".

Modules, one concept family each:

* ``data``        the shipped digits, 2-D toy sets, CIFAR-10's binary files
* ``losses``      SVM and softmax losses, their gradients, predict, accuracy
* ``gradients``   numerical gradients, relative error, gradient checks
* ``optimizers``  random search, random local search, gradient descent, SGD
* ``updates``     update rules (vanilla, momentum, Adam) behind one contract
* ``schedules``   learning-rate schedules
* ``landscapes``  2-D loss landscapes with exact gradients
* ``plots``       figures; every helper takes ``ax=None`` and returns the Axes
* ``safe_metrics``  loss and accuracy that tolerate weights that blew up (NaN / inf)
* ``sliders``     what each slider computes for one setting: pure run functions, records
* ``readout``     the one-line text under every slider figure, from a run record
* ``frames``      projector-sized figures off pyplot, ``ROOM_STYLE``, ticks, PNG bytes
* ``slider_figures`` the drawing of a run record (matplotlib only)
* ``svg_frames``  a slider figure as one background PNG plus a small SVG per setting
* ``widgets``     the slider panels: every setting run and drawn once, moved in the browser

Importing the package has no side effects: it sets no seed and no plot style. The maths
modules (and ``sliders``, ``readout``) import only NumPy and threadpoolctl; the modules in
``_LAZY`` (they import matplotlib or ipywidgets) load on first use, e.g.
``from optim_helpers import plots`` or ``optim_helpers.widgets``.
"""
import importlib

from . import (data, gradients, landscapes, losses, optimizers, readout, safe_metrics, schedules, sliders,
               updates)

# Modules that import matplotlib or ipywidgets: attribute name -> module, loaded on first use.
# A new such module is one more line here.
_LAZY = {
    "plots": ".plots",
    "frames": ".frames",
    "slider_figures": ".slider_figures",
    "svg_frames": ".svg_frames",
    "widgets": ".widgets",
}

__all__ = ["data", "gradients", "landscapes", "losses", "optimizers", "readout", "safe_metrics",
           "schedules", "sliders", "updates", *_LAZY]
__version__ = "1.0.0"


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
