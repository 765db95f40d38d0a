"""Core's formats, the authoring contract, type-based selection and the load errors (Hamilton 2)."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import driver, errors, plugins, registry
from hamilton.function_modifiers import load_from, save_to, source, value
from hamilton.io import default_data_loaders as core_formats
from hamilton.io import formats
from hamilton.io.data_adapters import DataLoader, DataSaver, adapter_arguments
from hamilton.io.materialization import from_, to
from hamilton.plugins.testing import MaterializerContract


def unique(prefix: str) -> str:
    """A format name no other test uses (registrations are process-wide)."""
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def build(*functions: Any) -> driver.Driver:
    return driver.Builder().with_functions(*functions).build()


# -- round trips of every core format, through materialize ---------------------------------------


def make_dict(x: int) -> dict:
    return {"x": x, "items": [x, x + 1]}


def make_list(x: int) -> list:
    return [x, {"nested": True}]


def make_text(x: int) -> str:
    return f"line {x}\nünïcode"


def make_bytes(x: int) -> bytes:
    return bytes([x, 0, 255])


def make_object(x: int) -> set:
    return {x, x * 2}


ROUND_TRIPS = [
    ("json", make_dict),
    ("json", make_list),
    ("file", make_text),
    ("file", make_bytes),
    ("pickle", make_object),
]


@pytest.mark.parametrize(("format_name", "producer"), ROUND_TRIPS, ids=lambda p: getattr(p, "__name__", p))
def test_every_core_file_format_round_trips_through_materialize(tmp_path, format_name, producer):
    """to.<format> writes the value; from_.<format> reads the same value back into the graph."""
    path = tmp_path / f"out.{format_name}"
    name = producer.__name__
    dr = build(producer)
    saved, _ = dr.materialize(
        getattr(to, format_name)(id="saved", dependencies=[name], path=str(path)), inputs={"x": 3}
    )
    assert saved["saved"]["file_metadata"]["path"] == str(path)
    assert saved["saved"]["file_metadata"]["size"] == path.stat().st_size
    _, loaded = dr.materialize(getattr(from_, format_name)(target=name, path=str(path)), additional_vars=[name])
    assert loaded[name] == producer(3)


@pytest.mark.parametrize(("format_name", "producer"), ROUND_TRIPS, ids=lambda p: getattr(p, "__name__", p))
def test_every_core_file_format_round_trips_through_the_decorators(tmp_path, format_name, producer):
    """@save_to.<format> saves the function's result; @load_from.<format> feeds a parameter from it."""
    path = str(tmp_path / f"out.{format_name}")
    value_type = producer.__annotations__["return"]
    saving = getattr(save_to, format_name)(path=value(path))(producer)

    def reader(data: Any) -> Any:
        return data

    reader.__annotations__ = {"data": value_type, "return": value_type}
    reading = getattr(load_from, format_name)(path=source("where"))(reader)
    dr = build(saving, reading)
    dr.execute([f"save.{producer.__name__}"], inputs={"x": 4})
    assert dr.execute(["reader"], inputs={"where": path})["reader"] == producer(4)


def test_environment_and_literal_loaders(monkeypatch):
    """environment reads the named variables into a dict; literal injects its value."""
    monkeypatch.setenv("HAMILTON_TEST_TOKEN", "s3cret")

    @load_from.environment(names=("HAMILTON_TEST_TOKEN",))
    def settings_(env: dict) -> dict:
        return env

    @load_from.literal(value=41)
    def answer(raw: int) -> int:
        return raw + 1

    assert build(settings_, answer).execute(["settings_", "answer"]) == {
        "settings_": {"HAMILTON_TEST_TOKEN": "s3cret"},
        "answer": 42,
    }


def test_memory_saver_returns_the_value_itself():
    """to.memory's "metadata" is the value: materialize hands results back without a file."""
    saved, _ = build(make_dict).materialize(to.memory(id="kept", dependencies=["make_dict"]), inputs={"x": 1})
    assert saved == {"kept": make_dict(1)}


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
        max_leaves=20,
    ).filter(lambda v: isinstance(v, (dict, list)))
)
def test_json_round_trips_any_json_document(tmp_path_factory, document):
    """Whatever JSON document a node returns, saving then loading it gives it back unchanged."""
    path = tmp_path_factory.mktemp("json") / "doc.json"
    from hamilton.io.default_data_loaders import JSONDataLoader, JSONDataSaver

    JSONDataSaver(path=str(path)).save_data(document)
    loaded, metadata = JSONDataLoader(path=str(path)).load_data(type(document))
    assert loaded == document
    assert metadata["file_metadata"]["size"] == path.stat().st_size


# -- the authoring contract: plain classes, signature introspection ---------------------------------


class Greeting:
    """A loader that is a plain class: no dataclass, no base class, **kwargs accepted."""

    def __init__(self, who: str, punctuation: str = "!", **style: Any):
        self.who = who
        self.punctuation = punctuation
        self.style = style

    @classmethod
    def name(cls) -> str:
        return cls.format_name

    @classmethod
    def applicable_types(cls) -> list[type]:
        return [str]

    @classmethod
    def can_load(cls) -> bool:
        return True

    def load_data(self, type_: type) -> tuple[str, dict[str, Any]]:
        text = f"hello {self.who}{self.punctuation}"
        if self.style.get("upper"):
            text = text.upper()
        return text, {"style": dict(self.style)}


def test_a_plain_class_with_kwargs_registered_at_runtime_works_through_from_():
    """Constructor arguments are read from the signature; **kwargs lets any extra keyword through."""
    Greeting.format_name = unique("greeting")
    registry.register_adapter(Greeting)

    def message(text: str) -> str:
        return text

    extractor = getattr(from_, Greeting.format_name)(target="text", who=source("person"), upper=True)
    _, results = build(message).materialize(
        extractor, additional_vars=["message", "load_data.text"], inputs={"person": "ada"}
    )
    assert results["message"] == "HELLO ADA!"
    assert results["load_data.text"][1] == {"style": {"upper": True}}


def test_the_generated_signature_lists_the_constructor_arguments():
    """from_.<name> and to.<name> show each argument as keyword-only (default None), plus **kwargs."""
    import inspect

    Greeting.format_name = unique("greeting")
    registry.register_adapter(Greeting)
    signature = inspect.signature(getattr(from_, Greeting.format_name))
    assert list(signature.parameters) == ["target", "who", "punctuation", "kwargs"]
    assert signature.parameters["who"].kind is inspect.Parameter.KEYWORD_ONLY


def test_arguments_are_read_from_the_constructor():
    """Required = no default, optional = default, accepts_any = **kwargs; *args is ignored."""

    class Saver(DataSaver):
        def __init__(self, path: str, *parts: str, mode: int = 1, **rest: Any):
            self.path = path

        @classmethod
        def applicable_types(cls) -> list[type]:
            return [str]

        @classmethod
        def name(cls) -> str:
            return "unused"

        def save_data(self, data: str) -> dict[str, Any]:
            return {}

    arguments = adapter_arguments(Saver)
    assert arguments.required == {"path": str}
    assert arguments.optional == {"mode": int}
    assert arguments.accepts_any
    assert Saver.get_required_arguments() == {"path": str}
    assert Saver.get_optional_arguments() == {"mode": int}


def test_missing_required_arguments_are_reported_at_decoration():
    """A required constructor argument left out fails when the decorator is applied, naming it."""
    Greeting.format_name = unique("greeting")
    registry.register_adapter(Greeting)
    from hamilton.function_modifiers.base import InvalidDecoratorException

    with pytest.raises(InvalidDecoratorException, match=r"Missing required parameters .* \{'who'\}"):

        @getattr(load_from, Greeting.format_name)(punctuation="?")
        def message(text: str) -> str:
            return text


# -- selection by type ------------------------------------------------------------------------------


