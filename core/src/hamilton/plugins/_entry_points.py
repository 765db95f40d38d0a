"""Finding ``hamilton.plugins`` entry points quickly, without ``importlib.metadata``.

``importlib.metadata`` costs tens of milliseconds to import on a cold start and reads every
distribution's metadata. Hamilton only needs one entry-point group, so it lists each
``sys.path`` directory once, reads ``entry_points.txt`` of the distributions that have one, and
keeps the ``[hamilton.plugins]`` section. The first distribution of a given name on
``sys.path`` wins, as with ``importlib.metadata``.

Any installed distribution's metadata is read, most of them unrelated to Hamilton, so one whose
``entry_points.txt`` cannot be read (not UTF-8, no permission) is set aside as a
:class:`BrokenDistribution` for the caller to report, never raised: it must not break discovery.
"""

from __future__ import annotations

import os
import sys

GROUP = "hamilton.plugins"

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Iterable


class EntryPoint:
    """One ``name = module:attribute`` line of the ``hamilton.plugins`` group."""

    __slots__ = ("distribution", "name", "value", "version")

    def __init__(self, name: str, value: str, distribution: str, version: str):
        self.name = name
        self.value = value
        self.distribution = distribution
        self.version = version

    def load(self) -> object:
        """Import the module and return the object the entry point names."""
        import importlib

        module_name, _, attribute = self.value.partition(":")
        target: object = importlib.import_module(module_name.strip())
        for part in attribute.split("[")[0].strip().split(".") if attribute.strip() else ():
            target = getattr(target, part)
        return target

    def __repr__(self) -> str:
        return f"EntryPoint({self.name!r}, {self.value!r}, from {self.distribution} {self.version})"


def _normalize(name: str) -> str:
    return name.replace("_", "-").replace(".", "-").lower()


def _split_distribution_folder(folder: str) -> tuple[str, str]:
    """``("apache-hamilton", "2.0.0")`` from ``apache_hamilton-2.0.0.dist-info``."""
    stem = folder.rsplit(".", 1)[0]
    name, _, version = stem.partition("-")
    return _normalize(name), version


def parse_group(text: str, group: str = GROUP) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of ``group`` in an ``entry_points.txt`` (INI-like) text."""
    pairs = []
    in_group = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            in_group = line[1:-1].strip() == group
            continue
        if in_group and "=" in line:
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs


class BrokenDistribution:
    """An installed distribution whose ``entry_points.txt`` could not be read, and why."""

    __slots__ = ("distribution", "error", "path", "version")

    def __init__(self, distribution: str, version: str, path: str, error: BaseException):
        self.distribution = distribution
        self.version = version
        self.path = path
        self.error = error

    def __repr__(self) -> str:
        return f"BrokenDistribution({self.distribution!r}, {self.path!r}, {type(self.error).__name__})"


def _is_metadata_folder(entry: os.DirEntry) -> bool:
    if not entry.name.endswith((".dist-info", ".egg-info")):
        return False
    try:
        return entry.is_dir()
    except OSError:  # a dangling or unreadable entry: not a distribution we can read
        return False


def _metadata_folders(directory: str) -> Iterable[str]:
    try:
        entries = os.scandir(directory)
    except (OSError, ValueError):  # missing directory, a zip file, no permission, a NUL in the path
        return ()
    with entries:
        return sorted(e.name for e in entries if _is_metadata_folder(e))


def discover(
    paths: Iterable[str] | None = None, group: str = GROUP, broken: list[BrokenDistribution] | None = None
) -> list[EntryPoint]:
    """Every entry point of ``group`` installed on ``paths`` (default ``sys.path``).

    Distributions whose ``entry_points.txt`` cannot be read are skipped and appended to
    ``broken`` (if given), so the caller can name them once.
    """
    found: list[EntryPoint] = []
    seen_distributions: set[str] = set()
    for directory in sys.path if paths is None else paths:
        if not isinstance(directory, str):
            continue
        for folder in _metadata_folders(directory or "."):
            distribution, version = _split_distribution_folder(folder)
            if distribution in seen_distributions:
                continue
            seen_distributions.add(distribution)
            path = os.path.join(directory or ".", folder, "entry_points.txt")
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except FileNotFoundError:  # most distributions declare no entry points
                continue
            except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
                if broken is not None:
                    broken.append(BrokenDistribution(distribution, version, path, error))
                continue
            found.extend(EntryPoint(name, value, distribution, version) for name, value in parse_group(text, group))
    return found
