"""``@check_output(model=...)``: the pydantic validator core selects by keyword, through driver runs."""

import logging
from typing import Any, Optional

import pytest
from pydantic import BaseModel, ConfigDict, TypeAdapter
from typing_extensions import TypedDict

from hamilton.data_quality.base import DataValidationError, ValidationResult
from hamilton.data_quality.hooks import DATA_QUALITY_MODE, HOOKS_MODE, ValidationHook
from hamilton.function_modifiers import check_output
from hamilton.plugins.pydantic_extensions import InvalidModelError, PydanticModelValidator

DQ_LOGGER = "hamilton.data_quality.base"


class Owner(BaseModel):
    name: str


class Version(BaseModel):
    name: str
    id: int


class Repo(BaseModel):
    name: str
    owner: Owner
    versions: list[Version]


class Point(BaseModel):
    x: float
    y: float


GOOD_REPO = {
    "name": "hamilton",
    "owner": {"name": "apache"},
    "versions": [{"name": "1.0", "id": 1}, {"name": "2.0", "id": 2}],
}


def test_a_valid_dict_passes_and_is_returned_unchanged(build):
    @check_output(model=Point, importance="fail")
    def point() -> dict[str, Any]:
        return {"x": 1.5, "y": 2}  # an int is a valid float, even in strict mode

    dr = build(point)
    result = dr.execute(["point", "point_pydantic_validator"])
    assert result["point"] == {"x": 1.5, "y": 2}
    assert type(result["point"]["y"]) is int  # not converted: validation does not change the result
    outcome = result["point_pydantic_validator"]
    assert isinstance(outcome, ValidationResult)
    assert outcome.passes
    assert "Point" in outcome.message


def test_the_graph_has_1x_validator_nodes(build):
    @check_output(model=Point)
    def point() -> dict:
        return {"x": 1.0, "y": 2.0}

    names = {v.name for v in build(point).list_available_variables()}
    assert {"point", "point_raw", "point_pydantic_validator"} <= names


def test_a_failing_warn_validation_logs_the_node_and_the_models_errors(build, caplog):
    @check_output(model=Point, importance="warn")
    def point() -> dict:
        return {"x": "one", "y": 2.0}

    with caplog.at_level(logging.WARNING, logger=DQ_LOGGER):
        result = build(point).execute(["point"])
    assert result["point"] == {"x": "one", "y": 2.0}  # a warning does not stop the run
    (record,) = [r for r in caplog.records if r.name == DQ_LOGGER]
    assert record.levelno == logging.WARNING
    assert "[point:pydantic_validator]" in record.getMessage()
    assert "1 validation error for Point" in record.getMessage()
    assert "Input should be a valid number" in record.getMessage()


def test_a_failing_fail_validation_raises_naming_the_node_and_the_models_errors(build):
    @check_output(model=Point, importance="fail")
    def point() -> dict:
        return {"x": 1.0}

    def distance(point: dict) -> float:
        return (point["x"] ** 2 + point["y"] ** 2) ** 0.5

    dr = build(point, distance)
    with pytest.raises(DataValidationError) as raised:
        dr.execute(["distance"])
    (message,) = raised.value.args[0]
    assert message.startswith("[point:pydantic_validator] validator failed")
    assert "1 validation error for Point" in message
    assert "y\n  Field required" in message
    assert "'loc': ('y',)" in message  # the diagnostics: pydantic's error list


def test_validation_is_strict_nothing_is_coerced(build):
    @check_output(model=Point, importance="fail")
    def point() -> dict:
        return {"x": "1.0", "y": 2.0}  # lax pydantic would accept "1.0"

    assert Point.model_validate({"x": "1.0", "y": 2.0}).x == 1.0  # lax mode converts...
    with pytest.raises(DataValidationError, match="Input should be a valid number"):
        build(point).execute(["point"])  # ...the check does not


def test_nested_models_are_validated_all_the_way_down(build):
    @check_output(model=Repo, importance="fail")
    def good() -> dict:
        return GOOD_REPO

    @check_output(model=Repo, importance="fail")
    def bad() -> dict:
        return {**GOOD_REPO, "versions": [{"name": "1.0", "id": 1}, {"name": "2.0", "id": "2"}]}

    dr = build(good, bad)
    assert dr.execute(["good"])["good"] == GOOD_REPO
    outcome = dr.execute(["bad_pydantic_validator"])["bad_pydantic_validator"]
    assert not outcome.passes
    (error,) = outcome.diagnostics["model_errors"]
    assert error["loc"] == ("versions", 1, "id")
    assert error["type"] == "int_type"
    with pytest.raises(DataValidationError, match=r"versions\.1\.id"):
        dr.execute(["bad"])


def test_every_error_of_the_model_is_reported(build):
    @check_output(model=Repo)
    def repo() -> dict:
        return {"name": 1, "owner": {}, "versions": "none"}

    outcome = build(repo).execute(["repo_pydantic_validator"])["repo_pydantic_validator"]
    locations = {error["loc"] for error in outcome.diagnostics["model_errors"]}
    assert locations == {("name",), ("owner", "name"), ("versions",)}
    assert outcome.message.startswith("3 validation errors for Repo")