def _class(kind: str, name: str, types: list, label: str) -> type:
    base_class = DataLoader if kind == "loader" else DataSaver

    class Adapter(base_class):
        def __init__(self, path: str = ""):
            self.path = path

        @classmethod
        def applicable_types(cls) -> list:
            return types

        @classmethod
        def name(cls) -> str:
            return name

        def load_data(self, type_: type) -> tuple[Any, dict]:
            return label, {}

        def save_data(self, data: Any) -> dict:
            return {"by": label}

    Adapter.__qualname__ = label
    return Adapter


def test_the_newest_class_fitting_the_type_wins_and_any_is_a_fallback():
    """Among classes of one format: newest fitting class first; a class declaring Any only if none fits."""
    name = unique("multi")
    fallback = _class("saver", name, [Any], "fallback")
    for_str = _class("saver", name, [str], "for_str")
    for_str_newer = _class("saver", name, [str], "for_str_newer")
    for_int = _class("saver", name, [int], "for_int")
    for cls in (fallback, for_str, for_str_newer, for_int):
        registry.register_adapter(cls)
    assert formats.select("saver", name, str) is for_str_newer
    assert formats.select("saver", name, int) is for_int
    assert formats.select("saver", name, bytes) is fallback


class Box:
    """A type of a plugin's own (defined at module level: annotations here are strings)."""

    def __init__(self, content: str):
        self.content = content


def test_a_plugin_can_serve_a_core_format_name_for_its_own_type(tmp_path):
    """A second 'json' class for another type is chosen for that type; core's stays for dicts."""

    class BoxJsonSaver(DataSaver):
        def __init__(self, path: str):
            self.path = path

        @classmethod
        def applicable_types(cls) -> list[type]:
            return [Box]

        @classmethod
        def name(cls) -> str:
            return "json"

        def save_data(self, data: Box) -> dict[str, Any]:
            Path(self.path).write_text(json.dumps({"box": data.content}))
            return {"boxed": True}

    class Plugin:
        @plugins.hookimpl
        def hamilton_materializers(self):
            return [BoxJsonSaver]

    plugins.register(Plugin(), name=unique("box-plugin"))

    def box() -> Box:
        return Box("c")

    saved, _ = build(box, make_dict).materialize(
        to.json(id="box_out", dependencies=["box"], path=str(tmp_path / "box.json")),
        to.json(id="dict_out", dependencies=["make_dict"], path=str(tmp_path / "dict.json")),
        inputs={"x": 1},
    )
    assert saved["box_out"] == {"boxed": True}
    assert json.loads((tmp_path / "box.json").read_text()) == {"box": "c"}
    assert json.loads((tmp_path / "dict.json").read_text()) == make_dict(1)


def test_a_type_no_class_serves_is_refused_when_the_graph_is_built():
    """to.json of an int node fails naming the type and the node."""
    from hamilton.function_modifiers.base import InvalidDecoratorException

    def number() -> int:
        return 1

    with pytest.raises(InvalidDecoratorException, match=r"No saver class found for type: <class 'int'>.* number"):
        build(number).materialize(to.json(id="out", dependencies=["number"], path="unused.json"))


# -- errors naming the node, the path and the format ------------------------------------------------


def settings_node(raw: dict) -> dict:
    return raw


def test_a_missing_file_names_node_path_and_format_and_is_a_file_not_found_error(tmp_path):
    """The error is both Hamilton's DataLoadError and the FileNotFoundError 1.x let through."""
    missing = tmp_path / "nowhere.json"
    with pytest.raises(errors.DataSourceNotFoundError) as caught:
        build(settings_node).materialize(from_.json(target="raw", path=str(missing)), additional_vars=["settings_node"])
    message = str(caught.value)
    assert "load_data.raw" in message
    assert str(missing) in message
    assert "'json'" in message
    assert isinstance(caught.value, FileNotFoundError)
    assert caught.value.node_name == "load_data.raw"
    assert caught.value.format_name == "json"


