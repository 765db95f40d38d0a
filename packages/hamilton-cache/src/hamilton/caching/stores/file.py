"""Results as files: one per data version, directly in the cache directory (1.x's layout).

**File format.** Each result file is a 32-byte header followed by the payload::

    offset  size  field
         0     4  magic b"\\x89HCR" (not text: no text file or bare pickle starts with it)
         4     2  format version, little-endian: 1
         6     2  reserved: 0
         8    16  XXH3-128 digest of the data version's UTF-8 name (length-prefixed), then the payload
        24     8  payload length in bytes, little-endian
        32     -  payload

The payload is the pickle (protocol 5) of :meth:`~hamilton.caching.stores.base.StoredResult.
save_parts` and the buffers pickle left out of it (numpy, pandas and pyarrow data)::

    u64 pickle length P, u64 buffer count K, K x u64 buffer lengths,
    the pickle (P bytes), then each buffer, starting on a 64-byte boundary of the file

Large arrays are thus written from where they lie and read back in place (the arrays of the
result are views of the bytes read, aligned), instead of being copied into and out of the
pickle: a big result costs what writing and reading its bytes costs.

Every read checks magic, version, length and digest before unpickling, so a flipped byte
anywhere, a truncated or extended file, a file of the previous format (a bare pickle) or a file
copied under another data version's name raises
:class:`~hamilton.caching.stores.base.ResultRetrievalError` naming the file; the adapter then
deletes the entry and recomputes the node. The digest covers the name because the name is what
the file vouches for: the result stored for that data version. Reading a result stays one
``open`` and one ``read``; XXH3 hashes at memory speed. With ``@cache(format=...)`` the payload
is a :class:`~hamilton.caching.stores.base.MaterializedResult`, which also checks the digest of
the ``<data version>.<format>`` file(s) before their loader runs.

**Writes** are atomic (core's :func:`~hamilton.io.atomic.atomic_write`: a temporary
``.<name>.<random>.tmp`` renamed over the target), so a crash or a concurrent run never leaves
half a result under a data version's name. Temporary files of writers that were killed are
removed when the store is opened (see :func:`_remove_abandoned_temp_files` for how a live
writer's file is told apart).

**Read-only directories.** A cache directory this process cannot write (or one that does not
exist and cannot be created) does not stop a run: the store logs one warning, :meth:`get` keeps
serving what is there, and :meth:`set`/:meth:`delete` do nothing. A write refused later
(``EACCES``/``EPERM``/``EROFS``) switches the store to the same mode, with the same warning.
"""

from __future__ import annotations

import errno
import inspect
import logging
import os
import re
import shutil
import stat
import struct
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import xxhash

from hamilton.caching.stores.base import ResultRetrievalError, ResultStore, StoredResult
from hamilton.io.atomic import atomic_write

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, which protects live writers
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

MAGIC = b"\x89HCR"
FORMAT_VERSION = 1
_HEADER = struct.Struct("<4sHH16sQ")
HEADER_SIZE = _HEADER.size  # 32
_pack_length = struct.Struct("<Q").pack

#: A temporary file not written to (mtime) for this long, and not locked, is abandoned.
TEMP_FILE_GRACE_SECONDS = 15 * 60
_TEMP_FILE_NAME = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")  # atomic_write's ".<name>.<12 hex>.tmp"
_DENIED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


# -- the result file format ------------------------------------------------------------------------
def _checksum(data_version: str, payload: bytes | memoryview) -> bytes:
    """XXH3-128 of the data version's name (length-prefixed) and the payload."""
    name = data_version.encode("utf-8", "surrogateescape")
    hasher = xxhash.xxh3_128(_pack_length(len(name)) + name)
    hasher.update(payload)
    return hasher.digest()


_ALIGNMENT = 64


def _padding(position: int) -> bytes:
    return bytes(-position % _ALIGNMENT)


