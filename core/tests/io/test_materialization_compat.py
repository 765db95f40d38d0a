"""Black-box conformance tests for the materialization API (loaders/savers), pinned to apache-hamilton 1.90.0.

Covers `hamilton.io.materialization.to` / `from_` through `Driver.materialize`, `validate_materialization` and
`Builder.with_materializers`; the `load_from` / `save_to` / `dataloader` / `datasaver` decorators (node names, types
and tags as seen through `list_available_variables`); the standard-library data adapters registered on
`import hamilton.io` (json, file, pickle, environment, literal, memory); user-defined adapters registered at runtime;
and the graph-execution hooks around `materialize`. Only standard-library formats are used.
"""

import dataclasses
import io
import json
import os
import pathlib
import pickle
import re
import uuid
from typing import Any

import pytest

from hamilton import ad_hoc_utils, base, driver, lifecycle, registry
from hamilton.function_modifiers import (
    dataloader,
    datasaver,
    extract_fields,
    load_from,
    save_to,
    source,
    tag,
    value,
)
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.io.data_adapters import DataLoader, DataSaver
from hamilton.io.default_data_loaders import (
    EnvVarDataLoader,
    InMemoryResult,
    JSONDataLoader,
    JSONDataSaver,
    LiteralValueDataLoader,
    RawFileDataLoader,
    RawFileDataSaverBytes,
)
from hamilton.io.materialization import ExtractorFactory, MaterializerFactory, from_, to

FILE_METADATA_KEYS = {"size", "path", "last_modified", "timestamp", "scheme", "notes", "__version__"}

SAVER_JSON_TAGS = {
    "hamilton.data_saver": True,
    "hamilton.data_saver.sink": "json",
    "hamilton.data_saver.classname": "JSONDataSaver",
}


# ----------------------------------------------------------------------------------------------------------------
# helpers


@dataclasses.dataclass
class Point:
    """A module-level (hence picklable) arbitrary object."""

    x: int
    y: int


class _NotADataclassLoader(DataLoader):
    @classmethod
    def applicable_types(cls):
        return [int]

    def load_data(self, type_):
        return 1, {}

    @classmethod
    def name(cls):
        return "never_registered_loader"


class _NotADataclassSaver(DataSaver):
    @classmethod
    def applicable_types(cls):
        return [int]

    def save_data(self, data):
        return {}

    @classmethod
    def name(cls):
        return "never_registered_saver"


def _module(*fns):
    return ad_hoc_utils.create_temporary_module(*fns)


def _driver(*fns, materializers=(), adapters=()):
    builder = driver.Builder().with_modules(_module(*fns))
    if materializers:
        builder = builder.with_materializers(*materializers)
    if adapters:
        builder = builder.with_adapters(*adapters)
    return builder.build()


def _nodes(dr):
    return {n.name: n for n in dr.list_available_variables()}


def _unique_name():
    return f"mytest_{uuid.uuid4().hex}"


def raw() -> dict:
    return {"a": 1}


def doubled(raw: dict) -> dict:
    return {k: v * 2 for k, v in raw.items()}


def listed(raw: dict) -> list:
    return list(raw.values())


def needs_input(x: dict) -> dict:
    return x


def number() -> int:
    return 42


def word() -> str:
    return "w"


def _basic_driver(**kwargs):
    return _driver(raw, doubled, listed, needs_input, number, word, **kwargs)


def _expected_file_metadata(path: str) -> dict:
    return {
        "size": os.path.getsize(path),
        "path": path,
        "last_modified": os.path.getmtime(path),
        "scheme": "",
        "notes": "",
        "__version__": "1.0.0",
    }


def _without_timestamp(metadata: dict) -> dict:
    return {k: v for k, v in metadata["file_metadata"].items() if k != "timestamp"}


# ----------------------------------------------------------------------------------------------------------------
# Driver.materialize with `to`


def test_materialize_returns_materializer_results_and_additional_vars_tuple(tmp_path):
    """materialize returns a 2-tuple: {id: saver metadata} and {additional var: value}."""
    path = str(tmp_path / "out.json")
    dr = _basic_driver()
    result = dr.materialize(to.json(id="m", dependencies=["doubled"], path=path), additional_vars=["raw"])
    assert isinstance(result, tuple)
    assert len(result) == 2
    materializer_results, additional = result
    assert list(materializer_results) == ["m"]
    assert list(materializer_results["m"]) == ["file_metadata"]
    assert additional == {"raw": {"a": 1}}
    with open(path) as f:
        assert json.load(f) == {"a": 2}


def test_materialize_only_additional_vars():
    """With no materializers but additional_vars, the first element is an empty dict."""
    dr = _basic_driver()
    assert dr.materialize(additional_vars=["raw", "doubled"]) == ({}, {"raw": {"a": 1}, "doubled": {"a": 2}})


def test_materialize_nothing_requested_raises():
    """Calling materialize with neither materializers nor additional_vars raises ValueError."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match="No output requested"):
        dr.materialize()


def test_materialize_multiple_materializers_keyed_by_id():
    """Each materializer's result is keyed by its id."""
    dr = _basic_driver()
    result = dr.materialize(
        to.memory(id="m1", dependencies=["doubled"]),
        to.memory(id="m2", dependencies=["raw"]),
        additional_vars=["doubled"],
    )
    assert result == ({"m1": {"a": 2}, "m2": {"a": 1}}, {"doubled": {"a": 2}})


def test_materialize_duplicate_ids_last_one_wins():
    """Two materializers with the same id do not error; the last one is used."""
    # 1.x quirk: duplicate ids are silently collapsed (last wins) instead of raising.
    dr = _basic_driver()
    result = dr.materialize(to.memory(id="m", dependencies=["raw"]), to.memory(id="m", dependencies=["number"]))
    assert result == ({"m": 42}, {})


def test_materialize_id_colliding_with_existing_node_raises():
    """A materializer id equal to an existing node name raises ValueError."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match=re.escape("Duplicate node names found: {'raw'}")):
        dr.materialize(to.memory(id="raw", dependencies=["number"]))


def test_materialize_combine_with_dict_result_saves_joined_dict(tmp_path):
    """combine=DictResult() joins several dependencies into one dict that is then saved."""
    path = str(tmp_path / "combined.json")
    dr = _basic_driver()
    results, _ = dr.materialize(
        to.json(id="m", dependencies=["doubled", "listed"], combine=base.DictResult(), path=path)
    )
    assert list(results) == ["m"]
    with open(path) as f:
        assert json.load(f) == {"doubled": {"a": 2}, "listed": [1]}


def test_materialize_combine_build_result_node_can_be_requested():
    """combine creates a `<id>_build_result` node holding the combined value."""
    dr = _basic_driver()
    result = dr.materialize(
        to.memory(id="m1", dependencies=["doubled", "raw"], combine=base.DictResult()),
        additional_vars=["m1_build_result"],
    )
    combined = {"doubled": {"a": 2}, "raw": {"a": 1}}
    assert result == ({"m1": combined}, {"m1_build_result": combined})


def test_materialize_combine_custom_result_mixin_output_type_selects_saver(tmp_path):
    """A custom ResultMixin's build_result output is saved; its output_type becomes the build_result node type."""

    class SortedValues(base.ResultMixin):
        @staticmethod
        def build_result(**outputs: Any) -> list:
            return sorted(outputs.values())

        def output_type(self) -> type:
            return list

    def a() -> int:
        return 2

    def b() -> int:
        return 1

    path = str(tmp_path / "sorted.json")
    materializer = to.json(id="j", dependencies=["a", "b"], combine=SortedValues(), path=path)
    dr = _driver(a, b, materializers=[materializer])
    nodes = _nodes(dr)
    assert nodes["j_build_result"].type is list
    assert nodes["j_build_result"].required_dependencies == {"a", "b"}
    assert nodes["j"].required_dependencies == {"j_build_result"}
    dr.execute(["j"])
    with open(path) as f:
        assert json.load(f) == [1, 2]


