"""Scenario: a small dataflow for exercising Driver and Builder requests.

seed -> base_value -> doubled -> labelled (+ prefix), with_bonus (+ optional bonus);
seed -> seed_squared; region (config) -> region_note; constant stands alone.
"""


def base_value(seed: int) -> int:
    return seed + 1


def seed_squared(seed: int) -> int:
    return seed * seed


def doubled(base_value: int) -> int:
    return base_value * 2


def labelled(doubled: int, prefix: str) -> str:
    return f"{prefix}{doubled}"


def with_bonus(doubled: int, bonus: int = 0) -> int:
    return doubled + bonus


def constant() -> str:
    return "constant"


def region_note(region: str) -> str:
    return f"in {region}"
