"""Converting requested outputs (names, nodes or functions) to node names (1.x helpers)."""

from __future__ import annotations

import types

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Any


def convert_output_value(
    output_value: Any, module_set: Collection[str], given_to: str = "materializer"
) -> tuple[str | None, str | None]:
    """``(name, None)`` for a valid output, ``(None, error)`` otherwise (``given_to`` names the
    receiver of the modules in the message: a materializer, as in 1.x, or the driver)."""
    if isinstance(output_value, str):
        return output_value, None
    if isinstance(output_value, types.FunctionType):
        if output_value.__module__ in module_set:
            return output_value.__name__, None
        return None, (
            f"Function {output_value.__module__}.{output_value.__name__} is a function not "
            f"in a module given to the {given_to}. Valid choices are {set(module_set)}."
        )
    name = getattr(output_value, "name", None)
    if isinstance(name, str):
        return name, None
    if given_to == "materializer":  # 1.x's wording
        return None, f"Materializer dependency {output_value!r} is not a string, a function, or a driver.Variable."
    return None, f"{output_value!r} is not a node name, a node or a function of the dataflow."


def convert_output_values(
    output_values: Collection[Any], module_set: Collection[str], given_to: str = "driver"
) -> list[str]:
    """Names of ``output_values``; raises ``ValueError`` listing every invalid one."""
    names, errors = [], []
    for value in output_values:
        if type(value) is str:  # the common case, kept cheap for requests of many outputs
            names.append(value)
            continue
        name, error = convert_output_value(value, module_set, given_to)
        if error is not None:
            errors.append(error)
        else:
            names.append(name)
    if errors:
        raise ValueError(f"{len(errors)} errors encountered:\n  " + "\n  ".join(sorted(errors)))
    return names
