"""A function of another module: mutate may not target it from resources_macros.mutations."""


def remote(raw: int) -> int:
    return raw
