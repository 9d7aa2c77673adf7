"""Throwaway notebooks for the report runner's tests and its stress benchmark."""

from __future__ import annotations

from pathlib import Path

from coopanalysis import paths


def make_notebook(path: Path, last_cell: str = "1 / 0", title: str = "broken on purpose") -> Path:
    """A notebook on the project kernel: a tagged parameters cell, then ``x = 1``, *last_cell*
    (``1 / 0`` by default: it fails there) and ``y = 2``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": paths.KERNEL_NAME, "display_name": "Python (coopanalysis)",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('source = ""\noutput_dir = ""\nthai_digits = False')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}"),
        params,
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell(last_cell),
        nbformat.v4.new_code_cell("y = 2"),
    ]
    nbformat.write(nb, path)
    return path