def pack_result(data_version: str, pickled: bytes, buffers: Sequence[memoryview]) -> list[bytes | memoryview]:
    """The parts of the file of ``data_version``, in order: header, table, pickle, buffers."""
    table = struct.pack(f"<QQ{len(buffers)}Q", len(pickled), len(buffers), *(len(b) for b in buffers))
    parts: list[bytes | memoryview] = [table, pickled]
    position = HEADER_SIZE + len(table) + len(pickled)
    for buffer in buffers:
        padding = _padding(position)
        parts += [padding, buffer]
        position += len(padding) + len(buffer)
    name = data_version.encode("utf-8", "surrogateescape")
    hasher = xxhash.xxh3_128(_pack_length(len(name)) + name)
    for part in parts:
        hasher.update(part)
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, 0, hasher.digest(), position - HEADER_SIZE)
    return [header, *parts]


def unpack_result(raw: Any, data_version: str) -> tuple[memoryview, list[memoryview]]:
    """The pickle and the buffers of a result file's bytes, verified (views, not copies).

    Raises :class:`ResultRetrievalError` saying what is wrong with the file.
    """
    payload = unpack_payload(raw, data_version)
    try:
        pickle_length, count = struct.unpack_from("<QQ", payload)
        lengths = struct.unpack_from(f"<{count}Q", payload, 16)
    except struct.error as error:  # cannot happen once the checksum matched, unless we wrote it wrong
        raise ResultRetrievalError(f"malformed ({error})") from error
    start = 16 + 8 * count
    pickled = payload[start : start + pickle_length]
    if count and memoryview(raw).readonly:  # arrays in the result must be writable
        payload = memoryview(bytearray(payload))
    buffers = []
    position = HEADER_SIZE + start + pickle_length
    for length in lengths:
        position += -position % _ALIGNMENT
        buffers.append(payload[position - HEADER_SIZE : position - HEADER_SIZE + length])
        position += length
    if position - HEADER_SIZE != len(payload):
        raise ResultRetrievalError(f"malformed (its table describes {position - HEADER_SIZE} of {len(payload)} bytes)")
    return pickled, buffers


def unpack_payload(raw: Any, data_version: str) -> memoryview:
    """The verified payload of a result file's bytes (a view, not a copy).

    Raises :class:`ResultRetrievalError` saying what is wrong with the file.
    """
    raw = memoryview(raw)
    if raw[: len(MAGIC)] != MAGIC:
        if len(raw) < len(MAGIC) and MAGIC.startswith(raw):
            raise ResultRetrievalError(f"truncated ({len(raw)} bytes, shorter than its header)")
        raise ResultRetrievalError(
            "not in this cache's format (no header: written by an older hamilton-cache, or not by the cache at all)"
        )
    if len(raw) < HEADER_SIZE:
        raise ResultRetrievalError(f"truncated ({len(raw)} bytes, shorter than its {HEADER_SIZE}-byte header)")
    _, version, reserved, digest, length = _HEADER.unpack_from(raw)
    if version != FORMAT_VERSION or reserved != 0:
        raise ResultRetrievalError(f"in an unknown format (version {version}, flags {reserved})")
    payload = raw[HEADER_SIZE:]
    if len(payload) != length:
        problem = "truncated" if len(payload) < length else "longer than written"
        raise ResultRetrievalError(f"{problem} ({len(payload)} payload bytes where the header says {length})")
    if _checksum(data_version, payload) != digest:
        raise ResultRetrievalError(
            "damaged: checksum mismatch (changed after it was written, or not the result of this data version)"
        )
    return payload


