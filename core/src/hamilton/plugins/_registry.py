"""What plugins provide, collected per kind: renderers, materializers, backends, validators...

A plugin's contributions are validated as a whole before any of them is added, so a plugin
that fails validation leaves nothing behind (see :func:`collect` and :meth:`Registry.commit`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

FACTORY_KINDS = ("adapters", "executors", "result_builders")


class PluginContractError(TypeError):
    """A plugin returned something that is not what its hook promises."""


class Contribution:
    """Everything one plugin provides, validated, not yet registered."""

    def __init__(self) -> None:
        self.renderers: list[Any] = []
        self.materializers: list[type] = []
        self.fingerprinters: dict[type, Callable] = {}
        self.factories: dict[str, dict[str, Callable]] = {kind: {} for kind in FACTORY_KINDS}
        self.backends: list[Any] = []
        self.validators: list[type] = []

    def summary(self) -> dict[str, list[str]]:
        """Kind -> names provided (what ``list_plugins`` reports)."""
        provided = {
            "renderers": [r.name for r in self.renderers],
            "materializers": sorted({m.name() for m in self.materializers}),
            "fingerprinters": [t.__qualname__ for t in self.fingerprinters],
            "dataframe_backends": [b.name for b in self.backends],
            "validators": [v.__qualname__ for v in self.validators],
        }
        provided.update({kind: sorted(names) for kind, names in self.factories.items()})
        return {kind: names for kind, names in provided.items() if names}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PluginContractError(message)


def _check_renderer(renderer: Any, where: str) -> None:
    for attribute in ("name", "media_type"):
        _require(
            isinstance(getattr(renderer, attribute, None), str),
            f"{where}: renderer {renderer!r} needs a str `{attribute}`.",
        )
    _require(
        callable(getattr(renderer, "render", None)), f"{where}: renderer {renderer.name!r} needs a render() method."
    )


def _check_materializer(cls: Any, where: str) -> None:
    _require(isinstance(cls, type), f"{where}: materializers must be classes, got {cls!r}.")
    for method in ("name", "applicable_types"):
        _require(
            callable(getattr(cls, method, None)),
            f"{where}: materializer {cls.__qualname__} needs a classmethod {method}().",
        )
    loads = callable(getattr(cls, "load_data", None)) and getattr(cls, "can_load", lambda: False)()
    saves = callable(getattr(cls, "save_data", None)) and getattr(cls, "can_save", lambda: False)()
    _require(
        loads or saves, f"{where}: materializer {cls.__qualname__} neither loads (load_data) nor saves (save_data)."
    )
    _require(isinstance(cls.name(), str), f"{where}: {cls.__qualname__}.name() must return a str.")


def _check_backend(backend: Any, where: str) -> None:
    _require(
        isinstance(getattr(backend, "name", None), str), f"{where}: dataframe backend {backend!r} needs a str `name`."
    )
    types_ = getattr(backend, "dataframe_types", None)
    _require(
        isinstance(types_, tuple) and types_ and all(isinstance(t, type) for t in types_),
        f"{where}: dataframe backend {backend.name!r} needs `dataframe_types`, a non-empty tuple of classes.",
    )
    for method in ("column_names", "get_column", "fill_with_scalar", "with_columns", "select", "schema"):
        _require(
            callable(getattr(backend, method, None)), f"{where}: dataframe backend {backend.name!r} needs {method}()."
        )


def _check_validator(cls: Any, where: str) -> None:
    _require(isinstance(cls, type), f"{where}: validators must be classes, got {cls!r}.")
    for method in ("arg", "applies_to", "name", "description", "validate"):
        _require(
            callable(getattr(cls, method, None)),
            f"{where}: validator {cls.__qualname__} needs a method {method}() (see "
            "hamilton.data_quality.base.BaseDefaultValidator).",
        )
    try:
        keyword = cls.arg()
    except Exception as error:
        raise PluginContractError(
            f"{where}: validator {cls.__qualname__}.arg() must be a classmethod returning the @check_output "
            f"keyword; calling it failed with {type(error).__name__}: {error}."
        ) from error
    _require(
        isinstance(keyword, str) and keyword.isidentifier(),
        f"{where}: validator {cls.__qualname__}.arg() must return a keyword (an identifier), got {keyword!r}.",
    )
    import inspect

    try:
        inspect.signature(cls).bind(**{keyword: None, "importance": "warn"})
    except TypeError as error:
        raise PluginContractError(
            f"{where}: validator {cls.__qualname__} must be constructed as {cls.__name__}({keyword}=value, "
            f"importance=...), as @check_output({keyword}=value) does: {error}."
        ) from error
    except ValueError:  # no signature to read (a C-implemented class): trust it
        pass


def collect(results: Mapping[str, Any], where: str) -> Contribution:
    """Validate what one plugin's hooks returned (hook name -> return value)."""
    contribution = Contribution()
    for hook, value in results.items():
        if value is None:
            continue
        kind = hook.removeprefix("hamilton_")
        if kind == "renderers":
            for renderer in value:
                _check_renderer(renderer, where)
                contribution.renderers.append(renderer)
        elif kind == "materializers":
            for cls in value:
                _check_materializer(cls, where)
                contribution.materializers.append(cls)
        elif kind == "fingerprinters":
            _require(
                isinstance(value, Mapping),
                f"{where}: hamilton_fingerprinters must return a mapping of type -> function.",
            )
            for type_, function in value.items():
                _require(
                    isinstance(type_, type) and callable(function),
                    f"{where}: fingerprinter {type_!r}: {function!r} is not a class and a function.",
                )
            contribution.fingerprinters.update(value)
        elif kind in FACTORY_KINDS:
            _require(isinstance(value, Mapping), f"{where}: {hook} must return a mapping of name -> factory.")
            for name, factory in value.items():
                _require(
                    isinstance(name, str) and callable(factory),
                    f"{where}: {hook} entry {name!r} must map a str to a callable.",
                )
            contribution.factories[kind].update(value)
        elif kind == "dataframe_backends":
            for backend in value:
                _check_backend(backend, where)
                contribution.backends.append(backend)
        elif kind == "validators":
            for cls in value:
                _check_validator(cls, where)
                contribution.validators.append(cls)
    return contribution