def test_materialize_multiple_dependencies_without_combine_raises():
    """More than one (or zero) dependency without combine= raises ValueError."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match="Must specify result builder via combine= key word argument"):
        dr.materialize(to.memory(id="m", dependencies=["doubled", "listed"]))
    # 1.x quirk: an empty dependency list gets the same "more than one dependency" message.
    with pytest.raises(ValueError, match="Must specify result builder via combine= key word argument"):
        dr.materialize(to.memory(id="m", dependencies=[]))


def test_materialize_unknown_dependency_raises():
    """A dependency that is not a node raises ValueError naming the materializer and the missing names."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match=r"Materializer m has dependencies that are not in the graph: \['nope'\]"):
        dr.materialize(to.memory(id="m", dependencies=["nope"]))


def test_materialize_dependencies_accept_functions_and_hamilton_nodes():
    """Dependencies (and additional_vars) may be module functions or HamiltonNode objects, not only strings."""
    mod = _module(raw, doubled)
    dr = driver.Builder().with_modules(mod).build()
    node = _nodes(dr)["doubled"]
    assert dr.materialize(to.memory(id="m", dependencies=[mod.doubled])) == ({"m": {"a": 2}}, {})
    assert dr.materialize(to.memory(id="m", dependencies=[node])) == ({"m": {"a": 2}}, {})
    assert dr.materialize(additional_vars=[mod.doubled, "raw"]) == ({}, {"doubled": {"a": 2}, "raw": {"a": 1}})


def test_materialize_dependency_function_from_foreign_module_raises():
    """A function that is not from the driver's modules is rejected as a dependency."""
    dr = _driver(raw, doubled)
    with pytest.raises(ValueError, match="is a function not in a module given to the materializer"):
        dr.materialize(to.memory(id="m", dependencies=[doubled]))


def test_materialize_saver_kwargs_accept_source_and_value(tmp_path):
    """Saver kwargs may be source(...) (read from inputs at run time) or value(...) (a literal)."""
    path = str(tmp_path / "src.json")
    dr = _basic_driver()
    results, _ = dr.materialize(
        to.json(id="m", dependencies=["raw"], path=source("out_path")), inputs={"out_path": path}
    )
    assert results["m"]["file_metadata"]["path"] == path
    with open(path) as f:
        assert json.load(f) == {"a": 1}
    value_path = str(tmp_path / "val.json")
    results, _ = dr.materialize(to.json(id="m", dependencies=["raw"], path=value(value_path)))
    assert results["m"]["file_metadata"]["path"] == value_path


def test_materialize_missing_inputs_raise():
    """Missing external inputs (of a dependency or of a source(...) saver kwarg) raise ValueError."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match="Required input out_path not provided"):
        dr.materialize(to.json(id="m", dependencies=["raw"], path=source("out_path")))
    with pytest.raises(ValueError, match="Required input x not provided for nodes: \\['needs_input'\\]"):
        dr.materialize(to.memory(id="m", dependencies=["needs_input"]))


def test_materialize_missing_required_saver_kwarg_raises():
    """Omitting a required saver field raises InvalidDecoratorException."""
    dr = _basic_driver()
    with pytest.raises(InvalidDecoratorException, match=r"Missing required parameters for adapter .*\{'path'\}"):
        dr.materialize(to.json(id="m", dependencies=["raw"]))


def test_to_rejects_unknown_saver_kwarg():
    """An unknown keyword for `to.<fmt>` raises TypeError when the factory is called."""
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        to.json(id="m", dependencies=["raw"], path="p.json", bogus=1)


def test_materialize_no_saver_for_dependency_type_raises():
    """Saving a type no saver of that format accepts raises InvalidDecoratorException."""
    dr = _basic_driver()
    with pytest.raises(InvalidDecoratorException, match="No saver class found for type: <class 'int'>"):
        dr.materialize(to.json(id="m", dependencies=["number"], path="never.json"))


def test_materialize_respects_overrides_and_inputs():
    """overrides short-circuit computed nodes and inputs feed external inputs."""
    dr = _basic_driver()
    assert dr.materialize(to.memory(id="m", dependencies=["doubled"]), overrides={"raw": {"z": 10}}) == (
        {"m": {"z": 20}},
        {},
    )
    assert dr.materialize(to.memory(id="m", dependencies=["needs_input"]), inputs={"x": {"q": 1}}) == (
        {"m": {"q": 1}},
        {},
    )


def test_materialize_does_not_apply_result_builder():
    """materialize returns plain dicts even when the driver has a result builder."""

    class Wrap(lifecycle.ResultBuilder):
        def build_result(self, **outputs: Any) -> Any:
            return ("built", outputs)

    dr = _basic_driver(adapters=[Wrap()])
    assert dr.execute(["raw"]) == ("built", {"raw": {"a": 1}})
    assert dr.materialize(to.memory(id="m", dependencies=["raw"]), additional_vars=["raw"]) == (
        {"m": {"a": 1}},
        {"raw": {"a": 1}},
    )


# ----------------------------------------------------------------------------------------------------------------
# `to` / `from_` attribute access


def test_dir_lists_core_formats_and_attributes_build_factories():
    """dir(to)/dir(from_) list the standard-library keys; calling them builds Materializer/ExtractorFactory."""
    assert {"json", "file", "pickle", "memory"} <= set(dir(to))
    assert {"json", "file", "pickle", "environment", "literal"} <= set(dir(from_))
    materializer = to.json(id="m", dependencies=["raw"], path="p.json")
    assert isinstance(materializer, MaterializerFactory)
    assert materializer.id == "m"
    assert isinstance(from_.json(target="raw", path="p.json"), ExtractorFactory)


@pytest.mark.parametrize(
    ("namespace", "key", "message"),
    [
        (to, "zzz_unknown", "No data materializer named: zzz_unknown"),
        (from_, "zzz_unknown", "No data loader named: zzz_unknown"),
        (to, "environment", "No data materializer named: environment"),
        (from_, "memory", "No data loader named: memory"),
        (load_from, "zzz_unknown", "No loader named: zzz_unknown available for load_from"),
        (save_to, "zzz_unknown", "No saver named: zzz_unknown available for save_to"),
    ],
)
def test_unknown_format_raises_attribute_error(namespace, key, message):
    """Unknown keys on to/from_/load_from/save_to (or keys registered only on the other side) raise AttributeError."""
    with pytest.raises(AttributeError, match=message):
        getattr(namespace, key)


# ----------------------------------------------------------------------------------------------------------------
# `from_` extractors


def test_from_replaces_function_node(tmp_path):
    """from_.json(target=<function node>) replaces that node's value with the loaded data."""
    path = str(tmp_path / "in.json")
    with open(path, "w") as f:
        json.dump({"b": 5}, f)
    dr = _basic_driver()
    result = dr.materialize(
        from_.json(target="raw", path=path),
        to.memory(id="m", dependencies=["doubled"]),
        additional_vars=["raw"],
    )
    assert result == ({"m": {"b": 10}}, {"raw": {"b": 5}})


