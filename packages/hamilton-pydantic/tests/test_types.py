"""Pydantic models between nodes: Hamilton's ordinary type rules (a subclass feeds its base; a
generic model's parametrized forms feed the generic model, and differ from each other)."""

from typing import Generic, TypeVar

import pytest
from pydantic import BaseModel

from hamilton.data_quality.base import DataValidationError
from hamilton.errors import TypeMismatchError
from hamilton.plugins import h_pydantic

T = TypeVar("T")


class Animal(BaseModel):
    name: str


class Dog(Animal):
    barks: bool = True


class Box(BaseModel, Generic[T]):
    content: T


def test_a_subclass_of_the_model_feeds_a_parameter_of_the_model(build):
    @h_pydantic.check_output(importance="fail")
    def dog() -> Dog:
        return Dog(name="Rex")

    def greeting(dog: Animal) -> str:
        return f"hello {dog.name}"

    assert build(dog, greeting).execute(["greeting"]) == {"greeting": "hello Rex"}


def test_a_base_model_does_not_feed_a_parameter_of_a_subclass(build):
    def dog() -> Animal:
        return Animal(name="Rex")

    def barks(dog: Dog) -> bool:
        return dog.barks

    with pytest.raises(TypeMismatchError, match=r"barks is expecting dog:.*Dog.*but found dog:.*Animal"):
        build(dog, barks)


def test_parametrized_generic_models(build):
    @h_pydantic.check_output(importance="fail")
    def box() -> Box[int]:
        return {"content": 1}  # type: ignore[return-value]

    def any_box(box: Box) -> object:
        return box["content"]

    assert build(box, any_box).execute(["any_box"]) == {"any_box": 1}

    def text_box(box: Box[str]) -> str:
        return box["content"]

    with pytest.raises(TypeMismatchError, match="text_box is expecting box"):
        build(box, text_box)


def test_the_parametrized_model_is_validated_with_its_parameters(build):
    @h_pydantic.check_output(importance="fail")
    def box() -> Box[int]:
        return {"content": "1"}  # type: ignore[return-value]

    with pytest.raises(DataValidationError, match=r"\[box:pydantic_validator\].*content"):
        build(box).execute(["box"])


def test_a_bare_generic_model_feeds_its_parametrized_form_as_in_1x(build):
    """As ``list`` feeds ``list[int]``: the type arguments are known on one side only."""

    def box() -> Box:
        return Box[int](content=3)

    def int_box(box: Box[int]) -> int:
        return box.content

    assert build(box, int_box).execute(["int_box"]) == {"int_box": 3}
