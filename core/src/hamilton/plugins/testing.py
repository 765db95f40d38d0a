"""Contract tests for plugin authors: subclass, fill in a factory, run with pytest.

Each ``*Contract`` class is a pytest test class (its methods are ``test_*``) checking that a
plugin behaves as core expects. Subclass it in your test suite, name the subclass ``Test...``
and implement the ``make_*`` methods it documents::

    from hamilton.plugins.testing import RendererContract

    class TestMyRenderer(RendererContract):
        def make_renderer(self):
            return MyRenderer()

Requires pytest (a test dependency of your plugin, not of Hamilton).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from hamilton.graph_types import HamiltonGraph

# -- renderers --------------------------------------------------------------------------------


def contract_graph() -> HamiltonGraph:
    """A small graph with awkward names and docs: quotes, brackets, unicode, HTML, a namespace."""
    from hamilton.graph import Graph
    from hamilton.node import DependencyType, Node

    def source(value: int) -> int:
        return value

    nodes = [
        Node("source", int, 'Reads "raw" <data> & more', callabl=source, input_types={"value": int}),
        Node("total [€]", float, "Sum in euros — ünïcödé", callabl=lambda **kw: 0.0, input_types={"source": int}),
        Node(
            'quoted "name"',
            str,
            "<script>alert('x')</script>",
            callabl=lambda **kw: "",
            input_types={"total [€]": float, "flag": (bool, DependencyType.OPTIONAL)},
            optional_values={"flag": False},
        ),
        Node("inner", int, "", callabl=lambda **kw: 1, input_types={"source": int}, namespace=("ns",)),
    ]
    return HamiltonGraph.from_graph(Graph.from_nodes(nodes))


def _appears(text: str, name: str) -> bool:
    candidates = {name, html.escape(name), html.escape(name, quote=False), json.dumps(name)[1:-1]}
    return any(candidate in text for candidate in candidates)


class RendererContract:
    """Implement :meth:`make_renderer`. Text renderers must mention every node."""

    def make_renderer(self) -> Any:
        raise NotImplementedError("return the renderer under test")

    def node_appears(self, output: str, name: str) -> bool:
        """Whether ``name`` appears in ``output`` (override for renderers that encode names)."""
        return _appears(output, name)

    def test_declares_a_name_and_a_media_type(self) -> None:
        renderer = self.make_renderer()
        assert isinstance(renderer.name, str)
        assert renderer.name
        assert isinstance(renderer.media_type, str)
        assert "/" in renderer.media_type

    def test_returns_what_its_media_type_says(self) -> None:
        from hamilton.plugins.interfaces import returns_text

        renderer = self.make_renderer()
        output = renderer.render(contract_graph())
        assert isinstance(output, str if returns_text(renderer.media_type) else bytes)
        assert output

    def test_every_node_appears_in_text_output(self) -> None:
        from hamilton.plugins.interfaces import returns_text

        renderer = self.make_renderer()
        output = renderer.render(contract_graph())
        if returns_text(renderer.media_type):
            missing = [n.name for n in contract_graph().nodes if not self.node_appears(output, n.name)]
            assert not missing, f"nodes missing from the rendering: {missing}"

    def test_is_deterministic(self) -> None:
        renderer = self.make_renderer()
        assert renderer.render(contract_graph()) == renderer.render(contract_graph())

    def test_accepts_a_run_state(self) -> None:
        from hamilton.plugins.interfaces import NodeRunState

        state = {"source": NodeRunState("ran", duration=0.01), "total [€]": NodeRunState("failed", error="boom")}
        assert self.make_renderer().render(contract_graph(), run_state=state)

    def test_accepts_a_view(self) -> None:
        from hamilton.rendering import GraphView

        view = GraphView(outputs=frozenset({"total [€]"}), path=frozenset({"source"}), config={"region": "eu"})
        from hamilton.plugins.interfaces import returns_text

        renderer = self.make_renderer()
        output = renderer.render(contract_graph(), view=view)
        assert output
        if returns_text(renderer.media_type):
            missing = [n.name for n in contract_graph().nodes if not self.node_appears(output, n.name)]
            assert not missing, f"nodes missing from the rendering with a view: {missing}"

    def test_rejects_unknown_options(self) -> None:
        import pytest

        with pytest.raises(TypeError):
            self.make_renderer().render(contract_graph(), no_such_option_for_any_renderer=True)


# -- materializers ----------------------------------------------------------------------------


class MaterializerContract:
    """Implement :meth:`saver`, :meth:`loader` (instances writing/reading under ``path``) and
    :meth:`sample_value`."""

    def saver(self, path: Any) -> Any:
        raise NotImplementedError("return a saver instance that writes under path")

    def loader(self, path: Any) -> Any:
        raise NotImplementedError("return a loader instance that reads what saver(path) wrote")

    def sample_value(self) -> Any:
        raise NotImplementedError("return a value the saver accepts")

    def assert_equal(self, loaded: Any, original: Any) -> None:
        """How to compare a loaded value with the original (override for dataframes)."""
        assert loaded == original

    def test_saver_and_loader_share_a_format_name(self, tmp_path: Any) -> None:
        saver, loader = type(self.saver(tmp_path)), type(self.loader(tmp_path))
        assert saver.name() == loader.name()
        assert saver.can_save()
        assert loader.can_load()

    def test_the_sample_type_is_applicable(self, tmp_path: Any) -> None:
        from hamilton.htypes import custom_subclass_check

        value_type = type(self.sample_value())
        for cls in (type(self.saver(tmp_path)), type(self.loader(tmp_path))):
            assert any(custom_subclass_check(value_type, t) for t in cls.applicable_types())

    def test_save_returns_metadata(self, tmp_path: Any) -> None:
        metadata = self.saver(tmp_path).save_data(self.sample_value())
        assert isinstance(metadata, dict)

    def test_round_trip(self, tmp_path: Any) -> None:
        original = self.sample_value()
        self.saver(tmp_path).save_data(original)
        loaded, metadata = self.loader(tmp_path).load_data(type(original))
        assert isinstance(metadata, dict)
        self.assert_equal(loaded, original)

    def test_constructor_arguments_are_readable(self, tmp_path: Any) -> None:
        """``to.<name>``/``from_.<name>`` read the arguments from the constructors' signatures."""
        from hamilton.io.data_adapters import adapter_arguments

        for cls in (type(self.saver(tmp_path)), type(self.loader(tmp_path))):
            arguments = adapter_arguments(cls)
            assert all(name.isidentifier() for name in arguments.names())

    reads_files = True  # set False for loaders of non-file sources (databases, services...)

    def test_a_missing_file_raises_file_not_found(self, tmp_path: Any) -> None:
        """Loading from a path where nothing was saved raises FileNotFoundError (Hamilton then
        reports the node, the path and the format)."""
        import pytest

        if not self.reads_files:
            pytest.skip("this loader does not read files")
        with pytest.raises(FileNotFoundError):
            self.loader(tmp_path / "nothing-saved-here").load_data(type(self.sample_value()))