def test_from_replaces_external_input(tmp_path):
    """from_ targeting an external input supplies it, so no input needs to be passed."""
    path = str(tmp_path / "in.json")
    with open(path, "w") as f:
        json.dump({"b": 5}, f)
    dr = _basic_driver()
    result = dr.materialize(from_.json(target="x", path=path), additional_vars=["needs_input", "x"])
    assert result == ({}, {"needs_input": {"b": 5}, "x": {"b": 5}})


def test_from_load_data_node_returns_data_and_metadata(tmp_path):
    """The `load_data.<target>` node yields (data, metadata)."""
    path = str(tmp_path / "in.json")
    with open(path, "w") as f:
        json.dump({"b": 5}, f)
    dr = _basic_driver()
    _, additional = dr.materialize(from_.json(target="x", path=path), additional_vars=["load_data.x"])
    data, metadata = additional["load_data.x"]
    assert data == {"b": 5}
    assert list(metadata) == ["file_metadata"]
    assert _without_timestamp(metadata) == _expected_file_metadata(path)


def test_from_prunes_upstream_of_replaced_node():
    """Inputs only needed upstream of a replaced node are no longer required."""

    def source_data(secret: int) -> dict:
        return {"secret": secret}

    def consumer(source_data: dict) -> dict:
        return source_data

    dr = _driver(source_data, consumer)
    extractor = from_.literal(target="source_data", value={"q": 1})
    assert dr.validate_materialization(extractor, additional_vars=["consumer"]) is None
    assert dr.materialize(extractor, additional_vars=["consumer"]) == ({}, {"consumer": {"q": 1}})


def test_from_unknown_target_or_unloadable_type_raises():
    """from_ on a non-existent target raises ValueError; on a type no loader produces, InvalidDecoratorException."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match="Could not find node with name: nope in function graph"):
        dr.materialize(from_.json(target="nope", path="p.json"), additional_vars=["raw"])
    with pytest.raises(InvalidDecoratorException, match="Could not resolve loader for type: <class 'int'>"):
        dr.materialize(from_.json(target="number", path="p.json"), additional_vars=["number"])


def test_from_loader_kwargs_accept_source(tmp_path):
    """A loader kwarg given as source(...) is read from inputs."""
    path = str(tmp_path / "in.json")
    with open(path, "w") as f:
        json.dump([3, 4], f)
    dr = _basic_driver()
    result = dr.materialize(
        from_.json(target="listed", path=source("p")), additional_vars=["listed"], inputs={"p": path}
    )
    assert result == ({}, {"listed": [3, 4]})


# ----------------------------------------------------------------------------------------------------------------
# validate_materialization


def test_validate_materialization_passes_returns_none():
    """validate_materialization returns None when everything needed is available."""
    dr = _basic_driver()
    assert dr.validate_materialization(to.memory(id="m", dependencies=["doubled"])) is None
    assert dr.validate_materialization(to.memory(id="m", dependencies=["needs_input"]), inputs={"x": {}}) is None


def test_validate_materialization_missing_input_raises():
    """validate_materialization raises ValueError for a missing required input."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match="Required input x not provided for nodes: \\['needs_input'\\]"):
        dr.validate_materialization(to.memory(id="m", dependencies=["needs_input"]))


def test_validate_materialization_input_satisfied_by_extractor():
    """An extractor targeting the missing input satisfies validation without touching the file."""
    dr = _basic_driver()
    extractor = from_.json(target="x", path="does/not/exist.json")
    assert dr.validate_materialization(extractor, to.memory(id="m", dependencies=["needs_input"])) is None


def test_validate_materialization_unknown_additional_var_raises():
    """validate_materialization rejects unknown additional_vars."""
    dr = _basic_driver()
    with pytest.raises(ValueError, match=r"Unknown nodes \[nope\] requested"):
        dr.validate_materialization(additional_vars=["nope"])


def test_validate_materialization_with_nothing_requested_is_ok():
    """validate_materialization with no materializers and no additional_vars does not raise."""
    # 1.x quirk: unlike materialize(), the dry run does not raise "No output requested".
    dr = _basic_driver()
    assert dr.validate_materialization() is None


# ----------------------------------------------------------------------------------------------------------------
# Builder.with_materializers


def test_builder_with_materializers_nodes_executable_by_id(tmp_path):
    """Materializers given to the Builder become nodes executed by id; with_materializers returns the builder."""
    in_path = str(tmp_path / "in.json")
    out_path = str(tmp_path / "out.json")
    with open(in_path, "w") as f:
        json.dump({"b": 5}, f)
    builder = driver.Builder().with_modules(_module(raw, doubled, listed, needs_input))
    returned = builder.with_materializers(
        to.json(id="saved", dependencies=["doubled"], path=out_path),
        to.memory(id="comb", dependencies=["doubled", "listed"], combine=base.DictResult()),
        from_.json(target="x", path=in_path),
    )
    assert returned is builder
    dr = builder.build()
    assert list(dr.execute(["saved"])["saved"]) == ["file_metadata"]
    with open(out_path) as f:
        assert json.load(f) == {"a": 2}
    assert dr.execute(["comb", "needs_input"]) == {
        "comb": {"doubled": {"a": 2}, "listed": [1]},
        "needs_input": {"b": 5},
    }


def test_builder_materializer_nodes_names_types_and_tags():
    """to/from_ nodes appear in list_available_variables with exact names, types and tags."""
    dr = _basic_driver(
        materializers=[
            to.json(id="saved", dependencies=["doubled"], path="unused.json"),
            to.memory(id="comb", dependencies=["doubled", "listed"], combine=base.DictResult()),
            from_.json(target="x", path="unused.json"),
        ]
    )
    nodes = _nodes(dr)
    loader_tags = {
        "hamilton.data_loader": True,
        "hamilton.data_loader.source": "json",
        "hamilton.data_loader.classname": "JSONDataLoader",
        "hamilton.data_loader.node": "x",
    }
    assert nodes["saved"].type == dict[str, Any]
    assert nodes["saved"].tags == SAVER_JSON_TAGS
    assert nodes["saved"].required_dependencies == {"doubled"}
    assert nodes["comb"].tags == {
        "hamilton.data_saver": True,
        "hamilton.data_saver.sink": "memory",
        "hamilton.data_saver.classname": "InMemoryResult",
    }
    assert nodes["comb_build_result"].type == dict[str, Any]
    assert nodes["comb_build_result"].required_dependencies == {"doubled", "listed"}
    assert nodes["x"].type is dict
    assert nodes["x"].is_external_input is False
    assert nodes["x"].tags == {**loader_tags, "hamilton.data_loader.has_metadata": False}
    assert nodes["x"].required_dependencies == {"load_data.x"}
    assert nodes["load_data.x"].tags == {**loader_tags, "hamilton.data_loader.has_metadata": True}


