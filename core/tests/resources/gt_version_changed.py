"""Scenario: gt_version_original's node with a change to its code."""


def measure(x: int) -> int:
    """Doubles the successor."""
    y = x + 2  # a comment
    return y * 2