# -- fingerprinters ---------------------------------------------------------------------------


class FingerprinterContract:
    """Implement :meth:`make_values` (distinct values of your type) and :meth:`make_equal_pair`
    (two distinct objects that are equal). Register your plugin first (or set :attr:`plugin`)."""

    plugin: Any = None

    def make_values(self) -> list[Any]:
        raise NotImplementedError("return at least two distinct values of the type")

    def make_equal_pair(self) -> tuple[Any, Any]:
        raise NotImplementedError("return two equal but distinct objects of the type")

    def _hash(self) -> Callable[[Any], str]:
        from hamilton import fingerprinting, plugins

        if self.plugin is not None:
            plugins.register(self.plugin)  # a no-op when it is registered already
        return fingerprinting.hash_value

    def test_the_type_has_a_fingerprinter(self) -> None:
        from hamilton import fingerprinting

        hash_value = self._hash()
        value = self.make_values()[0]
        assert hash_value(value) != fingerprinting.UNHASHABLE  # may load the plugin, lazily
        implementation = hash_value.dispatch(type(value))
        assert implementation is not hash_value.dispatch(object), "no fingerprinter is registered for the type"

    def test_values_nested_in_containers_are_fingerprinted_too(self) -> None:
        from hamilton import fingerprinting

        hash_value = self._hash()
        first, second = self.make_values()[:2]
        assert hash_value([first]) != fingerprinting.UNHASHABLE
        assert hash_value({"key": first}) == hash_value({"key": first})
        assert hash_value([first]) != hash_value([second])

    def test_fingerprints_are_deterministic_strings(self) -> None:
        hash_value = self._hash()
        for value in self.make_values():
            assert isinstance(hash_value(value), str)
            assert hash_value(value) == hash_value(value)

    def test_equal_values_have_equal_fingerprints(self) -> None:
        first, second = self.make_equal_pair()
        assert first is not second
        assert self._hash()(first) == self._hash()(second)

    def test_distinct_values_have_distinct_fingerprints(self) -> None:
        values = self.make_values()
        fingerprints = {self._hash()(value) for value in values}
        assert len(fingerprints) == len(values)


