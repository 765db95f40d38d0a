"""Writing files atomically: readers see the old file or the new one, never half of one.

Savers write to a new temporary file in the target's folder, then rename it over the target
(``os.replace`` is atomic within one filesystem). If writing fails, the temporary file is
removed and the target is untouched; if the process dies mid-write, the target is still the
previous file (a stray ``.<name>.<random>.tmp`` may remain). ``durable=True`` also flushes the
file and the rename to the disk (``fsync``) before returning, so they survive a power loss too;
that costs about a millisecond per file on common disks, so it is not the default.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any


@contextmanager
def atomic_write(
    path: str | os.PathLike[str], mode: str = "w", *, durable: bool = False, **open_kwargs: Any
) -> Iterator[IO[Any]]:
    """Open a temporary file for writing that replaces ``path`` when the block succeeds.

    ``mode`` is ``"w"`` (text; ``encoding``, ``newline`` and ``errors`` go through
    ``open_kwargs``) or ``"wb"``. The new file keeps the permissions of the file it replaces
    (or gets the usual ones, from the umask, if there was none)::

        with atomic_write(path, encoding="utf-8") as handle:
            json.dump(data, handle)
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write writes whole files: mode must be 'w' or 'wb', not {mode!r}.")
    target = os.path.abspath(os.fspath(path))
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    # O_EXCL: a new file of our own; 0o666 & ~umask: the permissions a plain open() would give.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        handle = open(descriptor, mode, **open_kwargs)  # noqa: SIM115 (closed just below)
    except BaseException:
        os.close(descriptor)
        _remove(temporary)
        raise
    try:
        with handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        _copy_permissions(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        _remove(temporary)
        raise
    if durable:
        _sync_folder(folder)


def write_atomically(
    path: str | os.PathLike[str], content: str | bytes, encoding: str = "utf-8", *, durable: bool = False
) -> None:
    """Replace the file at ``path`` with ``content`` atomically (see :func:`atomic_write`)."""
    if isinstance(content, bytes):
        with atomic_write(path, "wb", durable=durable) as handle:
            handle.write(content)
    else:
        with atomic_write(path, "w", durable=durable, encoding=encoding) as handle:
            handle.write(content)


def _copy_permissions(source: str, destination: str) -> None:
    try:
        mode = os.stat(source).st_mode
    except OSError:  # no previous file
        return
    os.chmod(destination, mode & 0o7777)


def _remove(path: str) -> None:
    with suppress(OSError):
        os.remove(path)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
