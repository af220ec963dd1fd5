"""One BLAS thread while forecasting in this process.

The models' matrices are tiny (a 2 × 2 Lyapunov solve in SARIMAX's initialisation, 1,344 × 3 least squares),
and a multi-threaded OpenBLAS on a busy machine spends far more time waking its threads than computing:
measured 18 ms per SARIMAX state initialisation with threads against well under 1 ms without, 20 s against
0.9 s for a small test. Environment variables only act before numpy and scipy are imported, so the OpenBLAS
libraries already loaded in the process are told directly (``openblas_set_num_threads`` through ctypes, as
threadpoolctl does). Where that is not possible (another BLAS, not Linux) nothing changes.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator
from pathlib import Path

_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
            "openblas_set_num_threads")
_GETTERS = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_",
            "openblas_get_num_threads")


def _loaded_openblas() -> list[tuple[object, object]]:
    """``(set, get)`` functions of every OpenBLAS library mapped into this process (Linux)."""
    maps = Path("/proc/self/maps")
    if not maps.is_file():
        return []
    paths = sorted({line.split()[-1] for line in maps.read_text().splitlines()
                    if "openblas" in line.lower() and line.split()[-1].startswith("/")})
    found = []
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        setter = next((getattr(library, name) for name in _SETTERS if hasattr(library, name)), None)
        getter = next((getattr(library, name) for name in _GETTERS if hasattr(library, name)), None)
        if setter is not None and getter is not None:
            found.append((setter, getter))
    return found


@contextlib.contextmanager
def single_blas_thread() -> Iterator[int]:
    """Limit every loaded OpenBLAS to one thread inside the block, and restore the previous counts after.

    Yields
    ------
    int
        How many OpenBLAS libraries were limited (0: nothing could be done).
    """
    libraries = _loaded_openblas()
    previous = []
    for setter, getter in libraries:
        previous.append(int(getter()))
        setter(1)
    try:
        yield len(libraries)
    finally:
        for (setter, _), count in zip(libraries, previous, strict=True):
            setter(count)
