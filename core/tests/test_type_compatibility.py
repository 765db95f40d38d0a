# ruff: noqa: UP006, UP035, UP045  (typing.List/Dict/Optional are spelled out on purpose)
"""Type rules of Hamilton 1.x: which producer types may feed which parameters (edges, checked at
build time), how shared inputs are typed, and which input values are accepted at run time.
"""

import collections
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Dict, List, Literal, Optional, TypeVar, Union

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from resources import (
    tc_input_annotations,
    tc_shared_incompatible,
    tc_shared_narrowing,
    tc_shared_narrowing_first,
)
from resources.tc_types import Base, Child, GrandChild, Unrelated

from hamilton import ad_hoc_utils, driver, htypes
from hamilton.htypes import Collect, Parallelizable

T = TypeVar("T")

# hypothesis: no example database on disk, no deadline (first calls import modules)
quick = settings(database=None, deadline=None, max_examples=150)


@pytest.fixture
def edge_driver():
    """Builds a driver whose only edge is ``producer -> consumer(producer: consumer_type)``."""
    created = []

    def make(producer_type, consumer_type):
        def producer():
            return None

        def consumer(producer):
            return producer

        producer.__annotations__ = {"return": producer_type}
        consumer.__annotations__ = {"producer": consumer_type, "return": object}
        module = ad_hoc_utils.create_temporary_module(producer, consumer)
        created.append(module.__name__)
        return driver.Builder().with_modules(module).build()

    yield make
    for name in created:
        sys.modules.pop(name, None)


def build(*modules):
    return driver.Builder().with_modules(*modules).build()


# -- edges: producer type -> consumer parameter type -----------------------------------------

ACCEPTED_EDGES = [
    (int, int),
    (Child, Base),
    (GrandChild, Base),
    (Any, int),
    (int, Any),
    (int, Optional[int]),
    (int, int | None),
    (Child, Optional[Base]),
    (Child, Base | None),
    (str, Union[int, str]),
    (bool, int),
    (List[int], list[int]),
    (list[int], List[int]),
    (Dict[str, int], dict[str, int]),
    (tuple[int, str], tuple),
    (list, list[int]),
    (list[int], list),
    (dict, dict[str, int]),
    (dict[str, int], dict),
    (list[int], Sequence[int]),
    (dict[str, int], Mapping[str, int]),
    (Annotated[int, "meta"], int),
    (int, Annotated[int, "meta"]),
    (Parallelizable[int], int),
    (int, Collect[int]),
]

REJECTED_EDGES = [
    (Base, Child),
    (Unrelated, Base),
    (Optional[int], int),
    (int | None, int),
    (Union[int, str], int),
    (int, float),
    (int, str),
    (T, int),
    (list[int], list[str]),
    (dict[str, int], dict[str, str]),
    (list[int], tuple),
    (Annotated[str, "meta"], int),
]


@pytest.mark.parametrize(("producer_type", "consumer_type"), ACCEPTED_EDGES, ids=repr)
def test_compatible_edge_builds(edge_driver, producer_type, consumer_type):
    dr = edge_driver(producer_type, consumer_type)
    assert {n.name for n in dr.list_available_variables()} == {"producer", "consumer"}


@pytest.mark.parametrize(("producer_type", "consumer_type"), REJECTED_EDGES, ids=repr)
def test_incompatible_edge_is_rejected_at_build(edge_driver, producer_type, consumer_type):
    with pytest.raises(ValueError, match="Error: consumer is expecting producer:") as error:
        edge_driver(producer_type, consumer_type)
    assert "Hamilton does not consider these types to be equivalent" in str(error.value)


@pytest.mark.parametrize(("producer_type", "consumer_type"), ACCEPTED_EDGES, ids=repr)
def test_types_match_accepts_compatible_edges(producer_type, consumer_type):
    assert htypes.types_match(consumer_type, producer_type)


