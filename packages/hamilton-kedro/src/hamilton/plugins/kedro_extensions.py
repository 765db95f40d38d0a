"""The ``kedro`` plugin: a Kedro ``DataCatalog`` as a Hamilton loader and saver (format ``kedro``).

Entry point ``kedro`` in the ``hamilton.plugins`` group: Hamilton loads it when the format
``kedro`` is asked for (``from_.kedro(...)``, ``to.kedro(...)``, ``@load_from.kedro(...)``,
``@save_to.kedro(...)``). Importing it by hand (1.x's ``from hamilton.plugins import
kedro_extensions``) is harmless and gives 1.x's classes:

* :class:`KedroLoader` — ``catalog.load(dataset_name, version)``;
* :class:`KedroSaver` — ``catalog.save(dataset_name, data)``.

Both handle values of every type (whatever the dataset reads or writes). The catalog can be any
Kedro catalog (``DataCatalog``, the one of a ``KedroSession``'s context...).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Collection
from typing import Any

from hamilton.plugins import library_required, register_unless_automatic

with library_required("kedro", needed_by=__name__, extra="kedro", distribution="Kedro"):
    from kedro.io import DataCatalog
    from kedro.io.core import DatasetNotFoundError

from hamilton.io.data_adapters import DataLoader, DataSaver
from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"
COLUMN_FRIENDLY_DF_TYPE = False  # 1.x: the values are not dataframes with named columns

__all__ = ["KedroLoader", "KedroSaver", "register_data_loaders"]


def _check_catalog(owner: str, dataset_name: Any, catalog: Any) -> None:
    if not isinstance(dataset_name, str) or not dataset_name:
        raise TypeError(f"{owner}(dataset_name=...) must be a non-empty str naming a dataset; got {dataset_name!r}.")
    if not (callable(getattr(catalog, "load", None)) and callable(getattr(catalog, "save", None))):
        raise TypeError(
            f"{owner}(catalog=...) must be a Kedro DataCatalog (an object with load() and save()); "
            f"got {type(catalog).__name__}. In a Kedro project: "
            "KedroSession.create().load_context().catalog; otherwise kedro.io.DataCatalog({...})."
        )


def _catalog_names(catalog: Any) -> list[str]:
    try:
        keys = catalog.keys() if callable(getattr(catalog, "keys", None)) else catalog.list()
        return sorted(str(name) for name in keys)
    except Exception:  # a catalog-like object that cannot list its datasets
        return []


def _not_found(owner: str, dataset_name: str, catalog: Any, error: Exception) -> DatasetNotFoundError:
    """Kedro's error for an unknown dataset, saying which datasets the catalog has."""
    names = _catalog_names(catalog)
    close = difflib.get_close_matches(dataset_name, names, n=3)
    suggestion = f" Did you mean {', '.join(repr(n) for n in close)}?" if close else ""
    listed = ", ".join(repr(n) for n in names[:20]) + (", ..." if len(names) > 20 else "") if names else "none"
    return DatasetNotFoundError(
        f"{owner}: dataset {dataset_name!r} is not in the Kedro DataCatalog (its datasets: {listed}; "
        f"no dataset factory pattern matches it either).{suggestion} Add it to the catalog "
        "(catalog.yml, or DataCatalog({name: dataset})) or pass one of its names as dataset_name=."
        f" (Kedro: {error})"
    )


@dataclasses.dataclass
class KedroSaver(DataSaver):
    """Saves a value to the dataset ``dataset_name`` of a Kedro ``catalog``.

    ``to.kedro(id="save_table", dependencies=["table"], dataset_name="table", catalog=catalog)``
    """

    dataset_name: str
    catalog: DataCatalog

    def __post_init__(self) -> None:
        _check_catalog(type(self).__name__, self.dataset_name, self.catalog)

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [Any]

    @classmethod
    def name(cls) -> str:
        return "kedro"

    def save_data(self, data: Any) -> dict[str, Any]:
        try:
            self.catalog.save(self.dataset_name, data)
        except DatasetNotFoundError as error:
            raise _not_found(type(self).__name__, self.dataset_name, self.catalog, error) from error
        return {"success": True, "dataset_name": self.dataset_name}


@dataclasses.dataclass
class KedroLoader(DataLoader):
    """Loads the dataset ``dataset_name`` of a Kedro ``catalog`` (at ``version``, if given).

    ``from_.kedro(target="companies", dataset_name="companies", catalog=catalog)``
    """

    dataset_name: str
    catalog: DataCatalog
    version: str | None = None

    def __post_init__(self) -> None:
        _check_catalog(type(self).__name__, self.dataset_name, self.catalog)
        if self.version is not None and not isinstance(self.version, str):
            raise TypeError(f"KedroLoader(version=...) must be a str (a Kedro version) or None; got {self.version!r}.")

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [Any]

    @classmethod
    def name(cls) -> str:
        return "kedro"

    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        try:
            data = self.catalog.load(self.dataset_name, self.version)
        except DatasetNotFoundError as error:
            raise _not_found(type(self).__name__, self.dataset_name, self.catalog, error) from error
        return data, {"dataset_name": self.dataset_name, "version": self.version}


def register_data_loaders() -> None:
    """1.x's registration call, kept for 1.x compatibility: the plugin system registers these
    classes by itself when the format ``kedro`` is first asked for."""
    from hamilton import registry

    for adapter in (KedroSaver, KedroLoader):
        registry.register_adapter(adapter)


@hookimpl
def hamilton_materializers() -> Collection[type]:
    return [KedroLoader, KedroSaver]


# 1.x registered on import: with automatic loading off, so does a module imported by hand.
register_unless_automatic(__name__, "kedro")