def test_from_load_data_node_type_puts_metadata_type_first():
    """The `load_data.<target>` node is typed tuple[dict[str, Any], T] although its value is (data, metadata)."""
    # 1.x quirk: the declared tuple order is the reverse of the runtime value order.
    dr = _basic_driver(materializers=[from_.literal(target="number", value=1)])
    assert _nodes(dr)["load_data.number"].type == tuple[dict[str, Any], int]


def test_builder_with_materializers_rejects_list():
    """Passing a list to with_materializers raises ValueError asking to unpack it."""
    with pytest.raises(
        ValueError, match=r"`\.with_materializers\(\)` received a sequence\. Unpack it by prepending `\*`"
    ):
        driver.Builder().with_materializers([to.memory(id="m", dependencies=["raw"])])


def test_builder_with_materializers_rejects_string_as_sequence():
    """A single string is reported as a sequence too."""
    # 1.x quirk: str is a Sequence, so it gets the "received a sequence" message.
    with pytest.raises(ValueError, match="received a sequence"):
        driver.Builder().with_materializers("not a materializer")


def test_builder_with_materializers_rejects_non_materializer():
    """Passing objects that are not materializers raises ValueError."""
    with pytest.raises(ValueError, match=r"`\.with_materializers\(\)` only accepts materializers\. Received instead:"):
        driver.Builder().with_materializers(to.memory(id="m", dependencies=["raw"]), 3)


def test_builder_with_materializers_errors_surface_at_build():
    """Graph errors of Builder materializers (unknown dependency) are raised by build()."""
    builder = driver.Builder().with_modules(_module(raw)).with_materializers(to.memory(id="m", dependencies=["zz"]))
    with pytest.raises(ValueError, match=r"Materializer m has dependencies that are not in the graph: \['zz'\]"):
        builder.build()


# ----------------------------------------------------------------------------------------------------------------
# @load_from


def test_load_from_literal_path_nodes_and_execution(tmp_path):
    """@load_from.json(path=...) adds `<fn>.load_data.<p>` and `<fn>.select_data.<p>` and injects the data."""
    path = str(tmp_path / "in.json")
    with open(path, "w") as f:
        json.dump({"b": 5}, f)

    @load_from.json(path=path)
    def counted(data: dict) -> dict:
        return {"n": len(data)}

    mod = _module(counted)
    dr = driver.Builder().with_modules(mod).build()
    nodes = _nodes(dr)
    assert set(nodes) == {"counted", "counted.load_data.data", "counted.select_data.data"}
    assert nodes["counted"].required_dependencies == {"counted.select_data.data"}
    assert nodes["counted"].tags == {"module": mod.__name__}
    assert dr.execute(["counted"]) == {"counted": {"n": 1}}
    loaded = dr.execute(["counted.load_data.data", "counted.select_data.data"])
    assert loaded["counted.select_data.data"] == {"b": 5}
    data, metadata = loaded["counted.load_data.data"]
    assert data == {"b": 5}
    assert _without_timestamp(metadata) == _expected_file_metadata(path)


def test_load_from_node_types_and_tags():
    """load_from nodes carry the exact data_loader tags and types (no module tag)."""

    @load_from.json(path="unused.json")
    def counted(data: dict) -> dict:
        return data

    nodes = _nodes(_driver(counted))
    common = {
        "hamilton.data_loader": True,
        "hamilton.data_loader.source": "json",
        "hamilton.data_loader.classname": "JSONDataLoader",
        "hamilton.data_loader.node": "data",
    }
    assert nodes["counted.load_data.data"].type == tuple[dict[str, Any], dict]
    assert nodes["counted.load_data.data"].tags == {**common, "hamilton.data_loader.has_metadata": True}
    assert nodes["counted.select_data.data"].type is dict
    assert nodes["counted.select_data.data"].tags == {**common, "hamilton.data_loader.has_metadata": False}
    assert nodes["counted.select_data.data"].required_dependencies == {"counted.load_data.data"}


def test_load_from_source_path_depends_on_input(tmp_path):
    """@load_from.json(path=source("p")) makes the load_data node depend on `p`."""
    path = str(tmp_path / "in.json")
    with open(path, "w") as f:
        json.dump({"b": 5}, f)

    @load_from.json(path=source("p"))
    def loaded(d: dict) -> dict:
        return d

    dr = _driver(loaded)
    nodes = _nodes(dr)
    assert nodes["loaded.load_data.d"].required_dependencies == {"p"}
    assert nodes["p"].is_external_input is True
    assert nodes["p"].type is str
    assert dr.execute(["loaded"], inputs={"p": path}) == {"loaded": {"b": 5}}


def test_load_from_value_and_inject_with_several_params(tmp_path):
    """Stacked @load_from with value(...) and inject_= fill several params; others stay dependencies."""
    list_path = str(tmp_path / "l.json")
    dict_path = str(tmp_path / "d.json")
    with open(list_path, "w") as f:
        json.dump([1, 2], f)
    with open(dict_path, "w") as f:
        json.dump({"b": 5}, f)

    @load_from.json(path=value(list_path), inject_="a")
    @load_from.json(path=value(dict_path), inject_="b")
    def combined(a: list, b: dict, c: int) -> dict:
        return {"a": a, "b": b, "c": c}

    dr = _driver(combined)
    nodes = _nodes(dr)
    assert nodes["combined"].required_dependencies == {"combined.select_data.a", "combined.select_data.b", "c"}
    assert nodes["combined.load_data.a"].type == tuple[dict[str, Any], list]
    assert nodes["combined.select_data.b"].tags["hamilton.data_loader.node"] == "b"
    assert dr.execute(["combined"], inputs={"c": 3}) == {"combined": {"a": [1, 2], "b": {"b": 5}, "c": 3}}


def test_load_from_optional_field_as_source_is_optional_dependency(tmp_path):
    """A loader field with a default given as source(...) becomes an optional dependency."""
    path = str(tmp_path / "t.txt")
    with open(path, "w", encoding="utf-16") as f:
        f.write("hi")

    @load_from.file(path=value(path), encoding=source("enc"))
    def text(data: str) -> str:
        return data

    dr = _driver(text)
    node = _nodes(dr)["text.load_data.data"]
    assert node.required_dependencies == set()
    assert node.optional_dependencies == {"enc"}
    assert node.tags["hamilton.data_loader.classname"] == "RawFileDataLoader"
    assert dr.execute(["text"], inputs={"enc": "utf-16"}) == {"text": "hi"}


def _target_int(a: int) -> int:
    return a


def _target_dict(data: dict) -> dict:
    return data


def _target_two(a: dict, b: dict) -> dict:
    return a


def _target_none() -> dict:
    return {}