@pytest.mark.parametrize(("producer_type", "consumer_type"), REJECTED_EDGES, ids=repr)
def test_types_match_rejects_incompatible_edges(producer_type, consumer_type):
    assert not htypes.types_match(consumer_type, producer_type)


def test_compatible_edge_passes_the_value_through(edge_driver):
    dr = edge_driver(Child, Optional[Base])
    assert dr.execute(["consumer"], overrides={"producer": "value"}) == {"consumer": "value"}


# -- Parallelizable / Collect element rules --------------------------------------------------


@pytest.mark.parametrize(
    ("param_type", "producer_type", "expected"),
    [
        (int, Parallelizable[int], True),
        (Base, Parallelizable[Child], True),
        (Any, Parallelizable[int], True),
        (str, Parallelizable[int], False),
        (Child, Parallelizable[Base], False),
        (Collect[int], int, True),
        (Collect[Base], Child, True),
        (Collect[int], str, False),
        (Collect[Child], Base, False),
    ],
    ids=repr,
)
def test_parallelizable_and_collect_match_on_their_element_type(param_type, producer_type, expected):
    assert htypes.types_match(param_type, producer_type) is expected


@pytest.mark.parametrize(
    ("producer_type", "param_type", "expected"),
    [
        (Parallelizable[int], int, True),
        (Parallelizable[str], int, False),
        (int, Collect[int], True),
        (str, Collect[int], False),
        (Child, Base, True),
        (Base, Child, False),
        (int, Any, True),
        (int, Optional[int], True),
        (list[int], Sequence[int], True),
        (list[int], list[str], False),
        (Annotated[int, "meta"], int, True),
    ],
    ids=repr,
)
def test_custom_subclass_check(producer_type, param_type, expected):
    assert htypes.custom_subclass_check(producer_type, param_type) is expected


# -- properties over many types ---------------------------------------------------------------

PLAIN_CLASSES = [
    object,
    int,
    bool,
    float,
    complex,
    str,
    bytes,
    list,
    tuple,
    dict,
    set,
    collections.OrderedDict,
    collections.defaultdict,
    Exception,
    LookupError,
    KeyError,
    IndexError,
    ValueError,
    Base,
    Child,
    GrandChild,
    Unrelated,
]

TYPE_POOL = PLAIN_CLASSES + [
    Any,
    list[int],
    List[int],
    dict[str, int],
    tuple[int, str],
    Sequence[int],
    Mapping[str, Base],
    Iterable[str],
    Optional[int],
    Union[int, str],
    Union[Base, str, None],
    Literal["a", "b"],
    Annotated[int, "meta"],
    Parallelizable[int],
    Collect[Child],
]


@quick
@given(st.sampled_from(TYPE_POOL))
def test_types_match_is_reflexive(type_):
    assert htypes.types_match(type_, type_)


@quick
@given(st.sampled_from(PLAIN_CLASSES), st.sampled_from(PLAIN_CLASSES))
def test_plain_classes_match_exactly_when_the_producer_is_a_subclass(param_type, producer_type):
    assert htypes.types_match(param_type, producer_type) is issubclass(producer_type, param_type)


@quick
@given(st.sampled_from(TYPE_POOL))
def test_any_producer_feeds_everything_and_everything_feeds_any(type_):
    assert htypes.types_match(type_, Any)
    assert htypes.types_match(Any, type_)


@quick
@given(st.sampled_from(PLAIN_CLASSES), st.sampled_from(PLAIN_CLASSES))
def test_optional_parameter_accepts_what_the_bare_parameter_accepts(param_type, producer_type):
    if htypes.types_match(param_type, producer_type):
        assert htypes.types_match(Optional[param_type], producer_type)


