"""Scenario: config values satisfy dependencies and override a function of the same name."""


def region_label(region: str) -> str:
    return f"region={region}"


def threshold() -> int:
    raise AssertionError("the config value named threshold must replace this function")


def above_threshold(threshold: int, value: int) -> bool:
    return value > threshold