@pytest.mark.parametrize(
    ("make_decorator", "fn", "message"),
    [
        (
            lambda: load_from.json(),
            _target_dict,
            r"Missing required parameters for adapter .*JSONDataLoader.*\{'path'\}",
        ),
        (lambda: load_from.json(path="p", bogus=1), _target_dict, r"Extra parameters for loader: .*\{'bogus'\}"),
        (lambda: load_from.json(path="p"), _target_two, "you must pass `inject_` to the load_from decorator"),
        (lambda: load_from.json(path="p", inject_="zz"), _target_two, "Invalid inject parameter: zz"),
        (lambda: load_from.json(path="p"), _target_int, "No loader class found for type: <class 'int'>"),
        (lambda: load_from.json(path="p"), _target_none, "has no parameters"),
    ],
    ids=["missing-field", "extra-field", "multi-param", "bad-inject", "no-loader-for-type", "no-params"],
)
def test_load_from_decoration_time_errors(make_decorator, fn, message):
    """Invalid @load_from usages raise InvalidDecoratorException when applied to the function."""
    decorator = make_decorator()
    with pytest.raises(InvalidDecoratorException, match=message):
        decorator(fn)


# ----------------------------------------------------------------------------------------------------------------
# @save_to


def test_save_to_adds_save_node_and_keeps_original(tmp_path):
    """@save_to.json adds `save.<fn>` (dict[str, Any], saver tags) and keeps `<fn>`."""
    path = str(tmp_path / "s.json")

    @save_to.json(path=path)
    def payload() -> dict:
        return {"k": 1}

    mod = _module(payload)
    dr = driver.Builder().with_modules(mod).build()
    nodes = _nodes(dr)
    assert set(nodes) == {"payload", "save.payload"}
    assert nodes["save.payload"].type == dict[str, Any]
    assert nodes["save.payload"].tags == SAVER_JSON_TAGS
    assert nodes["save.payload"].required_dependencies == {"payload"}
    assert nodes["payload"].tags == {"module": mod.__name__}
    assert dr.execute(["payload"]) == {"payload": {"k": 1}}
    assert not os.path.exists(path)
    results = dr.execute(["save.payload"])
    assert _without_timestamp(results["save.payload"]) == _expected_file_metadata(path)
    with open(path) as f:
        assert json.load(f) == {"k": 1}


def test_save_to_output_name_and_source_path(tmp_path):
    """output_name_ names the saver node; source(...) kwargs become its dependencies."""
    path = str(tmp_path / "named.json")

    @save_to.json(path=source("out_path"), output_name_="payload_saved")
    def payload() -> dict:
        return {"k": 2}

    dr = _driver(payload)
    nodes = _nodes(dr)
    assert "save.payload" not in nodes
    assert nodes["payload_saved"].required_dependencies == {"payload", "out_path"}
    assert nodes["payload_saved"].tags == SAVER_JSON_TAGS
    dr.execute(["payload_saved"], inputs={"out_path": path})
    with open(path) as f:
        assert json.load(f) == {"k": 2}


def test_save_to_target_selects_node_among_several(tmp_path):
    """target_ picks which node of the function's subgraph is saved."""
    path = str(tmp_path / "a.json")

    @save_to.json(path=path, output_name_="a_saved", target_="a")
    @extract_fields({"a": dict, "b": dict})
    def fields() -> dict:
        return {"a": {"x": 1}, "b": {"y": 2}}

    dr = _driver(fields)
    assert _nodes(dr)["a_saved"].required_dependencies == {"a"}
    dr.execute(["a_saved"])
    with open(path) as f:
        assert json.load(f) == {"x": 1}


def test_stacked_save_to_without_target_saves_inner_saver_output(tmp_path):
    """Stacking two @save_to without target_ makes the outer one save the inner saver's metadata."""
    # 1.x quirk: the outer saver targets the sink of the subgraph, i.e. the inner saver node.
    inner = str(tmp_path / "inner.json")
    outer = str(tmp_path / "outer.json")

    @save_to.json(path=outer, output_name_="outer_saved")
    @save_to.json(path=inner, output_name_="inner_saved")
    def payload() -> dict:
        return {"k": 3}

    dr = _driver(payload)
    nodes = _nodes(dr)
    assert nodes["inner_saved"].required_dependencies == {"payload"}
    assert nodes["outer_saved"].required_dependencies == {"inner_saved"}
    results = dr.execute(["outer_saved"])
    assert list(results) == ["outer_saved"]
    with open(outer) as f:
        assert list(json.load(f)) == ["file_metadata"]


def test_tag_above_save_to_tags_only_the_saver_node():
    """@tag applied over @save_to decorates only the sink (the saver node)."""

    @tag(owner="me")
    @save_to.json(path="unused.json")
    def payload() -> dict:
        return {}

    mod = _module(payload)
    nodes = _nodes(driver.Builder().with_modules(mod).build())
    assert nodes["save.payload"].tags == {**SAVER_JSON_TAGS, "owner": "me"}
    assert nodes["payload"].tags == {"module": mod.__name__}


def test_save_to_errors_raise_at_build():
    """@save_to on a type no saver accepts, or without a required field, raises InvalidDecoratorException at build."""

    @save_to.json(path="unused.json")
    def count() -> int:
        return 1

    with pytest.raises(InvalidDecoratorException, match="No saver class found for type: <class 'int'>"):
        _driver(count)

    @save_to.json()
    def payload() -> dict:
        return {}

    with pytest.raises(InvalidDecoratorException, match=r"Missing required parameters for adapter .*\{'path'\}"):
        _driver(payload)


# ----------------------------------------------------------------------------------------------------------------
# @dataloader / @datasaver


def test_dataloader_nodes_tags_and_values():
    """@dataloader() creates `<fn>.loader` (the tuple) and `<fn>` (the data) with loader tags."""

    @dataloader()
    def rows(count: int) -> tuple[list, dict]:
        return [count] * 2, {"count": count}

    mod = _module(rows)
    dr = driver.Builder().with_modules(mod).build()
    nodes = _nodes(dr)
    common = {
        "hamilton.data_loader": True,
        "hamilton.data_loader.node": "rows",
        "hamilton.data_loader.classname": "rows()",
    }
    assert nodes["rows.loader"].type == tuple[list, dict]
    assert nodes["rows.loader"].required_dependencies == {"count"}
    assert nodes["rows.loader"].tags == {
        "module": mod.__name__,
        **common,
        "hamilton.data_loader.has_metadata": True,
        "hamilton.data_loader.source": "loader",
    }
    assert nodes["rows"].type is list
    assert nodes["rows"].required_dependencies == {"rows.loader"}
    assert nodes["rows"].tags == {
        **common,
        "hamilton.data_loader.has_metadata": False,
        "hamilton.data_loader.source": "rows",
    }
    assert dr.execute(["rows", "rows.loader"], inputs={"count": 7}) == {
        "rows": [7, 7],
        "rows.loader": ([7, 7], {"count": 7}),
    }


def test_dataloader_accepts_parameterized_metadata_dict():
    """@dataloader() accepts tuple[T, dict[str, Any]] as return annotation."""

    @dataloader()
    def rows() -> tuple[int, dict[str, Any]]:
        return 1, {}

    assert _driver(rows).execute(["rows"]) == {"rows": 1}


def _dl_not_tuple() -> dict:
    return {}


def _dl_three() -> tuple[int, int, dict]:
    return 1, 2, {}


