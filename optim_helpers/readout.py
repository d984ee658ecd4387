"""The one-line text under every slider figure, written from a run record.

Introduced in 03_gradient_descent.ipynb. The browser tests compare this text, character
for character, with what the slider shows (live and without a kernel), so its format is
part of the contract. Imports nothing but the standard library.
"""
import math
import numbers


def format_loss(value):
    """A loss as the readout prints it: 4 decimals, scientific from 1e4, 'inf'/'nan' as such."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else "inf"
    return f"{value:.3e}" if abs(value) >= 1e4 else f"{value:.4f}"


def format_readout(run):
    """The one-line text shown under every slider figure, from a run record of
    ``optim_helpers.sliders`` (LandscapeRun, ClassifierRun or SGDRun).

    Format (fields in this order; those in brackets only when the record has them)::

        lr = {lr:.3g}[ | batch = {batch_size}] | status: {status} | final loss: {final_loss}
        [ | val acc: {val_acc:.3f}][ | steps: {n_steps}]

    joined on one line, where final_loss is printed by ``format_loss`` (a diverged run's
    is inf, so it reads "final loss: inf" on every slider) and ``steps`` appears only
    for records without ``val_acc`` (the landscapes). Example:
    ``lr = 0.0316 | status: max_steps | final loss: 0.2934 | val acc: 0.956``.
    """
    for name in ("lr", "status", "final_loss"):
        if not hasattr(run, name):
            raise TypeError(f"run must be a run record of optim_helpers.sliders (with lr, status "
                            f"and final_loss), got {type(run).__name__}")
    parts = [f"lr = {float(run.lr):.3g}"]
    if hasattr(run, "batch_size"):
        parts.append(f"batch = {int(run.batch_size)}")
    parts.append(f"status: {run.status}")
    parts.append(f"final loss: {format_loss(run.final_loss)}")
    if hasattr(run, "val_acc"):
        acc = float(run.val_acc)
        parts.append("val acc: nan" if math.isnan(acc) else f"val acc: {acc:.3f}")
    elif hasattr(run, "n_steps"):
        parts.append(f"steps: {int(run.n_steps)}")
    return " | ".join(parts)