def assert_fingerprints_differ(values: list[Any]) -> None:
    """Every value has a fingerprint, and no two of ``values`` share one (it names the pairs)."""
    from hamilton import fingerprinting

    fingerprints = [fingerprinting.hash_value(value) for value in values]
    assert fingerprinting.UNHASHABLE not in fingerprints, "a value has no fingerprint"
    shared = [(i, j) for i in range(len(values)) for j in range(i) if fingerprints[i] == fingerprints[j]]
    assert not shared, [(values[i], values[j]) for i, j in shared]


def assert_fingerprints_equal(*values: Any) -> None:
    """All ``values`` have one and the same fingerprint."""
    from hamilton import fingerprinting

    fingerprints = {fingerprinting.hash_value(value) for value in values}
    assert len(fingerprints) == 1, fingerprints
    assert fingerprinting.UNHASHABLE not in fingerprints


def outputs_of_fresh_processes(script: str, *arguments: str, seeds: tuple[str, ...] = ("1", "2")) -> set[str]:
    """What ``python -c script *arguments`` prints, once per ``PYTHONHASHSEED`` in ``seeds``:
    a fingerprint printed there must come out the same in every process (a set of one)."""
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in seeds:
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-c", script, *arguments]
        outputs.add(subprocess.run(command, capture_output=True, text=True, check=True, env=environment).stdout)
    return outputs


# -- executors --------------------------------------------------------------------------------


def _square(value: int) -> int:
    return value * value


def _fail(message: str) -> None:
    raise ValueError(message)


class ExecutorContract:
    """Implement :meth:`make_executor`. Tasks are module-level functions, so process-based
    executors can pickle them."""

    def make_executor(self) -> Any:
        raise NotImplementedError("return a new executor")

    def test_submit_returns_a_future_of_the_result(self) -> None:
        executor = self.make_executor()
        try:
            assert executor.submit(_square, 7).result(timeout=60) == 49
        finally:
            executor.shutdown(wait=True)

    def test_errors_travel_through_the_future(self) -> None:
        import pytest

        executor = self.make_executor()
        try:
            future = executor.submit(_fail, "boom")
            with pytest.raises(ValueError, match="boom"):
                future.result(timeout=60)
        finally:
            executor.shutdown(wait=True)

    def test_many_tasks(self) -> None:
        executor = self.make_executor()
        try:
            futures = [executor.submit(_square, value) for value in range(20)]
            assert [future.result(timeout=60) for future in futures] == [value * value for value in range(20)]
        finally:
            executor.shutdown(wait=True)


# -- result builders --------------------------------------------------------------------------


def _contract_value(x: int) -> int:
    return x + 1


def _contract_double(_contract_value: int) -> int:
    return _contract_value * 2


class ResultBuilderContract:
    """Implement :meth:`make_builder`; override :meth:`sample_outputs` for builders that need
    particular values (e.g. dataframes)."""

    def make_builder(self) -> Any:
        raise NotImplementedError("return the result builder under test")

    def sample_outputs(self) -> dict[str, Any]:
        return {"a": 1, "b": 2}

    def test_builds_a_result_from_outputs(self) -> None:
        assert self.make_builder().build_result(**self.sample_outputs()) is not None

    def test_result_has_the_declared_output_type(self) -> None:
        from hamilton.htypes import check_instance

        builder = self.make_builder()
        output_type = builder.output_type() if hasattr(builder, "output_type") else object
        assert output_type is not None
        assert check_instance(builder.build_result(**self.sample_outputs()), output_type)

    def test_shapes_a_driver_run(self) -> None:
        from hamilton import driver

        builder = self.make_builder()
        dr = driver.Builder().with_functions(_contract_value, _contract_double).with_adapters(builder).build()
        assert dr.execute(["_contract_double"], inputs={"x": 1}) is not None


# -- adapters ---------------------------------------------------------------------------------


class AdapterContract:
    """Implement :meth:`make_adapter`: a lifecycle adapter that lets a run complete."""

    def make_adapter(self) -> Any:
        raise NotImplementedError("return the adapter under test")

    def test_is_a_lifecycle_adapter(self) -> None:
        from hamilton.lifecycle.base import LifecycleAdapterSet

        assert LifecycleAdapterSet(self.make_adapter()).implemented_points(), "implements no lifecycle point"

    def test_a_run_with_the_adapter_completes(self) -> None:
        from hamilton import driver

        dr = (
            driver.Builder()
            .with_functions(_contract_value, _contract_double)
            .with_adapters(self.make_adapter())
            .build()
        )
        assert dr.execute(["_contract_double"], inputs={"x": 1})


