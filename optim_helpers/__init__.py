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
* ``widgets``     slider update functions and their ipywidgets wrappers

Importing the package has no side effects: it sets no seed and no plot style.
"""
from . import data, gradients, landscapes, losses, optimizers, plots, schedules, updates

__all__ = ["data", "gradients", "landscapes", "losses", "optimizers", "plots", "schedules",
           "updates", "widgets"]
__version__ = "1.0.0"


def __getattr__(name):
    # ``widgets`` pulls in ipywidgets; load it only when a notebook asks for it.
    if name == "widgets":
        import importlib
        return importlib.import_module(f"{__name__}.widgets")
    raise AttributeError(f"module 'optim_helpers' has no attribute {name!r}")