@pytest.mark.parametrize(
    ("format_name", "content"),
    [("json", b'{"truncated": '), ("pickle", b"\x80\x04 not a pickle")],
)
def test_a_corrupt_file_names_node_path_and_format(tmp_path, format_name, content):
    """A file that does not parse raises DataLoadError with the parser's message and the file's path."""
    path = tmp_path / f"broken.{format_name}"
    path.write_bytes(content)
    loader = getattr(load_from, format_name)(path=str(path))

    def consumer(raw: dict) -> dict:
        return raw

    with pytest.raises(errors.DataLoadError) as caught:
        build(loader(consumer)).execute(["consumer"])
    message = str(caught.value)
    assert "consumer.load_data.raw" in message
    assert str(path) in message
    assert repr(format_name) in message
    assert "consumer" in message
    assert "test_formats.py" in message
    assert caught.value.__cause__ is not None


def test_an_unset_environment_variable_is_a_load_error_naming_it(monkeypatch):
    """environment's missing variable is reported with the variable's name and the node."""
    monkeypatch.delenv("HAMILTON_SURELY_UNSET", raising=False)

    @load_from.environment(names=("HAMILTON_SURELY_UNSET",))
    def env(raw: dict) -> dict:
        return raw

    with pytest.raises(errors.DataLoadError, match=r"env\.load_data\.raw.*HAMILTON_SURELY_UNSET"):
        build(env).execute(["env"])


def test_a_failing_saver_keeps_its_error_type_and_names_node_and_path(tmp_path):
    """A value json cannot encode raises json's TypeError, with a note naming the node and the path."""

    def unencodable() -> dict:
        return {"when": object()}

    path = tmp_path / "out.json"
    with pytest.raises(TypeError) as caught:
        build(unencodable).materialize(to.json(id="out", dependencies=["unencodable"], path=str(path)))
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    assert "'out'" in notes
    assert str(path) in notes
    assert not path.exists()


# -- atomic saves -------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("format_name", ["json", "pickle"])
def test_a_save_failing_midway_leaves_the_previous_file_intact(tmp_path, format_name):
    """Serialization fails after part of the output is written: old file unchanged, no temp file left."""
    path = tmp_path / f"data.{format_name}"
    dr = build(make_dict)
    dr.materialize(getattr(to, format_name)(id="out", dependencies=["make_dict"], path=str(path)), inputs={"x": 1})
    before = path.read_bytes()

    class Exploding:
        def __reduce__(self):
            raise RuntimeError("boom while writing")

    def half_written() -> dict:
        # json and pickle write the first entries before reaching the bad one
        return {"first": "x" * 100_000, "bad": Exploding() if format_name == "pickle" else object()}

    with pytest.raises((TypeError, RuntimeError)):
        build(half_written).materialize(
            getattr(to, format_name)(id="out", dependencies=["half_written"], path=str(path))
        )
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_process_killed_mid_save_leaves_the_previous_file_intact(tmp_path):
    """SIGKILL while a saver is writing: the target still holds the previous, complete document."""
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"version": 1}))
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from hamilton.io.default_data_loaders import JSONDataSaver

        class Dies(str):
            pass

        def encode(value):
            sys.stdout.write("writing\\n"); sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)

        import json
        original = json.dump
        json.dump = lambda data, handle: (handle.write('{{"version": 2, "partial'), handle.flush(), encode(data))
        JSONDataSaver(path={str(path)!r}).save_data({{"version": 2}})
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == -9, done.stderr
    assert "writing" in done.stdout
    assert json.loads(path.read_text()) == {"version": 1}


def test_atomic_writes_keep_the_permissions_of_the_replaced_file(tmp_path):
    """A saved file replacing an existing one keeps that file's mode (e.g. 0o640)."""
    from hamilton.io.atomic import write_atomically

    path = tmp_path / "secret.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    write_atomically(path, "new")
    assert path.read_text() == "new"
    assert path.stat().st_mode & 0o777 == 0o640


def test_atomic_write_refuses_append_mode(tmp_path):
    """Appending cannot be atomic by replacement: the helper says so instead of truncating."""
    from hamilton.io.atomic import atomic_write

    with pytest.raises(ValueError, match="mode must be 'w' or 'wb'"), atomic_write(tmp_path / "x", "a"):
        pass