def _dl_second_not_dict() -> tuple[int, int]:
    return 1, 2


def _dl_int_keys() -> tuple[int, dict[int, str]]:
    return 1, {}


def _dl_unannotated():
    return 1, {}


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        (_dl_not_tuple, "Function: _dl_not_tuple must return a tuple."),
        (_dl_three, "Function: _dl_three must return a tuple of length 2."),
        (_dl_second_not_dict, "Function: _dl_second_not_dict must return a tuple of type (SOME_TYPE, dict)."),
        (_dl_int_keys, "Function: _dl_int_keys must return a tuple of type (SOME_TYPE, dict[str, ...])"),
        # 1.x quirk: a missing return annotation is reported as "must return a tuple."
        (_dl_unannotated, "Function: _dl_unannotated must return a tuple."),
    ],
    ids=["not-tuple", "three-elements", "second-not-dict", "non-str-keys", "unannotated"],
)
def test_dataloader_decoration_time_errors(fn, message):
    """@dataloader() validates the return annotation when applied."""
    with pytest.raises(InvalidDecoratorException, match=re.escape(message)):
        dataloader()(fn)


def test_datasaver_node_and_tags(tmp_path):
    """@datasaver() keeps a single node `<fn>` with saver tags added to its module tag."""
    path = str(tmp_path / "ds.json")

    @datasaver()
    def store(payload: dict, out_path: str) -> dict:
        with open(out_path, "w") as f:
            json.dump(payload, f)
        return {"saved_to": out_path}

    mod = _module(store)
    dr = driver.Builder().with_modules(mod).build()
    nodes = _nodes(dr)
    assert set(nodes) == {"store", "payload", "out_path"}
    assert nodes["store"].type is dict
    assert nodes["store"].tags == {
        "module": mod.__name__,
        "hamilton.data_saver": True,
        "hamilton.data_saver.sink": "store",
        "hamilton.data_saver.classname": "store()",
    }
    assert dr.execute(["store"], inputs={"payload": {"k": 1}, "out_path": path}) == {"store": {"saved_to": path}}


def _ds_parameterized() -> dict[str, Any]:
    return {}


def _ds_list() -> list:
    return []


def _ds_unannotated():
    return {}


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        # 1.x quirk: only the bare `dict` annotation is accepted.
        (_ds_parameterized, "Function: _ds_parameterized must return a dict."),
        (_ds_list, "Function: _ds_list must return a dict."),
        (_ds_unannotated, "Function: _ds_unannotated must have a return annotation."),
    ],
    ids=["dict-str-any", "list", "unannotated"],
)
def test_datasaver_decoration_time_errors(fn, message):
    """@datasaver() requires a bare `dict` return annotation."""
    with pytest.raises(InvalidDecoratorException) as excinfo:
        datasaver()(fn)
    assert str(excinfo.value) == message


# ----------------------------------------------------------------------------------------------------------------
# file metadata and round trips of the standard-library formats


def test_file_savers_return_file_metadata(tmp_path):
    """json/file/pickle savers return {"file_metadata": {size, path, last_modified, timestamp, scheme, notes, __version__}}."""

    def text() -> str:
        return "hello"

    dr = _driver(raw, text)
    paths = {name: str(tmp_path / name) for name in ("out.json", "out.txt", "out.pkl")}
    results, _ = dr.materialize(
        to.json(id="as_json", dependencies=["raw"], path=paths["out.json"]),
        to.file(id="as_file", dependencies=["text"], path=paths["out.txt"]),
        to.pickle(id="as_pickle", dependencies=["raw"], path=paths["out.pkl"]),
    )
    for materializer_id, path in zip(["as_json", "as_file", "as_pickle"], paths.values()):
        metadata = results[materializer_id]
        assert list(metadata) == ["file_metadata"]
        assert set(metadata["file_metadata"]) == FILE_METADATA_KEYS
        assert isinstance(metadata["file_metadata"]["timestamp"], float)
        assert _without_timestamp(metadata) == _expected_file_metadata(path)


def test_json_round_trip_dict_and_list(tmp_path):
    """to.json then from_.json round-trips both dicts and lists."""

    def mapping() -> dict:
        return {"k": [1, 2], "s": "x"}

    def sequence() -> list:
        return [1, "a", None]

    def both(mapping: dict, sequence: list) -> dict:
        return {"mapping": mapping, "sequence": sequence}

    dict_path, list_path = str(tmp_path / "d.json"), str(tmp_path / "l.json")
    dr = _driver(mapping, sequence, both)
    dr.materialize(
        to.json(id="d", dependencies=["mapping"], path=dict_path),
        to.json(id="l", dependencies=["sequence"], path=list_path),
    )
    result = dr.materialize(
        from_.json(target="mapping", path=dict_path),
        from_.json(target="sequence", path=list_path),
        additional_vars=["both"],
    )
    assert result == ({}, {"both": {"mapping": {"k": [1, 2], "s": "x"}, "sequence": [1, "a", None]}})


def test_file_round_trip_str_with_encoding(tmp_path):
    """to.file/from_.file round-trip text, honouring encoding (default utf-8)."""

    def text() -> str:
        return "h\u00e9llo\nworld"

    def shout(text: str) -> str:
        return text.upper()

    utf8_path, utf16_path = str(tmp_path / "t8.txt"), str(tmp_path / "t16.txt")
    dr = _driver(text, shout)
    dr.materialize(
        to.file(id="t8", dependencies=["text"], path=utf8_path),
        to.file(id="t16", dependencies=["text"], path=utf16_path, encoding="utf-16"),
    )
    with open(utf8_path, encoding="utf-8") as f:
        assert f.read() == "h\u00e9llo\nworld"
    with open(utf16_path, encoding="utf-16") as f:
        assert f.read() == "h\u00e9llo\nworld"
    loaded = dr.materialize(from_.file(target="text", path=utf16_path, encoding="utf-16"), additional_vars=["shout"])
    assert loaded == ({}, {"shout": "H\u00c9LLO\nWORLD"})
    assert dr.materialize(from_.file(target="text", path=utf8_path), additional_vars=["text"]) == (
        {},
        {"text": "h\u00e9llo\nworld"},
    )


def test_file_saver_writes_bytes_and_bytesio(tmp_path):
    """to.file on bytes / BytesIO nodes selects the bytes saver and writes the raw bytes."""

    def blob() -> bytes:
        return b"\x00\x01abc"

    def stream() -> io.BytesIO:
        return io.BytesIO(b"xyz")

    def text() -> str:
        return "t"

    blob_path, stream_path = tmp_path / "b.bin", str(tmp_path / "s.bin")
    materializers = [
        to.file(id="blob_out", dependencies=["blob"], path=blob_path),
        to.file(id="stream_out", dependencies=["stream"], path=stream_path),
        to.file(id="text_out", dependencies=["text"], path=str(tmp_path / "t.txt")),
    ]
    dr = _driver(blob, stream, text, materializers=materializers)
    nodes = _nodes(dr)
    assert nodes["blob_out"].tags["hamilton.data_saver.classname"] == "RawFileDataSaverBytes"
    assert nodes["stream_out"].tags["hamilton.data_saver.classname"] == "RawFileDataSaverBytes"
    assert nodes["text_out"].tags["hamilton.data_saver.classname"] == "RawFileDataSaver"
    results = dr.execute(["blob_out", "stream_out"])
    assert blob_path.read_bytes() == b"\x00\x01abc"
    with open(stream_path, "rb") as f:
        assert f.read() == b"xyz"
    assert results["blob_out"]["file_metadata"]["path"] == str(blob_path)
    assert results["blob_out"]["file_metadata"]["size"] == 5


