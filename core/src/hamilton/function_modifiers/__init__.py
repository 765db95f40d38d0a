"""Function modifiers: decorators that change which nodes a function defines.

See :mod:`hamilton.function_modifiers.base` for how they run, and each family's module:
``configuration`` (config.when...), ``expanders`` (parameterize, extract_columns...),
``macros`` (does, pipe...), ``recursive`` (subdag...), ``metadata`` (tag, schema...),
``delayed`` (resolve), ``dependencies`` (value, source, group, configuration).
"""

from hamilton.function_modifiers import base, configuration  # noqa: F401  (submodules, as in 1.x)
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.function_modifiers.configuration import config, hamilton_exclude
from hamilton.function_modifiers.dependencies import (
    GroupedDependency,
    LiteralDependency,
    ParametrizedDependency,
    UpstreamDependency,
    configuration,  # rebinds the name to the dependency helper, as 1.x does
    group,
    source,
    value,
)

__all__ = [
    "GroupedDependency",
    "InvalidDecoratorException",
    "LiteralDependency",
    "ParametrizedDependency",
    "UpstreamDependency",
    "config",
    "configuration",
    "group",
    "hamilton_exclude",
    "source",
    "value",
]
