"""Hamilton 2 collects no telemetry. These 1.x functions remain as deprecated no-ops."""

from hamilton.deprecation import warn_deprecated


def disable_telemetry() -> None:
    """Does nothing: there is no telemetry to disable."""
    warn_deprecated(
        "hamilton.telemetry.disable_telemetry()", instead="Hamilton 2 collects no telemetry; remove the call."
    )


def is_telemetry_enabled() -> bool:
    """Always ``False``."""
    warn_deprecated(
        "hamilton.telemetry.is_telemetry_enabled()", instead="Hamilton 2 collects no telemetry; remove the call."
    )
    return False
