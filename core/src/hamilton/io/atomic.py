"""Writing files atomically: readers see the old file or the new one, never half of one.

Savers write to a new temporary file in the target's folder, then rename it over the target
(``os.replace`` is atomic within one filesystem). If writing fails, the temporary file is
removed and the target is untouched; if the process dies mid-write, the target is still the
previous file (a stray ``.<name>.<random>.tmp`` may remain). ``durable=True`` also flushes the
file and the rename to the disk (``fsync``) before returning, so they survive a power loss too;
that costs about a millisecond per file on common disks, so it is not the default.

It behaves like ``open(path, "w")`` where the two could differ:

* a symlink is written through: its target is replaced and the link stays a link;
* a file without any write permission bit (``0o444``) is refused with ``PermissionError``, also
  for root (who a plain ``open`` would let through): a read-only file means "do not overwrite";
* errors name the target, not the hidden temporary file (a missing folder is a
  ``FileNotFoundError`` for the target);
* temporary files a crashed writer left next to the target (``.<name>.<pid>.<random>.tmp``) are
  removed by the next save of that target: those whose process is gone (and, where processes
  cannot be checked or the name has no pid, those over an hour old).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import time
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
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"atomic_write needs a file path (str or os.PathLike) to write to, not {path!r}.")
    # Resolve symlinks first: renaming over a link would replace the link, not the file it points to.
    target = os.path.realpath(os.fspath(path))
    folder, name = os.path.split(target)
    _refuse_read_only(target)
    _remove_stale(folder, name)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    # O_EXCL: a new file of our own; 0o666 & ~umask: the permissions a plain open() would give.
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as error:  # name the target the caller asked for, not our hidden temporary file
        raise _about_target(error, target, folder) from None
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
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise _about_target(error, target, folder) from None
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


_STALE_AFTER_SECONDS = 3600.0  # a temporary file this old is left over, whoever wrote it


def _refuse_read_only(target: str) -> None:
    """Refuse to replace a file nobody may write, as ``open(target, "w")`` would for its owner.

    ``os.access`` alone says yes to root, so the mode bits are checked too: a file without any
    write bit is read-only on purpose, and renaming over it would silently defeat that.
    """
    try:
        mode = os.stat(target).st_mode
    except OSError:  # no file yet: nothing to protect
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory: cannot save a file there", target)
    if not (mode & 0o222) or not os.access(target, os.W_OK):
        raise PermissionError(
            errno.EACCES,
            "Permission denied: the file is read-only; make it writable (chmod u+w) or save elsewhere",
            target,
        )


def _about_target(error: OSError, target: str, folder: str) -> OSError:
    """``error`` (about the temporary file or the rename) restated for ``target``, same type."""
    if isinstance(error, FileNotFoundError) and not os.path.isdir(folder):
        reason = f"No such file or directory: the folder {folder} does not exist; create it before saving"
    else:
        reason = f"{error.strerror or error} (while writing next to the target, in {folder})"
    restated = type(error)(error.errno, reason, target)
    restated.__cause__ = error
    return restated


def _remove_stale(folder: str, name: str) -> None:
    """Remove temporary files of ``name`` left by writers that died: their process is gone (or,
    without a pid to check, they are over an hour old). A live writer's file is left alone."""
    prefix, now = f".{name}.", time.time()
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            entry_name = entry.name
            if not (entry_name.startswith(prefix) and entry_name.endswith(".tmp")):
                continue
            writer, dot, _ = entry_name[len(prefix) : -len(".tmp")].partition(".")
            if dot and writer.isdigit() and os.name == "posix":
                stale = not _process_exists(int(writer))  # a live writer's file stays, however old
            else:
                try:
                    stale = now - entry.stat(follow_symlinks=False).st_mtime > _STALE_AFTER_SECONDS
                except OSError:
                    continue
            if stale:
                _remove(entry.path)


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):  # someone else's, or unknowable: keep the file
        return True
    return True


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
