"""Scenario: a node whose code is later reformatted (gt_version_reformatted) or changed."""


def measure(x: int) -> int:
    """Doubles the successor."""
    y = x + 1  # a comment
    return y * 2