# -- dataframe backends ----------------------------------------------------------------------


class DataFrameBackendContract:
    """Implement :meth:`make_backend` and :meth:`make_frame` (a frame with int columns ``a``
    = [1, 2, 3] and ``b`` = [4, 5, 6]); override :meth:`as_list` if columns are not iterable."""

    def make_backend(self) -> Any:
        raise NotImplementedError("return the backend under test")

    def make_frame(self) -> Any:
        raise NotImplementedError("return a frame with columns a=[1, 2, 3] and b=[4, 5, 6]")

    def as_list(self, column: Any) -> list[Any]:
        return list(column)

    def test_handles_the_frame_type(self) -> None:
        assert isinstance(self.make_frame(), self.make_backend().dataframe_types)

    def test_column_names(self) -> None:
        assert self.make_backend().column_names(self.make_frame()) == ["a", "b"]

    def test_get_column(self) -> None:
        import pytest

        backend = self.make_backend()
        assert self.as_list(backend.get_column(self.make_frame(), "b")) == [4, 5, 6]
        with pytest.raises(KeyError):
            backend.get_column(self.make_frame(), "missing")

    def test_column_type(self) -> None:
        backend = self.make_backend()
        column = backend.get_column(self.make_frame(), "a")
        expected = (
            backend.column_type_for(type(self.make_frame()))
            if hasattr(backend, "column_type_for")
            else backend.column_type
        )
        if expected is not None:
            assert isinstance(column, expected)

    def test_fill_with_scalar(self) -> None:
        backend = self.make_backend()
        frame = self.make_frame()
        filled = backend.fill_with_scalar(frame, "c", 0)
        assert self.as_list(backend.get_column(filled, "c")) == [0, 0, 0]
        assert backend.column_names(frame) == ["a", "b"], "the input frame must not change"

    def test_with_columns_adds_and_replaces(self) -> None:
        backend = self.make_backend()
        frame = self.make_frame()
        new = backend.with_columns(frame, {"b": backend.get_column(frame, "a"), "c": backend.get_column(frame, "b")})
        assert backend.column_names(new) == ["a", "b", "c"]
        assert self.as_list(backend.get_column(new, "b")) == [1, 2, 3]
        assert backend.column_names(frame) == ["a", "b"], "the input frame must not change"
        assert self.as_list(backend.get_column(frame, "b")) == [4, 5, 6]

    def test_select_keeps_the_requested_order(self) -> None:
        backend = self.make_backend()
        assert backend.column_names(backend.select(self.make_frame(), ["b"])) == ["b"]
        assert backend.column_names(backend.select(self.make_frame(), ["b", "a"])) == ["b", "a"]

    def test_schema_names_every_column(self) -> None:
        schema = self.make_backend().schema(self.make_frame())
        assert list(schema) == ["a", "b"]
        assert all(isinstance(kind, str) for kind in schema.values())


# -- validators -------------------------------------------------------------------------------


class ValidatorContract:
    """Implement :meth:`make_validator_class`, :meth:`argument` (what ``@check_output(<arg>=...)``
    passes), :meth:`valid_value` and :meth:`invalid_value`."""

    def make_validator_class(self) -> type:
        raise NotImplementedError("return the validator class under test")

    def argument(self) -> Any:
        raise NotImplementedError("return the keyword value the validator is constructed with")

    def valid_value(self) -> Any:
        raise NotImplementedError("return a value that passes")

    def invalid_value(self) -> Any:
        raise NotImplementedError("return a value that fails")

    def _validator(self, importance: str = "warn") -> Any:
        cls = self.make_validator_class()
        return cls(**{cls.arg(): self.argument()}, importance=importance)

    def test_declares_a_keyword_and_a_name(self) -> None:
        cls = self.make_validator_class()
        assert cls.arg().isidentifier()
        assert isinstance(cls.name(), str)
        assert isinstance(self._validator().description(), str)

    def test_applies_to_the_type_of_its_values(self) -> None:
        assert self.make_validator_class().applies_to(type(self.valid_value()))

    def test_passes_and_fails_with_a_message(self) -> None:
        from hamilton.data_quality.base import ValidationResult

        passed = self._validator().validate(self.valid_value())
        failed = self._validator().validate(self.invalid_value())
        assert isinstance(passed, ValidationResult)
        assert isinstance(failed, ValidationResult)
        assert passed.passes
        assert not failed.passes
        assert isinstance(failed.message, str)
        assert failed.message

    def test_check_output_selects_it_and_fails_a_run_when_asked(self) -> None:
        import pytest

        from hamilton import driver
        from hamilton.data_quality.base import DataValidationError
        from hamilton.function_modifiers import check_output

        cls, bad = self.make_validator_class(), self.invalid_value()

        def produced():
            return bad

        produced.__annotations__ = {"return": type(bad)}
        check_output(importance="fail", **{cls.arg(): self.argument()})(produced)
        dr = driver.Builder().with_functions(produced).build()
        with pytest.raises(DataValidationError):
            dr.execute(["produced"])


