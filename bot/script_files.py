"""Reading an interview script file, bounded: ``earful lint`` and ``earful chat --script``
read through here, so a device (``/dev/zero``), a pipe or a huge file is refused at once with
one line instead of being read forever."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from core.errors import InputError, ScriptError
from core.limits import MAX_SCRIPT_FILE_BYTES


def read_script_file(path: Path, limit: int = MAX_SCRIPT_FILE_BYTES) -> str:
    """The text of the script file ``path``.

    :class:`InputError` when it is not a regular file or is over ``limit`` bytes (nothing of it
    is parsed); :class:`ScriptError` when it cannot be read or is not UTF-8 text.
    """
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the checks below refuse it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise ScriptError(str(path), [f"cannot read the file ({error.strerror or error})"]) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file; a script is a YAML file")
        if info.st_size > limit:
            raise InputError(f"{path}: {info.st_size} bytes, over the {limit} bytes a script may have")
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)  # the file may have grown since fstat
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise InputError(f"{path}: over the {limit} bytes a script may have")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScriptError(str(path), ["the file is not UTF-8 text"]) from None