any_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.complex_numbers(allow_nan=False),
        st.text(max_size=5),
        st.binary(max_size=5),
        st.decimals(allow_nan=False),
        st.fractions(),
        st.builds(Base),
        st.builds(Child),
        st.builds(GrandChild),
        st.builds(Unrelated),
        st.builds(KeyError, st.text(max_size=3)),
        st.builds(ValueError),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=3), children, max_size=3),
        st.builds(collections.OrderedDict, st.dictionaries(st.integers(), children, max_size=2)),
        st.frozensets(st.integers(), max_size=3),
        st.sets(st.integers(), max_size=3),
    ),
    max_leaves=6,
)


@quick
@given(st.sampled_from(PLAIN_CLASSES), any_values)
def test_check_input_type_of_a_plain_class_is_isinstance(type_, value):
    assert htypes.check_input_type(type_, value) is isinstance(value, type_)


@quick
@given(any_values)
def test_check_input_type_accepts_anything_for_any(value):
    assert htypes.check_input_type(Any, value)


@quick
@given(st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=4))
def test_check_input_type_does_not_inspect_list_elements(values):
    assert htypes.check_input_type(list[int], values)
    assert htypes.check_input_type(list[str], values)


# -- shared external inputs --------------------------------------------------------------------


@pytest.mark.parametrize("module", [tc_shared_narrowing, tc_shared_narrowing_first], ids=["base-first", "child-first"])
def test_shared_input_takes_the_narrower_type(module):
    dr = build(module)
    shared = {n.name: n for n in dr.list_available_variables()}["shared"]
    assert shared.is_external_input
    assert shared.type is Child
    consumers = [n.name for n in dr.list_available_variables() if not n.is_external_input]
    result = dr.execute(consumers, inputs={"shared": GrandChild()})
    assert result == dict.fromkeys(consumers, "GrandChild")


def test_shared_input_of_the_narrower_type_rejects_a_base_value():
    dr = build(tc_shared_narrowing)
    with pytest.raises(ValueError, match="Type requirement mismatch"):
        dr.execute(["a_wants_base"], inputs={"shared": Base()})


def test_shared_input_with_incompatible_types_is_rejected_at_build():
    with pytest.raises(ValueError, match="Two or more functions are requesting amount, but have incompatible types"):
        build(tc_shared_incompatible)


# -- runtime input validation ------------------------------------------------------------------

INPUT_NAMES = [
    "a_float",
    "an_int_list",
    "an_int_sequence",
    "a_literal",
    "a_union",
    "an_optional",
    "anything",
    "a_pair",
    "a_mapping",
]

ACCEPTED_INPUTS = [
    (float, 1.5),
    (list[int], [1, 2]),
    (list[int], ["not", "ints"]),
    (list[int], []),
    (Sequence[int], [1, "second is not checked"]),
    (Sequence[int], (1, 2)),
    (Sequence[int], []),
    (Iterable[int], [1, "second is not checked"]),
    (Iterable[str], {"a dict is judged by its first key": 1}),
    (set[int], {"elements of a set are not checked"}),
    (frozenset[int], frozenset({"not checked"})),
    (Literal["red", "green"], "red"),
    (Union[int, str], 3),
    (Union[int, str], "three"),
    (Optional[int], 3),
    (Any, object()),
    (Base, Child()),
    (bool, True),
    (int, True),
    (dict[str, int], {"not checked": "values"}),
]

REJECTED_INPUTS = [
    (float, 1),
    (int, 1.0),
    (str, b"bytes"),
    (list[int], ("first is checked", 2)),
    (list[int], 5),
    (Sequence[int], ["first is checked", 2]),
    (Sequence[int], {1, 2}),
    (set[int], ("first is checked", 2)),
    (Literal["red", "green"], "blue"),
    (Union[int, str], 1.5),
    (Optional[int], "3"),
    (Child, Base()),
    (dict[str, int], [("a", 1)]),
]


@pytest.mark.parametrize(("annotation", "value"), ACCEPTED_INPUTS, ids=repr)
def test_check_input_type_accepts(annotation, value):
    assert htypes.check_input_type(annotation, value)


@pytest.mark.parametrize(("annotation", "value"), REJECTED_INPUTS, ids=repr)
def test_check_input_type_rejects(annotation, value):
    assert not htypes.check_input_type(annotation, value)


