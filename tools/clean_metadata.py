"""Drop volatile notebook metadata that a Run All leaves behind (execution timings).

Usage: python3 tools/clean_metadata.py NOTEBOOK [...]. Outputs, execution counts and
widget state are kept: they are what nbval and GitHub read.
"""
import sys

import nbformat


def clean(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        clean(arg)
