"""glibc malloc settings for long-lived processes that handle pages of very different sizes.

glibc raises its mmap threshold each time a large block is freed (up to 32 MB), so after one big page a process
serves the next big pages from its heap, which it cannot give back while one small object sits above them: the
RSS of an extraction worker climbs to its largest page and stays there. Fixed thresholds keep large blocks in
mmap (unmapped at free) and trim the heap's top; :func:`release_after` returns what a big page left free in the
middle of the heap. Off glibc (musl, macOS) both do nothing: the allocator keeps its own policy.
"""

from __future__ import annotations

import ctypes
from typing import Any

#: glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: The value both are pinned to: blocks from 128 KiB up are mmapped and unmapped at free; more than 128 KiB free
#: at the heap's top is returned. (glibc's defaults, minus the dynamic raising of the mmap threshold that
#: setting them explicitly turns off.)
MALLOC_THRESHOLD = 128 * 1024
#: After a page this large (bytes of HTML), :func:`release_after` trims: a page's parsed tree and text take
#: ≈ 10-30x its size, mostly in blocks under the mmap threshold; smaller pages leave nothing worth the call.
TRIM_AFTER_BYTES = 1024 * 1024

_libc: Any = None


def _glibc() -> Any:
    """The C library's malloc functions (the process's own symbols), or None off glibc."""
    global _libc
    if _libc is None:
        libc = ctypes.CDLL(None)
        _libc = libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else False
    return _libc or None


def pin_malloc_thresholds() -> bool:
    """Fix glibc's trim and mmap thresholds at :data:`MALLOC_THRESHOLD`, for this process and every process it
    forks afterwards (True when both were set)."""
    libc = _glibc()
    if libc is None:
        return False
    trim = libc.mallopt(ctypes.c_int(M_TRIM_THRESHOLD), ctypes.c_int(MALLOC_THRESHOLD))
    mmap = libc.mallopt(ctypes.c_int(M_MMAP_THRESHOLD), ctypes.c_int(MALLOC_THRESHOLD))
    return bool(trim == 1 and mmap == 1)  # mallopt returns 1 on success


def release_after(page_bytes: int) -> bool:
    """After a page of ``page_bytes`` bytes from :data:`TRIM_AFTER_BYTES` up, return the free pages of every malloc
    arena to the system (``malloc_trim(0)``, ≈ 1 ms). True if memory was returned."""
    if page_bytes < TRIM_AFTER_BYTES:
        return False
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(ctypes.c_size_t(0)))