# -- writing, and cleaning up after writers that died -------------------------------------------------
def _hold_lock(descriptor: int) -> int | None:
    """Take an exclusive ``flock`` on a new temporary file; returns a duplicate descriptor that
    keeps the lock alive after the file object closes (``None`` when locks are unavailable)."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a filesystem without locks: the age rule alone protects the file
        return None
    return os.dup(descriptor)


@contextmanager
def _locked_atomic_write(target: str) -> Iterator[IO[bytes]]:
    """``atomic_write(target, "wb")``, holding a ``flock`` on the temporary file from just after
    its creation until after the rename (``atomic_write`` closes its handle before renaming,
    hence the duplicate descriptor)."""
    keeper: int | None = None
    try:
        with atomic_write(target, "wb") as handle:
            keeper = _hold_lock(handle.fileno())
            yield handle
    finally:
        if keeper is not None:
            os.close(keeper)


def _locked_by_a_writer(descriptor: int) -> bool:
    """Whether another open file (a live writer, in this process or another) holds a ``flock``
    on the file; ``False`` when locks cannot be tested, leaving the decision to the file's age."""
    if fcntl is None:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False  # we hold it now; closing the descriptor releases it


def _remove_if_abandoned(path: str, cutoff: float) -> bool:
    """Remove the temporary file at ``path`` if no writer can still be using it (see
    :func:`_remove_abandoned_temp_files`); returns whether it was removed."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode) or opened.st_mtime > cutoff:
            return False
        if _locked_by_a_writer(descriptor):
            return False
        current = os.stat(path, follow_symlinks=False)
        if (current.st_dev, current.st_ino) != (opened.st_dev, opened.st_ino):
            return False  # renamed away and replaced meanwhile: not the file we judged
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _remove_abandoned_temp_files(directory: str, grace_seconds: float = TEMP_FILE_GRACE_SECONDS) -> list[str]:
    """Remove the ``.<name>.<12 hex>.tmp`` files (``atomic_write``'s, ours and the savers') that
    writers killed mid-write left in ``directory``; returns their paths.

    A live writer's file must never go: its rename would then fail and the result be lost. A
    temporary file is removed only when both rules say its writer is gone:

    * **not locked**: this store's writes hold an exclusive ``flock`` on their temporary file
      from creation until after the rename. The kernel drops the lock when the holder dies,
      however it dies (even ``SIGKILL``), and a ``flock`` taken through another open file
      conflicts with it in any process, including another thread of this one. So a stalled but
      live writer of this store keeps its file, however old.
    * **old**: not written to (mtime) for ``grace_seconds`` (15 minutes). Savers
      (``@cache(format=...)``) write through ``atomic_write``, which takes no lock, but a live
      writer keeps writing (each write refreshes mtime) and renames within moments of its last
      write. This rule also covers filesystems where ``flock`` is not
      supported or is per process (some network filesystems) and Windows, which besides refuses
      to delete a file another process has open.

    Worst case, a saver stalled for longer than the grace period without writing loses its
    temporary file: its rename fails and the adapter logs that the result could not be stored;
    nothing wrong is ever served. The file is checked to be the same one (device and inode)
    just before removal. Costs one directory listing; runs when a store is opened, not when an
    executor copies it.
    """
    cutoff = time.time() - grace_seconds
    removed: list[str] = []
    try:
        entries = os.scandir(directory)
    except OSError:
        return removed
    with entries:
        for entry in entries:
            if not _TEMP_FILE_NAME.fullmatch(entry.name):
                continue
            try:
                status = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            old = stat.S_ISREG(status.st_mode) and status.st_mtime <= cutoff
            if old and _remove_if_abandoned(entry.path, cutoff):
                removed.append(entry.path)
    if removed:
        logger.info("Removed %d temporary file(s) left in %s by interrupted writes.", len(removed), directory)
    return removed


_FIRST_READ = 1 << 16


def _new_buffer(size: int) -> Any:
    """Writable memory for a large result. A ``bytearray`` is zeroed before it is filled, a
    second pass over the memory; numpy's ``empty`` is not, and a large result holding arrays has
    imported numpy already (it is never imported here)."""
    numpy = sys.modules.get("numpy")
    return bytearray(size) if numpy is None else numpy.empty(size, dtype=numpy.uint8)


def _read_whole(path: str) -> Any:
    """A file's bytes. Small results (most of them) take one ``read`` of a raw descriptor: half
    the cost of a buffered ``open().read()``, which matters when a cached run reads thousands.
    Large ones are read into one writable ``bytearray``, which their arrays then live in."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        first = os.read(descriptor, _FIRST_READ)
        if len(first) < _FIRST_READ:
            return first
        content = _new_buffer(os.fstat(descriptor).st_size)
        view = memoryview(content).cast("B")
        view[: len(first)] = first
        filled = len(first)
        while filled < len(content):
            count = os.readv(descriptor, [view[filled:]])
            if not count:
                raise ResultRetrievalError(f"Cached result file {path} is truncated while read; it will be recomputed.")
            filled += count
        if os.read(descriptor, 1):
            raise ResultRetrievalError(f"Cached result file {path} grew while read; it will be recomputed.")
        return content
    finally:
        os.close(descriptor)