# -- first-party integrations -----------------------------------------------------------------

_WITHOUT_LIBRARY = """
import sys

class _Without:  # behaves as if the library were not installed
    def find_spec(self, name, path=None, target=None):
        if name == {library!r} or name.startswith({library!r} + "."):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Without())
"""

_PLAIN_DATAFLOW = """
import sys
from hamilton import driver

def base(seed: int) -> int:
    return seed + 1

def doubled(base: int) -> int:
    return base * 2

assert driver.Builder().with_functions(base, doubled).build().execute(["doubled"], inputs={"seed": 1}) == {"doubled": 4}
"""


class IntegrationContract:
    """For a distribution that brings a library's integration (``packages/hamilton-<library>``):
    set the class attributes; each check runs in a fresh interpreter.

    * ``library``: the library's import name (``"yaml"``); ``extra``: the apache-hamilton extra;
    * ``modules``: the modules the distribution ships that import the library;
    * ``entry_point``: its ``hamilton.plugins`` entry-point name, or ``None``;
      ``inactive_without_library``: whether, without the library, loading the entry point fails
      with the library's ``ModuleNotFoundError`` (the plugin is then listed ``inactive``); an entry
      point that imports nothing of the library until used is listed ``loaded`` instead.

    The library's absence is simulated by a ``sys.meta_path`` finder raising
    ``ModuleNotFoundError`` for it (``importlib.util.find_spec`` raises rather than returning
    ``None``, as it would for a library that is really not installed).
    """

    library: str
    extra: str
    modules: tuple[str, ...] = ()
    entry_point: str | None = None
    inactive_without_library: bool = True

    def _run(self, code: str) -> Any:
        import subprocess
        import sys

        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)

    def _without_library(self, code: str) -> Any:
        return self._run(_WITHOUT_LIBRARY.format(library=self.library) + code)

    def test_without_the_library_each_module_names_the_extra(self) -> None:
        for module in self.modules:
            probe = f"try:\n    import {module}\nexcept ModuleNotFoundError as error:\n    print(error.name)\n    print(error)\n"
            completed = self._without_library(probe)
            assert completed.returncode == 0, completed.stderr
            name, _, message = completed.stdout.partition("\n")
            said = f"importing {module} without {self.library} raised: {message.strip()!r}"
            assert name == self.library, said  # the plugin system then lists the plugin as "needs <library>"
            # it names the module that needs the library (a re-export names the module it imports)
            assert any(shipped in message for shipped in self.modules), said
            assert f'pip install "apache-hamilton[{self.extra}]"' in message, said

    def test_without_the_library_the_plugin_is_inactive_not_failed(self) -> None:
        if self.entry_point is None:
            return
        probe = (
            "import warnings\nfrom hamilton import plugins\n"
            "warnings.simplefilter('error')  # an inactive plugin warns about nothing\n"
            f"plugins.load({self.entry_point!r})\n"
            f"[info] = [p for p in plugins.list_plugins() if p.name == {self.entry_point!r}]\n"
            "print(info.status, info.reason)\n"
        )
        completed = self._without_library(probe)
        assert completed.returncode == 0, completed.stderr
        expected = f"inactive needs {self.library}" if self.inactive_without_library else "loaded"
        assert completed.stdout.strip().startswith(expected), completed.stdout

    def test_the_plugin_loads_through_its_entry_point(self) -> None:
        if self.entry_point is None:
            return
        probe = (
            "from hamilton import plugins\n"
            f"assert plugins.load({self.entry_point!r})\n"
            f"[info] = [p for p in plugins.list_plugins() if p.name == {self.entry_point!r}]\n"
            "print(info.status)\n"
        )
        completed = self._run(probe)
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.strip() == "loaded"

    def test_a_plain_dataflow_loads_neither_the_plugin_nor_the_library(self) -> None:
        watched = (self.library, *self.modules)
        probe = _PLAIN_DATAFLOW + (
            f"print(sorted(m for m in sys.modules if any(m == w or m.startswith(w + '.') for w in {watched!r})))\n"
        )
        completed = self._run(probe)
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.strip() == "[]"
