"""The shipped data files, installed as ``optim_helpers._data`` (see README.md here).

This folder is a package only so that every install of optim_helpers carries
digits.npz; ``optim_helpers.data.load_digits`` reads it with importlib.resources.
"""
