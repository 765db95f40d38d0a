# ruff: noqa: UP045  (typing.Optional is spelled out on purpose)
"""Scenario: inputs with assorted annotations, each echoed by a node named ``<input>_seen``."""

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Optional, Union


def float_seen(a_float: float) -> object:
    return a_float


def int_list_seen(an_int_list: list[int]) -> object:
    return an_int_list


def int_sequence_seen(an_int_sequence: Sequence[int]) -> object:
    return an_int_sequence


def literal_seen(a_literal: Literal["red", "green"]) -> object:
    return a_literal


def union_seen(a_union: Union[int, str]) -> object:
    return a_union


def optional_seen(an_optional: Optional[int]) -> object:
    return an_optional


def any_seen(anything: Any) -> object:
    return anything


def pair_seen(a_pair: tuple[int, str]) -> object:
    return a_pair


def mapping_seen(a_mapping: Mapping[str, int]) -> object:
    return a_mapping
