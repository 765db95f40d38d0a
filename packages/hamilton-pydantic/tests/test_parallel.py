"""The items of a parallel block are each checked against the model.

Only the thread executor: core's validator nodes are local closures, which a process pool cannot
pickle (as in 1.x, for every @check_output validator); the validator itself pickles (see
test_a_validator_survives_pickling).
"""

import pickle

import pydantic_nodes_parallel
import pytest

from hamilton import driver
from hamilton.data_quality.base import DataValidationError


@pytest.fixture(params=["threads", "synchronous"])
def dr(request):
    return (
        driver.Builder()
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_modules(pydantic_nodes_parallel)
        .with_remote_executor(request.param)
        .build()
    )


def test_valid_items_pass_in_the_workers(dr):
    payloads = [{"sku": f"s{n}", "quantity": n} for n in range(4)]
    assert dr.execute(["items"], inputs={"payloads": payloads})["items"] == payloads


def test_an_invalid_item_fails_the_run_naming_the_node(dr):
    payloads = [{"sku": "a", "quantity": 1}, {"sku": "b", "quantity": "2"}]
    with pytest.raises(DataValidationError, match=r"\[item:pydantic_validator\].*quantity"):
        dr.execute(["items"], inputs={"payloads": payloads})


def test_a_validator_survives_pickling():
    from hamilton.plugins.pydantic_extensions import PydanticModelValidator

    validator = pickle.loads(pickle.dumps(PydanticModelValidator(pydantic_nodes_parallel.Item, importance="fail")))
    assert validator.validate({"sku": "a", "quantity": 1}).passes
    assert not validator.validate({"sku": "a", "quantity": "1"}).passes
    assert validator.importance.value == "fail"
