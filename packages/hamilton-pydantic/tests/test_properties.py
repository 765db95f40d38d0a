"""Properties over varied results: a run passes exactly when the result is valid for the model in
pydantic's strict mode, the failing fields are the ones reported, and results are never changed."""

import math
from typing import Any, Optional

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from hamilton import ad_hoc_utils, driver
from hamilton.data_quality.base import DataValidationError
from hamilton.function_modifiers import check_output
from hamilton.plugins import h_pydantic


class Owner(BaseModel):
    name: str


class Record(BaseModel):
    id: int
    name: str
    score: float
    tags: list[str]
    owner: Owner
    note: Optional[str] = None  # noqa: UP045 (as 1.x code writes it)


REQUIRED = ("id", "name", "score", "tags", "owner")


@check_output(model=Record, importance="fail")
def record(payload: Any) -> dict:
    return payload


@h_pydantic.check_output(importance="warn")
def record_as_model(payload: Any) -> Record:
    return payload  # type: ignore[return-value]


DR = driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(record, record_as_model)).build()

_ints = st.integers(min_value=-(2**63), max_value=2**63)
_scalars = st.one_of(
    st.none(), st.booleans(), _ints, st.floats(allow_nan=True), st.text(max_size=5), st.binary(max_size=3)
)
_values = st.one_of(
    _scalars,
    st.lists(st.one_of(st.text(max_size=3), _ints), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.fixed_dictionaries({"name": _scalars}),
    st.builds(Owner, name=st.text(max_size=5)),
)
_good = {
    "id": _ints,
    "name": st.text(max_size=8),
    "score": st.one_of(_ints, st.floats(allow_nan=True)),
    "tags": st.lists(st.text(max_size=4), max_size=3),
    "owner": st.one_of(st.fixed_dictionaries({"name": st.text(max_size=5)}), st.builds(Owner, name=st.text())),
    "note": st.one_of(st.none(), st.text(max_size=5)),
}


@st.composite
def payloads(draw: Any) -> dict:
    """Each field: absent, a valid value, or anything at all."""
    payload = {}
    for field, good in _good.items():
        choice = draw(st.sampled_from(["good", "any", "absent"]))
        if choice == "good":
            payload[field] = draw(good)
        elif choice == "any":
            payload[field] = draw(_values)
    return payload


def _strictly_valid(field: str, value: Any) -> bool:
    """Pydantic's strict mode, field by field (the oracle)."""
    if field == "id":
        return type(value) is int
    if field == "name":
        return type(value) is str
    if field == "score":
        return type(value) in (int, float)
    if field == "tags":
        return type(value) is list and all(type(tag) is str for tag in value)
    if field == "owner":
        return isinstance(value, Owner) or (type(value) is dict and type(value.get("name")) is str)
    if field == "note":
        return value is None or type(value) is str
    raise AssertionError(field)


def _invalid_fields(payload: dict) -> set[str]:
    missing = {field for field in REQUIRED if field not in payload}
    known = {field: value for field, value in payload.items() if field in _good}  # extra keys are ignored
    return missing | {field for field, value in known.items() if not _strictly_valid(field, value)}


def _same(a: Any, b: Any) -> bool:
    return a is b or a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


# Valid payloads: every field good (``note`` may be absent), sometimes with an extra key.
_valid_payloads = st.builds(
    lambda fields, keep_note, extra: {
        **{k: v for k, v in fields.items() if k != "note" or keep_note},
        **extra,
    },
    st.fixed_dictionaries(_good),
    st.booleans(),
    st.dictionaries(st.sampled_from(["extra", "more"]), _scalars, max_size=1),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(payload=st.one_of(payloads(), _valid_payloads))
def test_a_run_passes_exactly_when_the_result_is_strictly_valid(payload):
    expected_bad = _invalid_fields(payload)
    event("valid" if not expected_bad else "invalid")
    outcome = DR.execute(["record_pydantic_validator"], inputs={"payload": payload})["record_pydantic_validator"]
    assert outcome.passes is (not expected_bad)
    if expected_bad:
        reported = {error["loc"][0] for error in outcome.diagnostics["model_errors"]}
        assert reported == expected_bad
        try:
            DR.execute(["record"], inputs={"payload": payload})
        except DataValidationError as error:
            (message,) = error.args[0]
            assert message.startswith("[record:pydantic_validator] validator failed")
            assert "for Record" in message
        else:
            raise AssertionError("an invalid result passed a 'fail' check")
    else:
        result = DR.execute(["record"], inputs={"payload": payload})["record"]
        assert result is payload  # passed on as it is, never converted


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(payload=payloads())
def test_warn_never_stops_the_run_nor_changes_the_result(payload):
    result = DR.execute(["record_as_model"], inputs={"payload": payload})["record_as_model"]
    assert result is payload


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    record_value=st.builds(
        Record,
        id=_ints,
        name=st.text(),
        score=st.floats(allow_nan=True),
        tags=st.lists(st.text()),
        owner=st.builds(Owner, name=st.text()),
        note=st.one_of(st.none(), st.text()),
    )
)
def test_every_model_instance_and_its_dump_pass(record_value):
    for value in (record_value, record_value.model_dump()):
        outcome = DR.execute(["record_pydantic_validator"], inputs={"payload": value})
        assert outcome["record_pydantic_validator"].passes
    assert _same(DR.execute(["record"], inputs={"payload": record_value})["record"], record_value)