def test_core_formats_stay_available_with_autoloading_disabled(tmp_path):
    """1.x's HAMILTON_AUTOLOAD_EXTENSIONS=0 disables extensions, not core's own formats."""
    script = textwrap.dedent(
        f"""
        from hamilton.io.materialization import to
        from hamilton import driver
        def d() -> dict:
            return {{"a": 1}}
        dr = driver.Builder().with_functions(d).build()
        print(sorted(dr.materialize(to.json(id="o", dependencies=["d"], path={str(tmp_path / "o.json")!r}))[0]))
        """
    )
    env = {**os.environ, "HAMILTON_AUTOLOAD_EXTENSIONS": "0"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['o']"


def test_bytes_io_values_are_saved_as_their_bytes(tmp_path):
    """file saves a BytesIO's content; reading it into a bytes parameter gives the same bytes."""

    def buffer() -> io.BytesIO:
        return io.BytesIO(b"\x00payload")

    path = tmp_path / "blob.bin"
    build(buffer).materialize(to.file(id="out", dependencies=["buffer"], path=str(path)))
    assert path.read_bytes() == b"\x00payload"
    assert pickle.loads(pickle.dumps(path.read_bytes())) == b"\x00payload"


# -- core's formats pass the contract kit plugin authors use ----------------------------------------


class TestJsonFormat(MaterializerContract):
    def saver(self, path):
        return core_formats.JSONDataSaver(path=str(path / "value.json"))

    def loader(self, path):
        return core_formats.JSONDataLoader(path=str(path / "value.json"))

    def sample_value(self):
        return {"a": [1, 2.5, None, "x"]}


class TestTextFileFormat(MaterializerContract):
    def saver(self, path):
        return core_formats.RawFileDataSaver(path=str(path / "value.txt"))

    def loader(self, path):
        return core_formats.RawFileDataLoader(path=str(path / "value.txt"))

    def sample_value(self):
        return "first line\nsecond line ✓"


class TestBytesFileFormat(MaterializerContract):
    def saver(self, path):
        return core_formats.RawFileDataSaverBytes(path=path / "value.bin")

    def loader(self, path):
        return core_formats.RawFileDataLoaderBytes(path=path / "value.bin")

    def sample_value(self):
        return bytes(range(256))


class TestPickleFormat(MaterializerContract):
    def saver(self, path):
        return core_formats.PickleSaver(path=str(path / "value.pkl"))

    def loader(self, path):
        return core_formats.PickleLoader(path=str(path / "value.pkl"))

    def sample_value(self):
        return {"nested": ({1, 2}, frozenset({"a"}))}


def test_a_node_declared_any_is_saved_by_its_values_type(tmp_path):
    """Declared Any/object: the saver is chosen from the value when the node runs."""

    def anything() -> object:
        return {"chosen": "at run time"}

    path = tmp_path / "any.json"
    saved, _ = build(anything).materialize(to.json(id="out", dependencies=["anything"], path=str(path)))
    assert json.loads(path.read_text()) == {"chosen": "at run time"}
    assert saved["out"]["file_metadata"]["path"] == str(path)


def test_a_value_no_saver_of_the_format_handles_fails_naming_format_and_type(tmp_path):
    """Declared Any but an int at run time: json has no saver for it, and the error says so."""

    def anything() -> object:
        return 3

    with pytest.raises(TypeError, match=r"No 'json' saver handles values of type int"):
        build(anything).materialize(to.json(id="out", dependencies=["anything"], path=str(tmp_path / "x.json")))


def test_durable_atomic_writes_produce_the_same_file(tmp_path):
    """durable=True adds fsyncs, not a different result."""
    from hamilton.io.atomic import atomic_write

    with atomic_write(tmp_path / "d.bin", "wb", durable=True) as handle:
        handle.write(b"abc")
    assert (tmp_path / "d.bin").read_bytes() == b"abc"
    assert leftovers(tmp_path) == []