def _remove_tree_or_file(path: str) -> None:
    """Remove a file, or a directory (a format written as a folder, or a damaged entry)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    except OSError:
        if not os.path.isdir(path) or os.path.islink(path):
            raise
        shutil.rmtree(path)


def _with_path(cls: type, path: Path, role: str) -> Any:
    """Instantiate a saver/loader class on ``path`` (its parameter is ``file`` or ``path``)."""
    parameters = inspect.signature(cls).parameters
    for name in ("file", "path"):
        if name in parameters:
            return cls(**{name: str(path.absolute())})
    raise ValueError(f"{role} [{cls.name()}] must have either `file` or `path` as an argument.")


def _denied(error: OSError) -> bool:
    """Whether ``error`` means "this directory cannot be written" (permissions, read-only mount)."""
    return error.errno in _DENIED


class FileResultStore(ResultStore):
    """Pickled results in ``path``; with a saver/loader pair, the data in ``<version>.<format>``.

    Opening the store removes temporary files abandoned by killed writers. A directory that
    cannot be written makes the store read-only (one warning): :meth:`get` works,
    :meth:`set`/:meth:`delete` do nothing.
    """

    def __init__(self, path: str, create_dir: bool = True) -> None:
        self._open(path, create_dir, announce=True)

    def __getstate__(self) -> dict:
        """The constructor's arguments: executors re-create the store in their thread/process."""
        return {"path": str(self.path), "create_dir": self.create_dir}

    def __setstate__(self, state: dict) -> None:
        """A copy for an executor: the original already warned and swept temporary files."""
        self._open(state["path"], state["create_dir"], announce=False)

    def _open(self, path: str | Path, create_dir: bool, announce: bool) -> None:
        self.path = Path(path)
        self._directory = str(self.path)  # plain strings on the per-node path: pathlib is slower
        self.create_dir = create_dir
        self._read_only = False
        problem = self._why_unwritable()
        if problem is not None:
            self._become_read_only(problem, announce)
        elif announce:
            _remove_abandoned_temp_files(self._directory)

    def _why_unwritable(self) -> str | None:
        """Why results cannot be stored in the directory, or ``None`` when they can."""
        if self.create_dir:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                if not _denied(error):
                    raise
                return f"does not exist and cannot be created ({error}): results are neither read from nor stored in it"
        elif not os.path.isdir(self._directory):
            return None  # created by the first set(), as before
        if not os.access(self._directory, os.W_OK | os.X_OK):
            return "is read-only: cached results are read from it, new results are not stored"
        return None

    def _become_read_only(self, problem: str, announce: bool = True) -> None:
        """Stop writing (set/delete become no-ops), with one warning."""
        if self._read_only:
            return
        self._read_only = True
        if announce:
            logger.warning("The cache directory %s %s.", self._directory, problem)

    @property
    def read_only(self) -> bool:
        """Whether this store can only read (the directory is not writable)."""
        return self._read_only

    def _path_from_data_version(self, data_version: str) -> Path:
        return self.path / data_version

    def _materialized_path(self, data_version: str, saver_cls: Any) -> Path:
        """Where a saver writes the data of ``data_version`` (the format as file extension)."""
        return self._path_from_data_version(data_version).with_suffix(f".{saver_cls.name()}")

    def exists(self, data_version: str) -> bool:
        return os.path.exists(os.path.join(self._directory, data_version))

    def set(self, data_version: str, result: Any, saver_cls: Any = None, loader_cls: Any = None, **kwargs: Any) -> None:
        """Store ``result``; with ``saver_cls``/``loader_cls``, through that format. Does nothing
        when the store is read-only."""
        if (saver_cls is None) != (loader_cls is None):
            raise ValueError(
                "Must pass both `saver` and `loader` or neither. Currently received: "
                f"`saver`: `{saver_cls}`; `loader`: `{loader_cls}`"
            )
        if self._read_only:
            return
        try:
            self._write(data_version, result, saver_cls, loader_cls)
        except OSError as error:
            if not _denied(error):
                raise
            self._become_read_only(f"cannot be written ({error}): new results are not stored")

    def _write(self, data_version: str, result: Any, saver_cls: Any, loader_cls: Any) -> None:
        saver = loader = None
        if saver_cls is not None:
            materialized = self._materialized_path(data_version, saver_cls)
            saver = _with_path(saver_cls, materialized, "Saver")
            loader = _with_path(loader_cls, materialized, "Loader")
        self.path.mkdir(parents=True, exist_ok=True)
        pickled, buffers = StoredResult.new(value=result, saver=saver, loader=loader).save_parts()
        parts = pack_result(data_version, pickled, buffers)
        with _locked_atomic_write(os.path.join(self._directory, data_version)) as handle:
            for part in parts:
                handle.write(part)

    def _load(self, path: str, data_version: str) -> StoredResult | None:
        """The verified result in ``path`` (``None`` if there is no file); one open, one read."""
        try:
            raw = _read_whole(path)
        except FileNotFoundError:
            return None
        except OSError as error:  # a directory, no permission, an I/O error
            raise ResultRetrievalError(
                f"Cached result file {path} cannot be read ({error}); it will be recomputed."
            ) from error
        try:
            return StoredResult.load(*unpack_result(raw, data_version))
        except ResultRetrievalError as error:
            raise ResultRetrievalError(f"Cached result file {path} is {error}; it will be recomputed.") from error

    def lookup(self, data_version: str) -> StoredResult | None:
        """The verified entry of ``data_version``, or ``None`` when there is none: one ``open``
        and one ``read``, where ``exists()`` then ``get()`` would cost a ``stat`` more (and could
        not tell a stored ``None`` from a missing result)."""
        return self._load(os.path.join(self._directory, data_version), data_version)

    def get(self, data_version: str, **kwargs: Any) -> Any | None:
        """The stored result, ``None`` if there is no file; raises ResultRetrievalError if the file
        fails verification or cannot be read."""
        stored = self.lookup(data_version)
        return None if stored is None else stored.value

    def delete(self, data_version: str) -> None:
        """Remove the result file (or whatever is at its path) and its format files; nothing when
        read-only."""
        if self._read_only:
            return
        try:
            _remove_tree_or_file(os.path.join(self._directory, data_version))
            for materialized in self.path.glob(f"{data_version}.*"):
                _remove_tree_or_file(str(materialized))
        except OSError as error:
            if not _denied(error):
                raise
            self._become_read_only(f"cannot be written ({error}): damaged results cannot be removed")

    def delete_all(self) -> None:
        """Remove the directory with everything in it (metadata database included), then re-create
        it; nothing when read-only."""
        if self._read_only:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)

    def delete_expired(self) -> None:
        """Remove results whose expiry has passed (files with an extension belong to formats or the
        metadata database and are left alone); nothing when read-only."""
        if self._read_only:
            return
        for path in self.path.iterdir():
            if not path.is_file() or path.suffix or path.name.startswith("."):
                continue
            try:
                stored = self._load(str(path), path.name)
            except ResultRetrievalError:
                continue
            if stored is not None and stored.expired:
                self.delete(path.name)
