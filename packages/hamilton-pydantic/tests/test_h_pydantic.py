"""``h_pydantic.check_output()``: the model comes from the return annotation, through driver runs."""

import logging
from typing import Annotated, Optional, Union

import pytest
from pydantic import BaseModel, Field, ValidationError

from hamilton.data_quality.base import DataValidationError
from hamilton.function_modifiers import InvalidDecoratorException, extract_fields
from hamilton.plugins import h_pydantic


class Address(BaseModel):
    city: str
    zip_code: str


class Customer(BaseModel):
    id: int
    address: Address
    tags: list[str] = []


class Refund(BaseModel):
    amount: float = Field(ge=0)


def test_an_instance_of_the_annotated_model_passes(build):
    @h_pydantic.check_output(importance="fail")
    def customer(customer_id: int) -> Customer:
        return Customer(id=customer_id, address=Address(city="Paris", zip_code="75001"))

    def city(customer: Customer) -> str:
        return customer.address.city

    result = build(customer, city).execute(["city", "customer_pydantic_validator"], inputs={"customer_id": 7})
    assert result["city"] == "Paris"
    assert result["customer_pydantic_validator"].passes


def test_a_dict_returned_for_the_model_is_validated_strictly(build):
    @h_pydantic.check_output(importance="fail")
    def good() -> Customer:
        return {"id": 1, "address": {"city": "Oslo", "zip_code": "0150"}}  # type: ignore[return-value]

    @h_pydantic.check_output(importance="fail")
    def bad() -> Customer:
        return {"id": "1", "address": {"city": "Oslo", "zip_code": 150}}  # type: ignore[return-value]

    dr = build(good, bad)
    assert dr.execute(["good"])["good"]["id"] == 1
    with pytest.raises(DataValidationError) as raised:
        dr.execute(["bad"])
    (message,) = raised.value.args[0]
    assert message.startswith("[bad:pydantic_validator] validator failed")
    assert "2 validation errors for Customer" in message
    assert "address.zip_code" in message
    assert "\nid\n" in message


def test_warn_is_the_default_importance(build, caplog):
    @h_pydantic.check_output()
    def refund() -> Refund:
        return {"amount": -1.0}  # type: ignore[return-value]

    with caplog.at_level(logging.WARNING):
        assert build(refund).execute(["refund"]) == {"refund": {"amount": -1.0}}
    assert any(
        "[refund:pydantic_validator]" in r.getMessage() and "greater than or equal to 0" in r.getMessage()
        for r in caplog.records
    )


def test_constructing_an_invalid_model_fails_in_the_node_itself(build):
    @h_pydantic.check_output(importance="fail")
    def refund() -> Refund:
        return Refund(amount=-2)  # pydantic raises here, before any check

    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        build(refund).execute(["refund"])


def test_optional_union_and_annotated_annotations_are_validated_as_written(build):
    @h_pydantic.check_output(importance="fail")
    def maybe() -> Refund | None:
        return None

    @h_pydantic.check_output(importance="fail")
    def maybe_1x() -> Optional[Refund]:  # noqa: UP045 (as 1.x code writes it)
        return None

    @h_pydantic.check_output(importance="fail")
    def either() -> Union[Refund, Address]:
        return {"city": "Rome", "zip_code": "00100"}  # type: ignore[return-value]

    @h_pydantic.check_output(importance="fail")
    def neither() -> Union[Refund, Address]:
        return {"city": "Rome"}  # type: ignore[return-value]

    @h_pydantic.check_output(importance="fail")
    def annotated() -> Annotated[Refund, "docs"]:
        return {"amount": 1.0}  # type: ignore[return-value]

    dr = build(maybe, maybe_1x, either, neither, annotated)
    assert dr.execute(["maybe", "maybe_1x", "either", "annotated"]) == {
        "maybe": None,
        "maybe_1x": None,
        "either": {"city": "Rome", "zip_code": "00100"},
        "annotated": {"amount": 1.0},
    }
    with pytest.raises(DataValidationError, match="neither:pydantic_validator"):
        dr.execute(["neither"])


def test_target_picks_the_nodes_to_validate(build):
    @h_pydantic.check_output(importance="fail", target="refund")
    @extract_fields({"refund": Refund, "note": str})
    def parts() -> dict:
        return {"refund": {"amount": "3"}, "note": "not a model, not validated"}

    dr = build(parts)
    names = {v.name for v in dr.list_available_variables()}
    assert "refund_pydantic_validator" in names
    assert "note_pydantic_validator" not in names
    assert dr.execute(["note"])["note"] == "not a model, not validated"
    with pytest.raises(DataValidationError, match=r"\[refund:pydantic_validator\]"):
        dr.execute(["refund"])


def test_stacked_with_core_check_output(build):
    from hamilton.function_modifiers import check_output

    @h_pydantic.check_output(importance="fail")
    @check_output(allow_none=False, importance="fail")
    def refund() -> Refund:
        return Refund(amount=1)

    dr = build(refund)
    names = {v.name for v in dr.list_available_variables()}
    assert {"refund_pydantic_validator", "refund_allow_none_validator"} <= names
    assert dr.execute(["refund"])["refund"] == Refund(amount=1)


# -- misuse ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "annotation",
    [int, dict, list[Refund], Optional[int], Union[Refund, int], BaseModel.__class__],  # noqa: UP045
    ids=["int", "dict", "list-of-models", "optional-int", "model-or-int", "metaclass"],
)
def test_an_annotation_that_is_not_a_model_is_refused_when_the_graph_is_built(build, annotation):
    def value() -> None:
        return None

    value.__annotations__["return"] = annotation
    decorated = h_pydantic.check_output()(value)
    with pytest.raises(InvalidDecoratorException) as raised:
        build(decorated)
    message = str(raised.value)
    assert "Output of function value must be a Pydantic model" in message
    assert "@check_output(model=" in message  # what to do instead


def test_an_unknown_importance_is_refused_at_decoration():
    with pytest.raises(ValueError, match="importance='fatal'"):
        h_pydantic.check_output(importance="fatal")


def test_get_validators_returns_the_1x_validator():
    from hamilton.node import Node
    from hamilton.plugins.pydantic_extensions import PydanticModelValidator

    def refund() -> Refund:
        return Refund(amount=1)

    (validator,) = h_pydantic.check_output(importance="fail").get_validators(Node.from_fn(refund))
    assert isinstance(validator, PydanticModelValidator)
    assert validator.model is Refund
    assert validator.importance.value == "fail"
