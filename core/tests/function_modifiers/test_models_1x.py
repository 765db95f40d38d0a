"""@dynamic_transform / @model and hamilton.models (deprecated, kept for 1.x; checked on 1.90.0).

1.90.0 could not build a Driver with either decorator (its config filtering hid the key it
needs); here they build and run, which is what its docs describe.
"""

import pytest

from hamilton import ad_hoc_utils, driver, function_modifiers, models
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.function_modifiers.base import InvalidDecoratorException, MissingConfigParametersException
from hamilton.function_modifiers.macros import dynamic_transform, model
from hamilton.node import DependencyType


class Shift(models.DynamicTransformBase):
    """Adds ``config_parameters["by"]`` to the node named in ``config_parameters["of"]``."""

    def __init__(self, config_parameters: dict, name: str, scale: int = 1):
        super().__init__(config_parameters, name)
        self.scale = scale

    def get_dependents(self) -> list[str]:
        return [self.config_parameters["of"]]

    def compute(self, **inputs):
        return (inputs[self.config_parameters["of"]] + self.config_parameters["by"]) * self.scale


class Weighted(models.BaseModel):
    """A weighted sum of the columns named by the config's keys."""

    def get_dependents(self) -> list[str]:
        return list(self.config_parameters)

    def predict(self, **columns):
        return sum(self.config_parameters[name] * column for name, column in columns.items())


def test_both_decorators_are_exported_as_in_1x():
    assert function_modifiers.model is model
    assert function_modifiers.dynamic_transform is dynamic_transform
    assert issubclass(model, dynamic_transform)
    assert issubclass(models.BaseModel, models.DynamicTransformBase)


def test_transform_base_is_abstract_with_read_only_properties():
    with pytest.raises(TypeError):
        models.DynamicTransformBase({}, "x")
    transform = Shift({"of": "a", "by": 1}, name="out")
    assert (transform.config_parameters, transform.name) == ({"of": "a", "by": 1}, "out")
    with pytest.raises(AttributeError):
        transform.config_parameters = {}  # type: ignore[misc]


def test_base_model_computes_with_predict():
    assert Weighted({"a": 2}, "out").compute(a=3) == 6


def test_validate_refuses_bodies_parameters_and_non_series_returns():
    decorator = dynamic_transform(Shift, "shift")

    def has_body() -> int:
        return 1

    def has_parameters(x: int) -> int:
        pass

    def returns_int() -> int:
        pass

    for fn, message in [
        (has_body, "is not empty"),
        (has_parameters, "Models must have no parameters"),
        (returns_int, "Models must declare their return type as a pandas Series"),
    ]:
        with pytest.raises(InvalidDecoratorException, match=message):
            decorator.validate(fn)


def test_config_key_is_required_and_missing_key_is_explained():
    decorator = dynamic_transform(Shift, "shift")
    assert decorator.required_config() == decorator.require_config() == ["shift"]
    pd = pytest.importorskip("pandas")

    def out() -> pd.Series:
        pass

    with pytest.raises(InvalidDecoratorException, match="Configuration has no parameter: shift"):
        decorator.generate_nodes(out, {})


def _module_of(*fns):
    return ad_hoc_utils.create_temporary_module(*fns)


def test_dynamic_transform_node_and_driver_run():
    pd = pytest.importorskip("pandas")
    with pytest.warns(RemovedInHamilton3Warning, match="@dynamic_transform is deprecated.*@resolve"):

        @dynamic_transform(Shift, "shift", scale=10)
        def out() -> pd.Series:
            """Shifted."""

    (node_,) = dynamic_transform(Shift, "shift", scale=10).generate_nodes(out, {"shift": {"of": "a", "by": 1}})
    assert node_.name == "out"
    assert node_.type is pd.Series
    assert node_.documentation == "Shifted."
    assert node_.input_types == {"a": (pd.Series, DependencyType.REQUIRED)}

    dr = driver.Builder().with_modules(_module_of(out)).with_config({"shift": {"of": "a", "by": 1}}).build()
    result = dr.execute(["out"], inputs={"a": pd.Series([1, 2])})
    assert result["out"].tolist() == [20, 30]
    with pytest.raises(MissingConfigParametersException, match="shift"):
        driver.Builder().with_modules(_module_of(out)).build()


def test_model_runs_predict_over_series_dependencies():
    pd = pytest.importorskip("pandas")
    with pytest.warns(RemovedInHamilton3Warning, match="@model is deprecated"):

        @model(Weighted, "weights")
        def score() -> pd.Series:
            pass

    def a() -> pd.Series:
        return pd.Series([1.0, 2.0])

    dr = driver.Builder().with_modules(_module_of(score, a)).with_config({"weights": {"a": 0.5, "b": 2}}).build()
    assert dr.execute(["score"], inputs={"b": pd.Series([1.0, 1.0])})["score"].tolist() == [2.5, 3.0]
    external = {v.name for v in dr.list_available_variables() if v.is_external_input}
    assert "b" in external
    assert "a" not in external