def test_a_node_annotated_with_the_model_may_return_an_instance_or_its_plain_form(build):
    @check_output(model=Repo, importance="fail")
    def as_instance() -> Repo:
        return Repo.model_validate(GOOD_REPO)

    @check_output(model=Repo, importance="fail")
    def as_dict() -> Repo:
        return GOOD_REPO  # type: ignore[return-value]

    def owner_name(as_instance: Repo) -> str:
        return as_instance.owner.name

    result = build(as_instance, as_dict, owner_name).execute(["as_dict", "owner_name"])
    assert result == {"as_dict": GOOD_REPO, "owner_name": "apache"}


def test_an_instance_of_another_model_fails(build):
    @check_output(model=Point, importance="fail")
    def point() -> BaseModel:
        return Owner(name="x")

    with pytest.raises(DataValidationError, match="valid dictionary or instance of Point"):
        build(point).execute(["point"])


def test_instances_are_rechecked_when_the_model_asks_for_it(build):
    class Trusting(BaseModel):
        n: int

    class Rechecking(BaseModel):
        model_config = ConfigDict(revalidate_instances="always")
        n: int

    @check_output(model=Trusting, importance="fail")
    def trusting() -> Trusting:
        value = Trusting(n=1)
        value.n = "changed"  # no validate_assignment: pydantic does not notice
        return value

    @check_output(model=Rechecking, importance="fail")
    def rechecking() -> Rechecking:
        value = Rechecking(n=1)
        value.n = "changed"
        return value

    dr = build(trusting, rechecking)
    assert dr.execute(["trusting"])["trusting"].n == "changed"  # as in 1.x and pydantic: trusted
    with pytest.raises(DataValidationError, match="rechecking:pydantic_validator"):
        dr.execute(["rechecking"])


def test_other_types_pydantic_validates_can_be_the_model(build):
    class Row(TypedDict):
        id: int
        label: str

    @check_output(model=Row, importance="fail")
    def row() -> dict:
        return {"id": 1, "label": 2}

    @check_output(model=Optional[Point], importance="fail")  # noqa: UP045 (as 1.x code writes it)
    def maybe_point() -> dict:
        return None  # type: ignore[return-value]

    dr = build(row, maybe_point)
    with pytest.raises(DataValidationError, match="label"):
        dr.execute(["row"])
    assert dr.execute(["maybe_point"]) == {"maybe_point": None}


def test_model_and_core_keywords_combine(build):
    @check_output(model=Point, allow_none=False, importance="fail")
    def point() -> dict:
        return {"x": 1.0, "y": 1.0}

    names = {v.name for v in build(point).list_available_variables()}
    assert {"point_pydantic_validator", "point_allow_none_validator"} <= names


def test_hooks_mode_runs_the_validator_from_the_hook(build):
    @check_output(model=Point, importance="warn")
    def point() -> dict:
        return {"x": 1.0, "y": "2"}

    hook = ValidationHook()
    dr = build(point, config={DATA_QUALITY_MODE: HOOKS_MODE}, adapters=(hook,))
    names = {v.name for v in dr.list_available_variables()}
    assert "point" in names
    assert "point_pydantic_validator" not in names
    dr.execute(["point"])
    outcome = hook.results()["point"]["pydantic_validator"]
    assert not outcome.passes
    assert outcome.diagnostics["model_errors"][0]["loc"] == ("y",)


# -- misuse ----------------------------------------------------------------------------------------


def test_model_on_a_node_type_it_does_not_apply_to_names_the_function(build):
    @check_output(model=Point)
    def count() -> int:
        return 1

    with pytest.raises(ValueError, match=r"function \[count\]") as raised:
        build(count)
    assert "arg: model" in str(raised.value)


def test_a_model_pydantic_cannot_use_names_the_function_and_the_model(build):
    @check_output(model=42)
    def payload() -> dict:
        return {}

    with pytest.raises(ValueError, match=r"function \[payload\]") as raised:
        build(payload)
    assert "model=42 is not something pydantic can validate against" in str(raised.value)
    assert isinstance(raised.value.__cause__, InvalidModelError)


def test_a_model_with_undefined_references_fails_the_node_with_advice(build):
    class Dangling(BaseModel):
        child: "NotDefinedAnywhere"  # noqa: F821

    @check_output(model=Dangling)
    def payload() -> dict:
        return {"child": 1}

    with pytest.raises(InvalidModelError, match=r"Define every type the model refers to"):
        build(payload).execute(["payload"])


def test_a_model_completed_after_the_decorator_is_used_once_defined():
    class Tree(BaseModel):
        leaf: "Leaf"

    validator = PydanticModelValidator(model=Tree, importance="fail")

    class Leaf(BaseModel):
        value: int

    Tree.model_rebuild(_types_namespace={"Leaf": Leaf})
    assert validator.validate({"leaf": {"value": 1}}).passes
    assert not validator.validate({"leaf": {"value": "1"}}).passes


def test_the_validator_is_1x_shaped():
    validator = PydanticModelValidator(model=Point, importance="warn")
    assert (validator.arg(), validator.name()) == ("model", "pydantic_validator")
    assert PydanticModelValidator.applies_to(Point)
    assert PydanticModelValidator.applies_to(dict)
    assert PydanticModelValidator.applies_to(dict[str, Any])
    assert not PydanticModelValidator.applies_to(list)
    assert not PydanticModelValidator.applies_to(int)
    assert isinstance(validator._model_adapter, TypeAdapter)
