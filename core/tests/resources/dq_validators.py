"""Custom data validators shared by the data-quality and check_output tests."""

from hamilton.data_quality import base


class AlwaysFails(base.DataValidator):
    """Fails on every value, reporting the value it saw (in the message and diagnostics)."""

    def applies_to(self, datatype):
        return True

    def description(self):
        return "always fails"

    @classmethod
    def name(cls):
        return "always_fails"

    def validate(self, dataset):
        return base.ValidationResult(False, f"bad {dataset}", {"seen": dataset})


class AsyncPasses(base.AsyncDataValidator):
    """An async validator that always passes."""

    def applies_to(self, datatype):
        return True

    def description(self):
        return "async"

    @classmethod
    def name(cls):
        return "async_passes"

    async def validate(self, dataset):
        return base.ValidationResult(True, "fine")