class Registry:
    """Core's view of every registered plugin's contributions."""

    def __init__(self) -> None:
        self.renderers: dict[str, Any] = {}
        self.loaders: dict[str, list[type]] = {}
        self.savers: dict[str, list[type]] = {}
        self.factories: dict[str, dict[str, Callable]] = {kind: {} for kind in FACTORY_KINDS}
        self.backends: dict[type, Any] = {}
        self._validator_groups: list[tuple[type, ...]] = []  # one per plugin, in registration order

    def commit(self, contribution: Contribution) -> None:
        """Add a validated contribution; later registrations win on equal names."""
        for renderer in contribution.renderers:
            self.renderers[renderer.name] = renderer
        for cls in contribution.materializers:
            if getattr(cls, "can_load", lambda: False)():
                self.loaders.setdefault(cls.name(), []).append(cls)
            if getattr(cls, "can_save", lambda: False)():
                self.savers.setdefault(cls.name(), []).append(cls)
        if contribution.fingerprinters:
            from hamilton import fingerprinting

            for type_, function in contribution.fingerprinters.items():
                fingerprinting.hash_value.register(type_, function)
        for kind, factories in contribution.factories.items():
            self.factories[kind].update(factories)
        for backend in contribution.backends:
            for type_ in backend.dataframe_types:
                self.backends[type_] = backend
        if contribution.validators:
            self._validator_groups.append(tuple(contribution.validators))

    def validator_classes(self) -> list[type]:
        """Plugin-contributed validators in search order: newest plugin first, each in its own order."""
        return [cls for group in reversed(self._validator_groups) for cls in group]

    def backend_for_type(self, type_: type) -> Any | None:
        """The backend registered for ``type_`` or its nearest registered base class."""
        for candidate in type_.__mro__:
            backend = self.backends.get(candidate)
            if backend is not None:
                return backend
        return None
