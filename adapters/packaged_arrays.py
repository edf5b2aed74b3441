"""The trained models' weights: numpy arrays shipped in the ``adapters`` package (no pickle)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np


def load_arrays(
    path: Path | None, packaged: str, missing: type[Exception], what: str
) -> dict[str, np.ndarray]:
    """The arrays of ``path``, or of the packaged file ``packaged`` when it is ``None``; a file
    that cannot be read raises ``missing`` naming ``what`` and the file."""
    try:
        if path is None:
            with resources.files("adapters").joinpath(packaged).open("rb") as handle:
                return dict(np.load(handle, allow_pickle=False))
        return dict(np.load(path, allow_pickle=False))
    except (OSError, ValueError, KeyError) as error:
        raise missing(f"cannot read {what} {path or packaged}: {error}") from None
