"""The shipped data files, installed as ``optim_helpers._data`` (see README.md here).

This folder is a package only so that every install of optim_helpers carries
digits.npz and digits_order.npy (the fixed split); ``optim_helpers.data.load_digits``
reads them with importlib.resources.
"""
