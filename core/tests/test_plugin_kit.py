"""The contract-test kit, run against core's own implementations of each kind it covers."""

from hamilton import base, plugins
from hamilton.data_quality import default_validators
from hamilton.plugins import testing
from hamilton.plugins.core_plugin import SynchronousExecutor


class TestJsonRenderer(testing.RendererContract):
    def make_renderer(self):
        return plugins.renderer("json")


class TestSynchronousExecutor(testing.ExecutorContract):
    def make_executor(self):
        return SynchronousExecutor()


class TestThreadExecutor(testing.ExecutorContract):
    def make_executor(self):
        return plugins.executor("threads", max_workers=2)


class TestProcessExecutor(testing.ExecutorContract):
    def make_executor(self):
        return plugins.executor("processes", max_workers=2)


class TestDictResult(testing.ResultBuilderContract):
    def make_builder(self):
        return base.DictResult()


class TestBuiltinFingerprints(testing.FingerprinterContract):
    def make_values(self):
        return [1, "1", 1.0, True, (1,), [1], {"a": 1}, {1, 2}, None]

    def make_equal_pair(self):
        return [1, {"x": (2, 3)}], [1, {"x": (2, 3)}]


class TestRangeValidator(testing.ValidatorContract):
    def make_validator_class(self):
        return default_validators.DataInRangeValidatorPrimitives

    def argument(self):
        return (0, 10)

    def valid_value(self):
        return 5

    def invalid_value(self):
        return 50


class TestPrintLnAdapter(testing.AdapterContract):
    def make_adapter(self):
        from hamilton import lifecycle

        return lifecycle.PrintLn(print_fn=lambda line: None)
