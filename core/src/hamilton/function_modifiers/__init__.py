"""Function modifiers: decorators that change which nodes a function defines.

See :mod:`hamilton.function_modifiers.base` for how they run, and each family's module:
``configuration`` (config.when...), ``expanders`` (parameterize, extract_columns...),
``macros`` (does, pipe...), ``recursive`` (subdag...), ``metadata`` (tag, schema, cache),
``delayed`` (resolve), ``dependencies`` (value, source, group, configuration), ``adapters``
(load_from, save_to, dataloader, datasaver).
"""

from hamilton.function_modifiers import (  # noqa: F401  (submodules, importable as in 1.x)
    adapters,
    base,
    configuration,
    delayed,
    dependencies,
    expanders,
    fallbacks,
    macros,
    metadata,
    recursive,
    validation,
)
from hamilton.function_modifiers.adapters import dataloader, datasaver, load_from, save_to
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.function_modifiers.configuration import config, hamilton_exclude
from hamilton.function_modifiers.delayed import ResolveAt, resolve, resolve_from_config
from hamilton.function_modifiers.dependencies import (
    GroupedDependency,
    LiteralDependency,
    ParametrizedDependency,
    UpstreamDependency,
    configuration,  # noqa: F811 - rebinds the name to the dependency helper, as 1.x does
    group,
    source,
    value,
)
from hamilton.function_modifiers.expanders import (
    ParameterizedExtract,
    extract_columns,
    extract_fields,
    inject,
    parameterize,
    parameterize_extract_columns,
    parameterize_sources,
    parameterize_values,
    parameterized_inputs,
    parametrized,
    parametrized_input,
    unpack_fields,
)
from hamilton.function_modifiers.fallbacks import fallback
from hamilton.function_modifiers.macros import (
    apply_to,
    does,
    dynamic_transform,  # deprecated, kept for 1.x
    model,  # deprecated, kept for 1.x
    mutate,
    pipe,
    pipe_input,
    pipe_output,
    step,
)
from hamilton.function_modifiers.metadata import cache, schema, tag, tag_outputs
from hamilton.function_modifiers.recursive import parameterized_subdag, subdag
from hamilton.function_modifiers.validation import check_output, check_output_custom

# Tags of the validator nodes check_output and check_output_custom add.
IS_DATA_VALIDATOR_TAG = "hamilton.data_quality.contains_dq_results"
DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG = "hamilton.data_quality.source_node"

__all__ = [
    "DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG",
    "IS_DATA_VALIDATOR_TAG",
    "GroupedDependency",
    "InvalidDecoratorException",
    "LiteralDependency",
    "ParameterizedExtract",
    "ParametrizedDependency",
    "ResolveAt",
    "UpstreamDependency",
    "apply_to",
    "cache",
    "check_output",
    "check_output_custom",
    "config",
    "configuration",
    "dataloader",
    "datasaver",
    "does",
    "dynamic_transform",
    "extract_columns",
    "extract_fields",
    "fallback",
    "group",
    "hamilton_exclude",
    "inject",
    "load_from",
    "model",
    "mutate",
    "parameterize",
    "parameterize_extract_columns",
    "parameterize_sources",
    "parameterize_values",
    "parameterized_inputs",
    "parameterized_subdag",
    "parametrized",
    "parametrized_input",
    "pipe",
    "pipe_input",
    "pipe_output",
    "resolve",
    "resolve_from_config",
    "save_to",
    "schema",
    "source",
    "step",
    "subdag",
    "tag",
    "tag_outputs",
    "unpack_fields",
    "value",
]