@pytest.mark.parametrize(
    ("annotation", "value"),
    [(tuple[int, str], (1, "a")), (tuple, (1, 2)), (Mapping[str, int], {"a": 1})],
    ids=repr,
)
def test_check_input_type_accepts_valid_tuples_and_mappings(annotation, value):
    # Deliberate 2.0 behaviour: 1.x rejects these (a quirk).
    assert htypes.check_input_type(annotation, value)


FIRST_ELEMENT_CHECKS = [
    (list[int], (1, "only the first element is checked"), True),
    (set[int], [1, "only the first element is checked"], True),
    (set[int], (1,), True),
    (list[int], ("a", 1), False),
    (set[int], ["a", 1], False),
    (set[int], frozenset({"a"}), False),
    (Sequence[int], "ab", False),
    (Iterable[int], "ab", False),
]


@pytest.mark.parametrize(("annotation", "value", "expected"), FIRST_ELEMENT_CHECKS, ids=repr)
def test_check_input_type_judges_other_sequences_by_their_first_element(annotation, value, expected):
    assert htypes.check_input_type(annotation, value) is expected


def test_check_input_type_accepts_a_frozenset_of_the_element_type_for_a_set():
    assert htypes.check_input_type(set[int], frozenset({1}))


@pytest.mark.parametrize("name", INPUT_NAMES)
def test_none_is_accepted_for_every_input(name):
    dr = build(tc_input_annotations)
    output = _seen_node_for(dr, name)
    assert dr.execute([output], inputs={name: None}) == {output: None}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("a_float", 2.5),
        ("an_int_list", ["not", "ints"]),
        ("an_int_sequence", [1, "b"]),
        ("a_literal", "green"),
        ("a_union", "text"),
        ("a_union", 4),
        ("an_optional", 4),
        ("anything", object()),
    ],
    ids=repr,
)
def test_execute_accepts_valid_inputs(name, value):
    dr = build(tc_input_annotations)
    output = _seen_node_for(dr, name)
    assert dr.execute([output], inputs={name: value}) == {output: value}


@pytest.mark.parametrize(("name", "value"), [("a_pair", (1, "a")), ("a_mapping", {"a": 1})], ids=repr)
def test_execute_accepts_valid_tuple_and_mapping_inputs(name, value):
    # Deliberate 2.0 behaviour: 1.x rejects these (a quirk).
    dr = build(tc_input_annotations)
    output = _seen_node_for(dr, name)
    assert dr.execute([output], inputs={name: value}) == {output: value}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("a_float", 1),
        ("an_int_list", 5),
        ("an_int_sequence", ["a", 2]),
        ("a_literal", "blue"),
        ("a_union", 1.5),
        ("an_optional", "4"),
    ],
    ids=repr,
)
def test_execute_rejects_mistyped_inputs(name, value):
    dr = build(tc_input_annotations)
    with pytest.raises(
        ValueError, match=f"1 errors encountered: \n  Error: Type requirement mismatch. Expected {name}:"
    ):
        dr.execute([_seen_node_for(dr, name)], inputs={name: value})


def test_execute_reports_every_mistyped_input():
    dr = build(tc_input_annotations)
    with pytest.raises(ValueError, match="2 errors encountered") as error:
        dr.execute(["float_seen", "literal_seen"], inputs={"a_float": 1, "a_literal": "blue"})
    message = str(error.value)
    assert "Expected a_float:" in message
    assert "Expected a_literal:" in message


def test_mistyped_input_of_a_node_that_does_not_run_is_not_checked():
    dr = build(tc_input_annotations)
    assert dr.execute(["float_seen"], inputs={"a_float": 1.0, "a_literal": "blue"}) == {"float_seen": 1.0}


def _seen_node_for(dr, input_name):
    (node,) = [n for n in dr.list_available_variables() if n.required_dependencies == {input_name}]
    return node.name
