"""The one-line text under every slider figure, written from an update's result dict.

Introduced in 03_gradient_descent.ipynb. The browser tests compare this text, character
for character, with what the slider shows, so its format is part of the contract.
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


def format_readout(result):
    """The one-line text shown under every slider figure, from an update's result dict.

    Format (fields in this order, those in brackets only when the dict has the key)::

        lr = {lr:.3g}[ | batch = {batch_size}] | status: {status} | final loss: {final_loss}
        [ | val acc: {val_acc:.3f}][ | steps: {n_steps}]

    joined on one line, where final_loss is printed by ``format_loss`` and
    ``steps`` appears only for landscape results (those without ``val_acc``). Example:
    ``lr = 0.0316 | status: max_steps | final loss: 0.2934 | val acc: 0.956``.
    """
    if not isinstance(result, dict):
        raise TypeError(f"result must be a dict (an update's result), got {type(result).__name__}")
    for key in ("lr", "status", "final_loss"):
        if key not in result:
            raise ValueError(f"result must have the key {key!r}, got keys {sorted(result)}")
    parts = [f"lr = {float(result['lr']):.3g}"]
    if "batch_size" in result:
        parts.append(f"batch = {int(result['batch_size'])}")
    parts.append(f"status: {result['status']}")
    parts.append(f"final loss: {format_loss(result['final_loss'])}")
    if "val_acc" in result:
        acc = float(result["val_acc"])
        parts.append("val acc: nan" if math.isnan(acc) else f"val acc: {acc:.3f}")
    elif "n_steps" in result:
        parts.append(f"steps: {int(result['n_steps'])}")
    return " | ".join(parts)
