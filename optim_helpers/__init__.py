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
* ``frames``      projector-sized figures off pyplot, ``ROOM_STYLE``, PNG bytes
* ``readout``     the one-line text under every slider figure
* ``views``       slider views: rerun an optimizer for one setting and redraw (matplotlib only)
* ``classifier_views`` the same for the digit classifier: full-batch GD and SGD
* ``widgets``     the thin ipywidgets layer: slider panels over the views

Importing the package has no side effects: it sets no seed and no plot style. The maths
modules (and ``readout``) import only NumPy; the modules in ``_LAZY`` (they import
matplotlib or ipywidgets) load on first use, e.g. ``from optim_helpers import plots``
or ``optim_helpers.widgets``.
"""
import importlib

from . import data, gradients, landscapes, losses, optimizers, readout, schedules, updates

# Modules that import matplotlib or ipywidgets: attribute name -> module, loaded on first use.
# A new such module is one more line here.
_LAZY = {
    "plots": ".plots",
    "frames": ".frames",
    "views": ".views",
    "classifier_views": ".classifier_views",
    "widgets": ".widgets",
}

__all__ = ["data", "gradients", "landscapes", "losses", "optimizers", "readout", "schedules",
           "updates", *_LAZY]
__version__ = "1.0.0"


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
