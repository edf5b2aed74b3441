"""One way to run an in-memory ONNX graph on the CPU, for both embedders."""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import onnxruntime  # type: ignore[import-untyped]  # onnxruntime ships no type information


def cpu_session(model: bytes, threads: int) -> onnxruntime.InferenceSession:
    """An onnxruntime session for ``model`` with ``threads`` intra-op threads, holding no copy of
    the serialised model once built."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle worker threads would otherwise busy-spin between calls, stealing a core from the
    # other model, Chroma and the event loop on a small machine.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    # onnxruntime keeps the serialised model (85-90 MB for these models; its own comment calls
    # this "bad") only to rebuild the session for a fallback provider, which the CPU provider
    # never needs.
    if hasattr(session, "_model_bytes"):
        session._model_bytes = None
    return session


def return_freed_memory() -> None:
    """Give the heap a graph build freed back to the system (glibc only; elsewhere a no-op).

    Building a graph allocates and frees hundreds of MB of weight copies; glibc keeps much of it
    mapped for reuse, which showed as ~60 MB more resident memory for the process's lifetime.
    """
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass
