"""The ``pydantic`` plugin: found through its entry point when needed, registered by hand when
imported by hand with automatic loading off (1.x's way), inactive without pydantic, and never
loaded by a dataflow that does not use it. Each test runs in a fresh interpreter."""

from hamilton.plugins.testing import IntegrationContract

# What every script starts with: a dataflow of one dict node checked against a model.
_FLOW = """
import json, sys
from pydantic import BaseModel
from hamilton import ad_hoc_utils, driver
from hamilton.function_modifiers import check_output

class Point(BaseModel):
    x: float

@check_output(model=Point, importance="fail")
def point() -> dict:
    return {"x": "not a number"}

def build():
    return driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(point)).build()

def outcome():
    try:
        build().execute(["point"])
    except Exception as error:
        return type(error).__name__ + ": " + str(error)
    return "passed"
"""

_PLUGINS = """
from hamilton import plugins
listed = {info.name: [info.status, info.reason] for info in plugins.list_plugins()}
"""


def test_the_entry_point_loads_when_check_output_asks_for_model(run_fresh):
    out = run_fresh(
        _FLOW
        + """
before = "hamilton.plugins.pydantic_extensions" in sys.modules
result = outcome()
"""
        + _PLUGINS
        + """
print(json.dumps({"before": before, "result": result, "listed": listed}))
"""
    )
    assert out["before"] is False  # decorating imports nothing of the plugin
    assert out["result"].startswith("DataValidationError: ")
    assert "[point:pydantic_validator]" in out["result"]
    assert out["listed"]["pydantic"] == ["loaded", None]
    assert "hamilton.plugins.pydantic_extensions" not in out["listed"]  # not registered a second time


def test_importing_by_hand_registers_it_when_automatic_loading_is_off(run_fresh):
    out = run_fresh(
        _FLOW
        + """
without = outcome()
import hamilton.plugins.pydantic_extensions
with_it = outcome()
print(json.dumps({"without": without, "with": with_it}))
""",
        HAMILTON_AUTOLOAD_EXTENSIONS="0",
    )
    assert out["without"].startswith("ValueError: Could not resolve validators")
    assert "function [point]" in out["without"]
    assert out["with"].startswith("DataValidationError: ")


def test_register_validators_is_idempotent(run_fresh):
    out = run_fresh(
        _FLOW
        + """
from hamilton.plugins import pydantic_extensions
pydantic_extensions.register_validators()
pydantic_extensions.register_validators()
result = outcome()
"""
        + _PLUGINS
        + """
print(json.dumps({"result": result, "listed": listed}))
""",
        HAMILTON_PLUGINS_DENY="*",
    )
    assert out["result"].startswith("DataValidationError: ")
    assert out["listed"]["hamilton.plugins.pydantic_extensions"][0] == "registered"


def test_h_pydantic_needs_no_plugin_loading(run_fresh):
    out = run_fresh(
        """
import json
from pydantic import BaseModel
from hamilton import ad_hoc_utils, driver
from hamilton.plugins import h_pydantic

class Point(BaseModel):
    x: float

@h_pydantic.check_output(importance="fail")
def point() -> Point:
    return {"x": "1"}

dr = driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(point)).build()
try:
    dr.execute(["point"])
    result = "passed"
except Exception as error:
    result = type(error).__name__
print(json.dumps(result))
""",
        HAMILTON_PLUGINS_DENY="*",
    )
    assert out == "DataValidationError"


def test_a_dataflow_without_pydantic_models_loads_neither_pydantic_nor_the_plugin(run_fresh):
    out = run_fresh(
        """
import json, sys
from hamilton import ad_hoc_utils, driver
from hamilton.function_modifiers import check_output

@check_output(range=(0, 10), importance="fail")
def count(n: int) -> int:
    return n + 1

dr = driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(count)).build()
dr.execute(["count"], inputs={"n": 1})
print(json.dumps(sorted(m for m in sys.modules if "pydantic" in m)))
"""
    )
    assert out == []


class TestPydanticIntegration(IntegrationContract):
    library = "pydantic"
    extra = "pydantic"
    modules = ("hamilton.plugins.pydantic_extensions", "hamilton.plugins.h_pydantic")
    entry_point = "pydantic"