def test_pickle_round_trip_arbitrary_object(tmp_path):
    """to.pickle/from_.pickle round-trip an arbitrary object."""

    def point() -> Point:
        return Point(1, 2)

    def total(point: Point) -> int:
        return point.x + point.y

    path = str(tmp_path / "p.pkl")
    dr = _driver(point, total)
    results, _ = dr.materialize(to.pickle(id="saved", dependencies=["point"], path=path))
    assert results["saved"]["file_metadata"]["path"] == path
    with open(path, "rb") as f:
        assert pickle.load(f) == Point(1, 2)
    assert dr.materialize(from_.pickle(target="point", path=path), additional_vars=["point", "total"]) == (
        {},
        {"point": Point(1, 2), "total": 3},
    )


def test_environment_loader_reads_named_variables(monkeypatch):
    """The environment loader returns {name: os.environ[name]} with empty metadata; an unset name is a KeyError."""
    monkeypatch.setenv("HAMILTON_COMPAT_A", "1")
    monkeypatch.setenv("HAMILTON_COMPAT_B", "two")

    def settings(env: dict) -> dict:
        return env

    @load_from.environment(names=("HAMILTON_COMPAT_B",))
    def only_b(env: dict) -> dict:
        return env

    dr = _driver(settings, only_b)
    result = dr.materialize(
        from_.environment(target="env", names=("HAMILTON_COMPAT_A", "HAMILTON_COMPAT_B")),
        additional_vars=["settings", "load_data.env"],
    )
    expected = {"HAMILTON_COMPAT_A": "1", "HAMILTON_COMPAT_B": "two"}
    assert result == ({}, {"settings": expected, "load_data.env": (expected, {})})
    assert dr.execute(["only_b"]) == {"only_b": {"HAMILTON_COMPAT_B": "two"}}
    assert _nodes(dr)["only_b.load_data.env"].tags["hamilton.data_loader.classname"] == "EnvVarDataLoader"
    monkeypatch.delenv("HAMILTON_COMPAT_UNSET", raising=False)
    with pytest.raises(KeyError, match="HAMILTON_COMPAT_UNSET"):
        dr.materialize(from_.environment(target="env", names=("HAMILTON_COMPAT_UNSET",)), additional_vars=["settings"])


def test_literal_loader_injects_value():
    """The literal loader yields its value with empty metadata (from_ and load_from, raw or value(...))."""

    @load_from.literal(value=5)
    def plus_one(x: int) -> int:
        return x + 1

    @load_from.literal(value=value([1, 2]))
    def items(x: list) -> list:
        return x

    dr = _driver(plus_one, items, number)
    assert dr.execute(["plus_one", "items"]) == {"plus_one": 6, "items": [1, 2]}
    assert _nodes(dr)["plus_one.load_data.x"].tags["hamilton.data_loader.classname"] == "LiteralValueDataLoader"
    result = dr.materialize(from_.literal(target="number", value=7), additional_vars=["number", "load_data.number"])
    assert result == ({}, {"number": 7, "load_data.number": (7, {})})


def test_memory_saver_returns_the_data_itself():
    """to.memory returns the dependency's value (of any type) as the materializer result."""

    def anything() -> Any:
        return ("t", 1)

    dr = _driver(number, anything)
    assert dr.materialize(
        to.memory(id="n", dependencies=["number"]),
        to.memory(id="a", dependencies=["anything"]),
    ) == ({"n": 42, "a": ("t", 1)}, {})


# ----------------------------------------------------------------------------------------------------------------
# data adapter classes and runtime registration


def test_builtin_adapter_arguments_and_capabilities():
    """get_required_arguments/get_optional_arguments map dataclass fields to types; can_load/can_save/applies_to."""
    assert JSONDataLoader.get_required_arguments() == {"path": str}
    assert JSONDataLoader.get_optional_arguments() == {}
    assert RawFileDataLoader.get_required_arguments() == {"path": str}
    assert RawFileDataLoader.get_optional_arguments() == {"encoding": str}
    assert EnvVarDataLoader.get_required_arguments() == {"names": tuple[str, ...]}
    assert LiteralValueDataLoader.get_required_arguments() == {"value": Any}
    assert InMemoryResult.get_required_arguments() == {}
    assert RawFileDataSaverBytes.get_required_arguments() == {"path": pathlib.Path | str}
    assert (JSONDataLoader.can_load(), JSONDataLoader.can_save()) == (True, False)
    assert (JSONDataSaver.can_load(), JSONDataSaver.can_save()) == (False, True)
    assert JSONDataLoader.name() == JSONDataSaver.name() == "json"
    assert (JSONDataLoader.applies_to(dict), JSONDataLoader.applies_to(int)) == (True, False)
    assert (JSONDataSaver.applies_to(list), JSONDataSaver.applies_to(int)) == (True, False)


def test_non_dataclass_adapters_take_their_arguments_from_the_constructor():
    """2.0 difference (the new authoring contract): 1.x raised TypeError ("DataLoader subclasses must be
    dataclasses") for a subclass that is not a dataclass; 2.0 reads the constructor's signature instead,
    so a subclass without an ``__init__`` of its own simply has no arguments."""
    assert _NotADataclassLoader.get_required_arguments() == {}
    assert _NotADataclassSaver.get_optional_arguments() == {}


def _int_adapters(name: str):
    """Builds a loader and a saver for `int`, registered under `name` by the caller."""

    @dataclasses.dataclass
    class IntLoader(DataLoader):
        start: int
        step: int = 1

        @classmethod
        def applicable_types(cls):
            return [int]

        def load_data(self, type_):
            return self.start + self.step, {"start": self.start, "type": type_.__name__}

        @classmethod
        def name(cls):
            return name

    @dataclasses.dataclass
    class IntSaver(DataSaver):
        sink: list

        @classmethod
        def applicable_types(cls):
            return [int]

        def save_data(self, data):
            self.sink.append(data)
            return {"saved": data}

        @classmethod
        def name(cls):
            return name

    return IntLoader, IntSaver


def test_custom_adapter_usable_through_from_and_to():
    """A user dataclass DataLoader/DataSaver registered with register_adapter is usable as from_.<name>/to.<name>."""
    name = _unique_name()
    loader_cls, saver_cls = _int_adapters(name)
    registry.register_adapter(loader_cls)
    registry.register_adapter(saver_cls)

    def plus(number: int) -> int:
        return number + 100

    sink = []
    dr = _driver(number, plus)
    result = dr.materialize(
        getattr(from_, name)(target="number", start=10, step=2),
        getattr(to, name)(id="saved", dependencies=["plus"], sink=sink),
        additional_vars=["load_data.number"],
    )
    assert result == ({"saved": {"saved": 112}}, {"load_data.number": (12, {"start": 10, "type": "int"})})
    assert sink == [112]
    assert name in dir(to)
    assert name in dir(from_)


