"""Scenario: gt_version_original's node with other layout, comments and docstring."""


def measure(
    x: int,
) -> int:
    """Another docstring,
    on two lines."""
    # a new comment
    y = x + 1
    return y * 2  # trailing comment
