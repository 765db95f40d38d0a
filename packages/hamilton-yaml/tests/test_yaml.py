"""The ``yaml`` format through the public API: ``to.yaml``/``from_.yaml`` with ``materialize``,
``@load_from.yaml``/``@save_to.yaml``, 1.x's classes, the plugin's registration and its errors."""

from __future__ import annotations

import collections
import enum
import math
import os
import pathlib
import subprocess
import sys
import uuid

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, driver, plugins
from hamilton.errors import DataLoadError, DataSourceNotFoundError
from hamilton.function_modifiers import load_from, save_to, source, value
from hamilton.io.materialization import from_, to
from hamilton.plugins import yaml_extensions
from hamilton.plugins.testing import IntegrationContract, MaterializerContract
from hamilton.plugins.yaml_extensions import PrimitiveTypes, YAMLDataLoader, YAMLDataSaver

# What a YAML document holds, as Python values: scalars, lists and string/int-keyed dicts.
# (NaN is left out only because NaN != NaN; it is checked on its own below.)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text() | st.integers(), children, max_size=5),
    max_leaves=25,
)
fs_settings = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _module(*functions):
    return ad_hoc_utils.create_temporary_module(*functions, module_name=f"yaml_test_{uuid.uuid4().hex}")


def _path(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / f"{uuid.uuid4().hex}.yaml"


class TestYamlContract(MaterializerContract):
    def saver(self, path):
        return YAMLDataSaver(path=path / "contract.yaml")

    def loader(self, path):
        return YAMLDataLoader(path=path / "contract.yaml")

    def sample_value(self):
        return {"name": "hamilton", "versions": [1, 2.5, None], "nested": {"ok": True}}


@fs_settings
@given(data=documents)
def test_round_trip_through_materialize(tmp_path, data):
    """to.yaml writes what a node returns; from_.yaml feeds it back to another node."""
    path = _path(tmp_path)

    def produced() -> dict:
        return data

    def consumed(produced: dict) -> dict:
        return produced

    dr = driver.Builder().with_modules(_module(produced, consumed)).build()
    saved, _ = dr.materialize(to.yaml(id="save_produced", dependencies=["produced"], path=str(path)))
    assert saved["save_produced"]["file_metadata"]["path"] == str(path)
    assert yaml.safe_load(path.read_text()) == data

    _, results = dr.materialize(from_.yaml(target="produced", path=str(path)), additional_vars=["consumed"])
    assert results["consumed"] == data


@fs_settings
@given(data=documents)
def test_round_trip_through_decorators(tmp_path, data):
    path = _path(tmp_path)

    @save_to.yaml(path=value(str(path)), output_name_="written")
    def original() -> dict:
        return data

    @load_from.yaml(path=source("where"))
    def reread(loaded: dict) -> dict:
        return loaded

    dr = driver.Builder().with_modules(_module(original)).build()
    metadata = dr.execute(["written"])["written"]
    assert metadata["file_metadata"]["size"] == os.path.getsize(path)

    dr = driver.Builder().with_modules(_module(reread)).build()
    assert dr.execute(["reread"], inputs={"where": str(path)})["reread"] == data


@pytest.mark.parametrize("data", [7, -1.5, "text", True, [1, "two", None], {"a": {"b": [1, 2]}}])
def test_each_python_type_is_served(tmp_path, data):
    """A node of each of 1.x's types gets this format's classes, to save and to load."""
    path = _path(tmp_path)
    kind = type(data)

    def produced() -> kind:  # type: ignore[valid-type]
        return data

    produced.__annotations__["return"] = kind
    dr = driver.Builder().with_modules(_module(produced)).build()
    dr.materialize(to.yaml(id="saved", dependencies=["produced"], path=path))
    _, results = dr.materialize(from_.yaml(target="produced", path=path), additional_vars=["produced"])
    assert results["produced"] == data
    assert type(results["produced"]) is kind


def test_applicable_types_are_1x():
    assert PrimitiveTypes == (str, int, float, bool, dict, list)
    for cls in (YAMLDataLoader, YAMLDataSaver):
        assert cls.name() == "yaml"
        assert list(cls.applicable_types()) == [str, int, float, bool, dict, list]
    assert [f.name for f in __import__("dataclasses").fields(YAMLDataLoader)] == ["path"]
    assert [f.name for f in __import__("dataclasses").fields(YAMLDataSaver)] == ["path"]
    assert yaml_extensions.COLUMN_FRIENDLY_DF_TYPE is False


def test_classes_used_directly_as_in_1x(tmp_path):
    path = tmp_path / "direct.yaml"
    metadata = YAMLDataSaver(path).save_data({"k": [1, 2]})
    assert metadata["file_metadata"]["path"] == str(path)
    assert metadata["file_metadata"]["size"] == os.path.getsize(path)
    loaded, load_metadata = YAMLDataLoader(str(path)).load_data(dict)
    assert loaded == {"k": [1, 2]}
    assert load_metadata["file_metadata"]["path"] == str(path)


def test_nan_and_infinities_round_trip(tmp_path):
    path = tmp_path / "floats.yaml"
    YAMLDataSaver(path).save_data([math.nan, math.inf, -math.inf, -0.0])
    loaded, _ = YAMLDataLoader(path).load_data(list)
    assert math.isnan(loaded[0])
    assert loaded[1:3] == [math.inf, -math.inf]
    assert math.copysign(1, loaded[3]) == -1


def test_subclasses_and_tuples_are_written_as_plain_yaml(tmp_path):
    """Every file written loads back with yaml.safe_load (1.x wrote python/* tags it could not read)."""
    path = tmp_path / "plain.yaml"
    value_ = collections.OrderedDict(b=collections.defaultdict(int, x=1), a=(1, 2))
    YAMLDataSaver(path).save_data(value_)
    assert "!!python" not in path.read_text()
    assert YAMLDataLoader(path).load_data(dict)[0] == {"a": [1, 2], "b": {"x": 1}}


class _Colour(str, enum.Enum):
    RED = "red"


class _Rank(enum.IntEnum):
    FIRST = 1


class _LoudFloat(float):
    def __repr__(self) -> str:
        return f"_LoudFloat({float(self)})"


def test_scalar_subclasses_are_written_as_their_plain_value(tmp_path):
    """A subclass overriding repr/str (numpy's float64 reprs as ``np.float64(1.5)``) must not
    leak into the file: PyYAML's representers format with repr/str and would write a tag that
    safe_load cannot read back."""
    path = tmp_path / "scalars.yaml"
    YAMLDataSaver(path).save_data({"colour": _Colour.RED, "rank": _Rank.FIRST, "score": _LoudFloat(1.5)})
    assert yaml.safe_load(path.read_text()) == {"colour": "red", "rank": 1, "score": 1.5}
    numpy = pytest.importorskip("numpy")
    YAMLDataSaver(path).save_data({"mean": numpy.float64(10.25)})
    assert YAMLDataLoader(path).load_data(dict)[0] == {"mean": 10.25}


def test_unrepresentable_value_names_path_and_type(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("previous: content\n")

    class Custom:
        pass

    def produced() -> dict:
        return {"x": Custom()}

    dr = driver.Builder().with_modules(_module(produced)).build()
    with pytest.raises(TypeError, match="Custom") as caught:
        dr.materialize(to.yaml(id="saved", dependencies=["produced"], path=str(path)))
    assert str(path) in str(caught.value)
    assert path.read_text() == "previous: content\n"  # the previous file is left as it was


def test_missing_file_names_the_path(tmp_path):
    path = tmp_path / "missing.yaml"

    def consumed(produced: dict) -> dict:
        return produced

    dr = driver.Builder().with_modules(_module(consumed)).build()
    with pytest.raises(DataSourceNotFoundError) as caught:
        dr.materialize(from_.yaml(target="produced", path=str(path)), additional_vars=["consumed"])
    assert isinstance(caught.value, FileNotFoundError)
    assert str(path) in str(caught.value)
    assert "yaml" in str(caught.value)


def test_missing_file_through_decorator_names_the_function(tmp_path):
    path = tmp_path / "missing.yaml"

    @load_from.yaml(path=value(str(path)))
    def settings_(raw: dict) -> dict:
        return raw

    dr = driver.Builder().with_modules(_module(settings_)).build()
    with pytest.raises(FileNotFoundError) as caught:
        dr.execute(["settings_"])
    assert str(path) in str(caught.value)
    assert "settings_" in str(caught.value)


@pytest.mark.parametrize("text", ["key: [unclosed\n", "a: 1\n  b: 2\n", "{a: 1\n", "- a\nb: c\n"])
def test_malformed_yaml_names_the_path(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(text)

    def consumed(produced: dict) -> dict:
        return produced

    dr = driver.Builder().with_modules(_module(consumed)).build()
    with pytest.raises(DataLoadError) as caught:
        dr.materialize(from_.yaml(target="produced", path=str(path)), additional_vars=["consumed"])
    assert isinstance(caught.value, yaml.YAMLError)  # `except yaml.YAMLError` written for 1.x still works
    assert str(path) in str(caught.value)
    # used directly, PyYAML's own error points at the file, line and column
    with pytest.raises(yaml.YAMLError, match=r"broken\.yaml"):
        YAMLDataLoader(path).load_data(dict)


@pytest.mark.parametrize("cls", [YAMLDataLoader, YAMLDataSaver])
def test_path_none_is_refused_naming_the_parameter(cls):
    with pytest.raises(TypeError, match="'path'"):
        cls(path=None)


def test_unknown_argument_is_refused_before_running(tmp_path):
    def produced() -> dict:
        return {}

    dr = driver.Builder().with_modules(_module(produced)).build()
    with pytest.raises(Exception, match="encoding"):
        dr.materialize(to.yaml(id="saved", dependencies=["produced"], path=str(tmp_path / "x.yaml"), encoding="x"))


def test_format_is_listed_and_classes_are_the_plugins():
    assert "yaml" in dir(to)
    assert "yaml" in dir(from_)
    assert YAMLDataLoader in plugins.loaders("yaml")
    assert YAMLDataSaver in plugins.savers("yaml")


def test_register_data_loaders_is_idempotent():
    yaml_extensions.register_data_loaders()
    yaml_extensions.register_data_loaders()
    assert YAMLDataLoader in plugins.loaders("yaml")


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, check=False
    )


def test_to_yaml_loads_the_plugin_lazily(tmp_path):
    code = (
        "import sys\n"
        "from hamilton.io.materialization import to\n"
        "assert 'hamilton.plugins.yaml_extensions' not in sys.modules\n"
        f"to.yaml(id='x', dependencies=['a'], path={str(tmp_path / 'x.yaml')!r})\n"
        "assert 'hamilton.plugins.yaml_extensions' in sys.modules\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr


class TestYamlIntegration(IntegrationContract):
    library = "yaml"
    extra = "yaml"
    modules = ("hamilton.plugins.yaml_extensions",)
    entry_point = "yaml"
