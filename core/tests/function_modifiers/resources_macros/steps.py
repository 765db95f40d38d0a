"""Step functions defined in their own module (step nodes carry this module's tag)."""


def add_one(x: int) -> int:
    """Adds one."""
    return x + 1


def scale(x: int, factor: int = 2) -> int:
    return x * factor


def to_text(x: int) -> str:
    return str(x)