def test_custom_adapter_usable_through_load_from_and_save_to():
    """A registered user adapter is usable as @load_from.<name> and @save_to.<name>, with its tags."""
    name = _unique_name()
    loader_cls, saver_cls = _int_adapters(name)
    registry.register_adapter(loader_cls)
    registry.register_adapter(saver_cls)
    sink = []

    @getattr(save_to, name)(sink=value(sink))
    @getattr(load_from, name)(start=source("s"))
    def tripled(x: int) -> int:
        return x * 3

    dr = _driver(tripled)
    nodes = _nodes(dr)
    assert nodes["tripled.load_data.x"].required_dependencies == {"s"}
    assert nodes["tripled.load_data.x"].tags == {
        "hamilton.data_loader": True,
        "hamilton.data_loader.has_metadata": True,
        "hamilton.data_loader.source": name,
        "hamilton.data_loader.classname": "_int_adapters.<locals>.IntLoader",
        "hamilton.data_loader.node": "x",
    }
    assert nodes["save.tripled"].tags == {
        "hamilton.data_saver": True,
        "hamilton.data_saver.sink": name,
        "hamilton.data_saver.classname": "_int_adapters.<locals>.IntSaver",
    }
    assert dr.execute(["tripled", "save.tripled"], inputs={"s": 4}) == {"tripled": 15, "save.tripled": {"saved": 15}}
    assert sink == [15]


def _recording_saver(name: str, label: str, types: list):
    @dataclasses.dataclass
    class Saver(DataSaver):
        @classmethod
        def applicable_types(cls):
            return types

        def save_data(self, data):
            return {"by": label, "data": data}

        @classmethod
        def name(cls):
            return name

    Saver.__qualname__ = label
    return Saver


def _labelled_loader(name: str, label: str, types: list, loaded: Any):
    @dataclasses.dataclass
    class Loader(DataLoader):
        @classmethod
        def applicable_types(cls):
            return types

        def load_data(self, type_):
            return loaded, {"by": label}

        @classmethod
        def name(cls):
            return name

    Loader.__qualname__ = label
    return Loader


def test_savers_under_one_name_selected_by_type():
    """Two savers registered under one name for different types are chosen by the dependency's type."""
    name = _unique_name()
    registry.register_adapter(_recording_saver(name, "IntOnly", [int]))
    registry.register_adapter(_recording_saver(name, "StrOnly", [str]))

    def ratio() -> float:
        return 0.5

    dr = _driver(number, word, ratio)
    result = dr.materialize(
        getattr(to, name)(id="n", dependencies=["number"]),
        getattr(to, name)(id="w", dependencies=["word"]),
    )
    assert result == ({"n": {"by": "IntOnly", "data": 42}, "w": {"by": "StrOnly", "data": "w"}}, {})
    with pytest.raises(InvalidDecoratorException, match="No saver class found for type: <class 'float'>"):
        dr.materialize(getattr(to, name)(id="r", dependencies=["ratio"]))


def test_last_registered_applicable_saver_wins_even_if_it_declares_any():
    """Among applicable savers for a key the last registered wins; a saver declaring Any applies to every type."""
    # 1.x quirk: for savers `Any` is not a fallback -- a later-registered Any saver beats an earlier int saver.
    first, second = _unique_name(), _unique_name()
    registry.register_adapter(_recording_saver(first, "FirstInt", [int]))
    registry.register_adapter(_recording_saver(first, "SecondInt", [int]))
    registry.register_adapter(_recording_saver(second, "IntSaver", [int]))
    registry.register_adapter(_recording_saver(second, "AnySaver", [Any]))
    dr = _driver(number)
    result = dr.materialize(
        getattr(to, first)(id="a", dependencies=["number"]),
        getattr(to, second)(id="b", dependencies=["number"]),
    )
    assert result == ({"a": {"by": "SecondInt", "data": 42}, "b": {"by": "AnySaver", "data": 42}}, {})


def test_loader_declaring_any_is_only_a_fallback():
    """For loaders, one declaring Any is used only when no specific loader applies; else the last specific one wins."""
    name = _unique_name()
    registry.register_adapter(_labelled_loader(name, "IntLoaderA", [int], 5))
    registry.register_adapter(_labelled_loader(name, "IntLoaderB", [int], 6))
    registry.register_adapter(_labelled_loader(name, "AnyLoader", [Any], "s"))
    dr = _driver(number, word)
    result = dr.materialize(
        getattr(from_, name)(target="number"),
        getattr(from_, name)(target="word"),
        additional_vars=["load_data.number", "load_data.word"],
    )
    assert result == ({}, {"load_data.number": (6, {"by": "IntLoaderB"}), "load_data.word": ("s", {"by": "AnyLoader"})})


# ----------------------------------------------------------------------------------------------------------------
# lifecycle hooks around materialize


class _RecordingGraphHook(lifecycle.GraphExecutionHook):
    def __init__(self):
        self.calls = []

    def run_before_graph_execution(self, *, final_vars, inputs, overrides, **future_kwargs):
        self.calls.append(("before", list(final_vars), inputs, overrides))

    def run_after_graph_execution(self, *, results, success, error, **future_kwargs):
        self.calls.append(("after", results, success, error))


def test_graph_execution_hooks_receive_additional_vars_results():
    """During materialize, run_after_graph_execution gets results = the additional_vars dict."""
    hook = _RecordingGraphHook()
    dr = _basic_driver(adapters=[hook])
    dr.materialize(to.memory(id="m", dependencies=["doubled"]), additional_vars=["raw"])
    assert hook.calls == [("before", ["raw", "m"], None, None), ("after", {"raw": {"a": 1}}, True, None)]
    hook.calls.clear()
    dr.materialize(to.memory(id="m", dependencies=["doubled"]))
    assert hook.calls[-1] == ("after", {}, True, None)


def test_graph_execution_hook_after_failed_materialize():
    """When a node fails during materialize, the after-hook gets success=False, the error and results=None."""

    def boom(raw: dict) -> dict:
        raise RuntimeError("boom")

    hook = _RecordingGraphHook()
    dr = _driver(raw, boom, adapters=[hook])
    with pytest.raises(RuntimeError, match="boom"):
        dr.materialize(to.memory(id="m", dependencies=["boom"]), additional_vars=["raw"])
    _, results, success, error = hook.calls[-1]
    assert (results, success) == (None, False)
    assert isinstance(error, RuntimeError)


def test_graph_construction_hook_rerun_with_materializer_nodes():
    """materialize re-runs post-graph-construction hooks on the modified graph containing the materializer nodes."""

    class RecordGraph(lifecycle.GraphConstructionHook):
        def __init__(self):
            self.graphs = []

        def run_after_graph_construction(self, *, graph, **future_kwargs):
            self.graphs.append({n.name for n in graph.nodes})

    hook = RecordGraph()
    dr = _driver(raw, doubled, adapters=[hook])
    dr.materialize(to.memory(id="m", dependencies=["doubled"]))
    assert hook.graphs == [{"raw", "doubled"}, {"raw", "doubled", "m"}]
