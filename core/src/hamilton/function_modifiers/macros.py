"""Macros: decorators that replace a function's body or run it through extra steps.

* ``@does(other_fn)`` — the node keeps the (empty) function's name, signature and type, but
  computes ``other_fn``;
* ``@pipe_input(step(a), step(b, ...))`` — the function's first parameter (or ``on_input``)
  is first passed through ``a`` then ``b``, each a node of its own (``<fn>.with_a``...);
* ``@pipe_output(step(a), ...)`` — the function's result goes through the steps: the original
  node becomes ``<name>.raw`` and the last step is exposed under the original name;
* ``@mutate(target, ...)`` — the decorated function becomes a ``pipe_output`` step of each
  target function (of the same module); it is itself no node.

``step(fn, *args, **kwargs)`` (and ``apply_to(target, **kwargs)`` for ``mutate``) describe one
step: the first parameter of ``fn`` receives the chained value; other parameters are bound to
``source(...)`` nodes or ``value(...)``/raw literals; unbound parameters become inputs. Steps
can be conditioned on config (``.when(...)``), named (``.named(...)``) and, for outputs,
targeted (``.on_output(...)``).

``@dynamic_transform(cls, config_key)`` and ``@model(cls, config_key)`` (deprecated, kept for 1.x
compatibility) compute an empty function's node with a :mod:`hamilton.models` transform built
from a config value.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Collection, Sequence
from typing import Any, Union

from hamilton._assembly import MODIFIERS_ATTRIBUTE
from hamilton._introspect import NO_DEFAULT, describe_function, is_coroutine_function, read_signature
from hamilton.deprecation import warn_deprecated
from hamilton.function_modifiers.base import (
    EllipsisType,
    InvalidDecoratorException,
    NodeCreator,
    NodeInjector,
    NodeTransformer,
    TargetType,
)
from hamilton.function_modifiers.configuration import config, hamilton_exclude
from hamilton.function_modifiers.dependencies import (
    LiteralDependency,
    ParametrizedDependency,
    SingleDependency,
    UpstreamDependency,
)
from hamilton.node import DependencyType, Node, NodeType

NamespaceType = Union[str, EllipsisType, None]

_STRINGS_NOT_SUPPORTED = "Strings are not supported currently. Please provide function pointer."
_FLOW_NOT_SUPPORTED = "@flow() is not yet supported -- this is "


def get_default_tags(fn: Callable) -> dict[str, str]:
    """The tags every node derived from ``fn`` starts with: its module."""
    return {"module": fn.__module__}


# --------------------------------------------------------------------------------------------
# @does
# --------------------------------------------------------------------------------------------


def _empty_function() -> None:
    pass


def _empty_function_with_docstring() -> None:
    """Docstring for an empty function."""


def ensure_function_empty(fn: Callable) -> None:
    """Raise unless ``fn``'s body is only ``pass`` (or ``...``), optionally after a docstring."""
    code = getattr(fn, "__code__", None)
    empty_code = {_empty_function.__code__.co_code, _empty_function_with_docstring.__code__.co_code}
    # `return 1` compiles to the same bytecode as a docstring-only body: only its constants differ.
    constants = code.co_consts if code is not None else ()
    if constants and isinstance(constants[0], str):  # the docstring
        constants = constants[1:]
    if code is None or code.co_code not in empty_code or tuple(constants) != (None,):
        raise InvalidDecoratorException(
            f'Function: {getattr(fn, "__name__", fn)} is not empty. Must have only one line that consists of "pass". '
            f"{describe_function(fn)} is decorated with @does, which replaces its body: write `pass` "
            "(after an optional docstring) as its only statement."
        )


@functools.lru_cache(maxsize=4096)
def _signature(fn: Callable) -> Any:
    """``inspect.signature(fn)``, with string annotations evaluated when possible (memoized:
    every graph build binds each step's arguments again)."""
    import inspect

    try:
        return inspect.signature(fn, eval_str=True)
    except NameError:  # an annotation naming something undefined: show it as written
        return inspect.signature(fn)


def _not_keyword_friendly(fn: Callable) -> list[Any]:
    """Parameters of ``fn`` that cannot be passed by name (positional-only, *args, **kwargs)."""
    import inspect

    friendly = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p for p in _signature(fn).parameters.values() if p.kind not in friendly]


class does(NodeCreator):  # lower-case: 1.x's public name
    """Compute the decorated (empty) function's node with ``replacing_function`` instead.

    The node keeps the decorated function's name, parameters, defaults, type and docstring.
    Each parameter is passed to ``replacing_function`` under the same name, unless
    ``argument_mapping`` maps a ``replacing_function`` parameter to it::

        def _sum(**values: int) -> int:
            return sum(values.values())

        @does(_sum)
        def total(a: int, b: int) -> int:
            pass

        @does(_add, x="a", y="b")  # _add(x=a, y=b)
        def added(a: int, b: int) -> int:
            pass

    :param replacing_function: computes the node; must accept every (mapped) parameter by name.
    :param argument_mapping: ``replacing_function`` parameter -> decorated function parameter.
    """

    def __init__(self, replacing_function: Callable, **argument_mapping: str):
        self.replacing_function = replacing_function
        self.argument_mapping = argument_mapping

    @staticmethod
    def map_kwargs(kwargs: dict[str, Any], argument_mapping: dict[str, str]) -> dict[str, Any]:
        """``kwargs`` of the decorated function, renamed for the replacing function."""
        renamed = {decorated: replacing for replacing, decorated in argument_mapping.items()}
        return {renamed.get(name, name): value for name, value in kwargs.items()}

    @staticmethod
    def test_function_signatures_compatible(
        fn_signature: Any, replace_with_signature: Any, argument_mapping: dict[str, str]
    ) -> bool:
        """Whether the replacing function accepts every (mapped) decorated parameter by name."""
        arguments = does.map_kwargs(dict.fromkeys(fn_signature.parameters), argument_mapping)
        try:
            replace_with_signature.bind(**arguments)
        except TypeError:
            return False
        return True

    @staticmethod
    def ensure_function_signature_compatible(
        og_function: Callable, replacing_function: Callable, argument_mapping: dict[str, str]
    ) -> None:
        """Raise unless ``replacing_function`` can be called with ``og_function``'s parameters."""
        fn_signature = _signature(og_function)
        try:
            replacing_signature = _signature(replacing_function)
        except (TypeError, ValueError):  # some builtins have no introspectable signature
            replacing_signature = None
        if replacing_signature is None or not does.test_function_signatures_compatible(
            fn_signature, replacing_signature, argument_mapping
        ):
            raise InvalidDecoratorException(
                "The following function signatures are not compatible for use with @does: "
                f"{og_function.__name__} with signature {fn_signature} and replacing function "
                f"{getattr(replacing_function, '__name__', replacing_function)} with signature "
                f"{replacing_signature}. Mapping for arguments provided was: {argument_mapping}. "
                "You can fix this by either adjusting the signature for the replacing function *or* "
                f"adjusting the mapping. (decorated function: {describe_function(og_function)})"
            )

    def validate(self, fn: Callable) -> None:
        if not callable(self.replacing_function):
            raise TypeError(
                f"{self.replacing_function!r} is not a callable object. @does needs the function that "
                f"computes {describe_function(fn)}."
            )
        ensure_function_empty(fn)
        unfriendly = _not_keyword_friendly(fn)
        if unfriendly:
            raise InvalidDecoratorException(
                "Decorated function for @does (and really, all of hamilton), can only consist of "
                f"keyword-friendly arguments. The following parameters for {fn.__name__} are not "
                f"keyword-friendly: {[p.name for p in unfriendly]}. Remove the `/`, *args or **kwargs "
                f"from {describe_function(fn)}."
            )
        parameters = [name for name, *_ in read_signature(fn)[0]]
        for replacing_name, decorated_name in self.argument_mapping.items():
            if not isinstance(decorated_name, str) or decorated_name not in parameters:
                raise InvalidDecoratorException(
                    f"@does argument mapping {replacing_name}={decorated_name!r} must name a parameter of "
                    f"{describe_function(fn)}; its parameters are {parameters}. Map each parameter of the "
                    "replacing function to one parameter (a string) of the decorated function."
                )
        does.ensure_function_signature_compatible(fn, self.replacing_function, self.argument_mapping)

    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        node_ = Node.from_fn(fn)
        replacing = self.replacing_function
        mapping = self.argument_mapping
        defaults = dict(node_.default_parameter_values)

        if is_coroutine_function(replacing):

            async def call_replacing_async(**kwargs: Any) -> Any:
                return await replacing(**does.map_kwargs({**defaults, **kwargs}, mapping))

            return [node_.copy_with(callabl=call_replacing_async)]

        def call_replacing(**kwargs: Any) -> Any:
            return replacing(**does.map_kwargs({**defaults, **kwargs}, mapping))

        return [node_.copy_with(callabl=call_replacing)]


# --------------------------------------------------------------------------------------------
# @dynamic_transform / @model (deprecated)
# --------------------------------------------------------------------------------------------


def _is_pandas_series(type_: Any) -> bool:
    """Whether ``type_`` is ``pandas.Series`` or a subclass, without importing pandas."""
    return isinstance(type_, type) and any(
        klass.__name__ == "Series" and klass.__module__.split(".")[0] == "pandas" for klass in type_.__mro__
    )


class dynamic_transform(NodeCreator):  # lower-case: 1.x's public name
    """Compute an empty function's node with a transform built from a config value (deprecated).

    Kept for 1.x compatibility: ``@resolve`` builds any decorator from config instead. At graph
    build, ``transform_cls(config[config_param], name=<function name>, **extra_transform_params)``
    is created; the node depends on the nodes its ``get_dependents()`` names (each typed as the
    function's return type) and is computed by its ``compute(**dependencies)``. The function must
    be empty, take no parameters and return a pandas Series; ``config_param`` is required config.

    :param transform_cls: a :class:`hamilton.models.DynamicTransformBase` subclass.
    :param config_param: the config key whose value configures the transform.
    :param extra_transform_params: extra keyword arguments for ``transform_cls``.
    """

    def __init__(self, transform_cls: type, config_param: str, **extra_transform_params: Any):
        self.transform_cls = transform_cls
        self.config_param = config_param
        self.extra_transform_params = extra_transform_params

    def __call__(self, fn: Callable) -> Callable:
        warn_deprecated(
            f"@{type(self).__name__}",
            instead="Use @resolve to build the decorators a function needs from config.",
        )
        return super().__call__(fn)

    def validate(self, fn: Callable) -> None:
        ensure_function_empty(fn)
        parameters, return_type = read_signature(fn)
        if parameters:
            raise InvalidDecoratorException(
                "Models must have no parameters -- all are passed in through the config. "
                f"Remove the parameters of {describe_function(fn)}: its transform names its dependencies."
            )
        if not _is_pandas_series(return_type):
            raise InvalidDecoratorException(
                "Models must declare their return type as a pandas Series. "
                f"{describe_function(fn)} returns {return_type!r}."
            )

    def required_config(self) -> list[str]:
        return [self.config_param]

    def require_config(self) -> list[str]:
        """The config keys this decorator needs (1.x's name for :meth:`required_config`)."""
        return self.required_config()

    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        if self.config_param not in config:
            raise InvalidDecoratorException(
                f"Configuration has no parameter: {self.config_param}. Did you define it? If so did you "
                f"spell it right? ({describe_function(fn)} is decorated with @{type(self).__name__}.)"
            )
        transform = self.transform_cls(config[self.config_param], name=fn.__name__, **self.extra_transform_params)
        node_ = Node.from_fn(fn)
        dependency = (node_.type, DependencyType.REQUIRED)
        input_types = dict.fromkeys(transform.get_dependents(), dependency)
        return [node_.copy_with(callabl=transform.compute, input_types=input_types)]


class model(dynamic_transform):  # lower-case: 1.x's public name
    """A :class:`dynamic_transform` whose class is a :class:`hamilton.models.BaseModel` (deprecated).

    :param model_cls: a :class:`hamilton.models.BaseModel` subclass; its ``predict`` computes the node.
    :param config_param: the config key whose value configures the model.
    :param extra_model_params: extra keyword arguments for ``model_cls``.
    """

    def __init__(self, model_cls: type, config_param: str, **extra_model_params: Any):
        super().__init__(model_cls, config_param, **extra_model_params)


# --------------------------------------------------------------------------------------------
# step / Applicable
# --------------------------------------------------------------------------------------------


_CHAINED: Any = object()  # stands for the chained node in memoized bindings


class Applicable:
    """One step of a ``pipe_input``/``pipe_output``/``mutate``: a function and its arguments.

    Build it with :func:`step` (or :func:`apply_to` for ``mutate``); every method returns a new
    ``Applicable``.

    :param fn: the step function (``None`` for an ``apply_to`` target spec).
    :param args: positional arguments, bound after the chained first parameter.
    :param kwargs: keyword arguments: ``source(...)``, ``value(...)`` or literals.
    :param target_fn: the function ``mutate`` applies the step to (``apply_to``).
    """

    def __init__(
        self,
        fn: Callable | str | None,
        args: tuple[Any | SingleDependency, ...],
        kwargs: dict[str, Any | SingleDependency],
        target_fn: Callable | str | None = None,
        _resolvers: list[config] | None = None,
        _name: str | None = None,
        _namespace: NamespaceType = ...,
        _target: TargetType = None,
    ):
        if isinstance(fn, str) or isinstance(target_fn, str):
            raise TypeError(_STRINGS_NOT_SUPPORTED)
        self.fn = fn
        self.args = tuple(args)
        self.kwargs = dict(kwargs)
        self.target_fn = target_fn
        self.resolvers = list(_resolvers or [])
        self.name = _name
        self.namespace = _namespace
        self.target = _target

    def __repr__(self) -> str:
        arguments = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        what = getattr(self.fn, "__name__", None) or f"apply_to {getattr(self.target_fn, '__name__', None)}"
        return f"step({', '.join([what, *arguments])})"

    def _replace(self, **changes: Any) -> Applicable:
        new = copy.copy(self)
        new.__dict__.pop("_bindings", None)  # bindings are memoized per instance
        new.resolvers = list(self.resolvers)
        for attribute, value_ in changes.items():
            setattr(new, attribute, value_)
        return new

    # -- configuration ----------------------------------------------------------------------
    def when(self, **key_value_pairs: Any) -> Applicable:
        """Apply the step only when ``config[key] == value`` for every pair."""
        return self._replace(resolvers=self.resolvers + [config.when(**key_value_pairs)])

    def when_not(self, **key_value_pairs: Any) -> Applicable:
        """Apply the step only when ``config[key] != value`` for every pair."""
        return self._replace(resolvers=self.resolvers + [config.when_not(**key_value_pairs)])

    def when_in(self, **key_value_group_pairs: list) -> Applicable:
        """Apply the step only when ``config[key]`` is one of the values, for every pair."""
        return self._replace(resolvers=self.resolvers + [config.when_in(**key_value_group_pairs)])

    def when_not_in(self, **key_value_group_pairs: list) -> Applicable:
        """Apply the step only when ``config[key]`` is none of the values, for every pair."""
        return self._replace(resolvers=self.resolvers + [config.when_not_in(**key_value_group_pairs)])

    def resolves(self, config: dict[str, Any]) -> bool:
        """Whether every ``when*`` condition holds for ``config``."""
        return not self.resolvers or all(resolver.does_resolve(config) for resolver in self.resolvers)

    def get_config_elements(self) -> list[str]:
        """The config keys the ``when*`` conditions read (they become optional config)."""
        return [key for resolver in self.resolvers for key in resolver.optional_config() or {}]

    # -- naming and targets -----------------------------------------------------------------
    def namespaced(self, namespace: NamespaceType) -> Applicable:
        """Set the namespace: a string, ``None`` (none) or ``...`` (the decorator's default)."""
        return self._replace(namespace=namespace)

    def named(self, name: str, namespace: NamespaceType = ...) -> Applicable:
        """Name the step's node ``name`` (instead of ``with_<fn>``); ``namespace=...`` keeps it."""
        return self._replace(name=name, namespace=self.namespace if namespace is ... else namespace)

    def on_output(self, target: TargetType) -> Applicable:
        """For ``pipe_output``/``mutate``: apply the step to these output nodes only."""
        return self._replace(target=target)

    def resolve_namespace(self, default_namespace: str) -> tuple[str, ...]:
        """The namespace as a tuple: ``...`` -> ``(default_namespace,)``, ``None`` -> ``()``."""
        if self.namespace is ...:
            return (default_namespace,)
        return () if self.namespace is None else (self.namespace,)

    # -- validation and binding -------------------------------------------------------------
    def _bound_arguments(self, chained: bool, placeholder: Any = None) -> Any:
        """``inspect.BoundArguments`` for the chained value (first parameter) plus args/kwargs."""
        import inspect

        signature = _signature(self.fn)
        if not chained:
            return signature.bind_partial(*self.args, **self.kwargs)
        first = next(iter(signature.parameters.values()))
        if first.kind is inspect.Parameter.KEYWORD_ONLY:
            return signature.bind_partial(*self.args, **{first.name: placeholder}, **self.kwargs)
        return signature.bind_partial(placeholder, *self.args, **self.kwargs)

    def validate(self, chain_first_param: bool, allow_custom_namespace: bool) -> None:
        """Raise :class:`InvalidDecoratorException` unless the step can become a node.

        :param chain_first_param: whether the first parameter receives the chained value.
        :param allow_custom_namespace: whether the step may set its own namespace.
        """
        fn = self.fn
        if not callable(fn):
            raise InvalidDecoratorException(f"A step needs a function to apply, got {fn!r}. Use step(fn, ...).")
        name = getattr(fn, "__name__", repr(fn))
        parameters, return_type = read_signature(fn)
        if chain_first_param and not parameters:
            raise InvalidDecoratorException(
                f"Function: {name} has no parameters. You cannot apply a function with no parameters. "
                f"The first parameter of {describe_function(fn)} receives the value being piped."
            )
        unfriendly = _not_keyword_friendly(fn)
        if unfriendly:
            raise InvalidDecoratorException(
                f"Function: {name} has invalid parameters. You cannot apply a function with parameters "
                "that are not keyword-friendly. The following parameters are not keyword-friendly: "
                f"{unfriendly}. Remove the `/`, *args or **kwargs from {describe_function(fn)}, or wrap it."
            )
        prefix = f"Function: {name} cannot be applied with the following args: {self.args} and the following kwargs: {self.kwargs}"
        if return_type is NO_DEFAULT or any(annotation is NO_DEFAULT for _, annotation, _, _ in parameters):
            raise InvalidDecoratorException(
                f"{prefix}. See documentation on pipe(), the function shapes are currently restrictive to "
                "anything with named kwargs (either kwarg-only or positional/kwarg arguments), and must be "
                "typed. If you need functions that don't have these requirements, please reach out to the "
                "Hamilton team.Current workarounds are to define a wrapper function that assigns types with "
                f"the proper keyword-friendly arguments. Annotate every parameter and the return of {describe_function(fn)}."
            )
        try:
            self._bound_arguments(chain_first_param)
        except TypeError as error:
            hint = " (the first parameter receives the piped value: do not pass it)" if chain_first_param else ""
            raise InvalidDecoratorException(f"{prefix}: {error}{hint}. ({describe_function(fn)})") from error
        for argument in (*self.args, *self.kwargs.values()):
            if isinstance(argument, ParametrizedDependency) and not isinstance(
                argument, (LiteralDependency, UpstreamDependency)
            ):
                raise InvalidDecoratorException(
                    f"Step {self!r}: arguments must be source(...), value(...) or plain values, got "
                    f"{argument!r}; group() and configuration() are not supported in steps."
                )
        if not allow_custom_namespace and self.namespace is not ...:
            raise InvalidDecoratorException(
                "Currently, setting namespace globally inside pipe(...)/flow(...) is not compatible with "
                f"setting namespace for a step(...) call. Step {self!r} sets namespace={self.namespace!r}: "
                "drop one of the two."
            )

    def bind_function_args(self, current_param: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(upstream, literals)``: parameter -> node name, and parameter -> bound value.

        :param current_param: the node feeding the first parameter (``None``: not chaining).
        """
        # Binding goes through inspect (slow) and every graph build binds every step again, so
        # the binding is memoized with a placeholder for the chained node.
        chained = current_param is not None
        bindings = self.__dict__.setdefault("_bindings", {})
        if chained not in bindings:
            bound = self._bound_arguments(chained, UpstreamDependency(source=_CHAINED))
            upstream: dict[str, Any] = {}
            literals: dict[str, Any] = {}
            for param, argument in bound.arguments.items():
                if isinstance(argument, UpstreamDependency):
                    upstream[param] = argument.source
                elif isinstance(argument, LiteralDependency):
                    literals[param] = argument.value
                else:
                    literals[param] = argument
            bindings[chained] = (upstream, literals)
        upstream, literals = bindings[chained]
        return {param: current_param if node is _CHAINED else node for param, node in upstream.items()}, dict(literals)


def step(fn: Callable, *args: SingleDependency | Any, **kwargs: SingleDependency | Any) -> Applicable:
    """A step for ``pipe_input``/``pipe_output``: ``fn(<chained value>, *args, **kwargs)``.

    Arguments are ``source("node")``, ``value(v)`` or plain values (taken as values).
    Parameters left unbound become inputs of the step's node; those with defaults are optional.
    """
    return Applicable(fn=fn, args=args, kwargs=kwargs)


def _base_step_name(fn: Callable) -> str:
    """``with_<fn>``, absorbing one leading underscore: ``_add`` and ``add`` -> ``with_add``."""
    name = fn.__name__
    return f"with{name}" if name.startswith("_") else f"with_{name}"


_step_signature = functools.lru_cache(maxsize=4096)(read_signature)


def _step_node(applicable: Applicable, name: str, chained_from: str) -> Node:
    """The node of one step, its first parameter fed by ``chained_from``."""
    fn = applicable.fn
    upstream, literals = applicable.bind_function_args(chained_from)
    parameters, return_type = _step_signature(fn)
    input_types: dict[str, tuple[Any, DependencyType]] = {}
    defaults: dict[str, Any] = {}
    feeds: dict[str, list[str]] = {}  # input name -> the parameters it fills
    for param, annotation, default, _ in parameters:
        if param in literals:
            continue
        input_name = upstream.get(param, param)
        feeds.setdefault(input_name, []).append(param)
        if input_name in input_types:  # one input feeding several parameters: required if any is
            if default is NO_DEFAULT:
                input_types[input_name] = (input_types[input_name][0], DependencyType.REQUIRED)
                defaults.pop(input_name, None)
        elif default is NO_DEFAULT:
            input_types[input_name] = (annotation, DependencyType.REQUIRED)
        else:
            input_types[input_name] = (annotation, DependencyType.OPTIONAL)
            defaults[input_name] = default

    def arguments_for(kwargs: dict[str, Any]) -> dict[str, Any]:
        arguments = dict(literals)
        for key, value_ in kwargs.items():
            for param in feeds[key]:
                arguments[param] = value_
        return arguments

    if is_coroutine_function(fn):

        async def run_step_async(**kwargs: Any) -> Any:
            return await fn(**arguments_for(kwargs))

        callable_ = run_step_async
    else:

        def run_step(**kwargs: Any) -> Any:
            return fn(**arguments_for(kwargs))

        callable_ = run_step
    return Node._from_parts(
        name,
        return_type,
        fn.__doc__ or "",
        callable_,
        NodeType.STANDARD,
        input_types,
        get_default_tags(fn),
        (),
        (fn,),
        defaults,
    )


def chain_transforms(
    target_arg: str,
    transforms: Sequence[Applicable],
    namespace: NamespaceType,
    config: dict[str, Any],
    fn: Callable,
) -> tuple[list[Node], str]:
    """Nodes for the steps that apply under ``config``, chained from ``target_arg``.

    :param target_arg: the node (or input) feeding the first step.
    :param namespace: ``...`` — each step's own namespace (default: ``fn``'s name); ``None`` or
        a string — that namespace for every step.
    :return: the nodes, and the name of the last one (``target_arg`` if no step applies).
    """
    uses: dict[str, int] = {}
    nodes = []
    for applicable in transforms:
        if not applicable.resolves(config):
            continue
        if namespace is not ...:
            applicable = applicable.namespaced(namespace)
        base_name = _base_step_name(applicable.fn)
        count = uses.get(base_name, 0)
        uses[base_name] = count + 1
        name = applicable.name or (base_name if count == 0 else f"{base_name}_{count}")
        full_name = ".".join((*applicable.resolve_namespace(fn.__name__), name))
        nodes.append(_step_node(applicable, full_name, target_arg))
        target_arg = full_name
    return nodes, target_arg


def _check_transforms(decorator: str, transforms: Sequence[Any]) -> None:
    for transform in transforms:
        if not isinstance(transform, Applicable):
            raise InvalidDecoratorException(
                f"@{decorator} takes steps, got {transform!r}. Wrap functions in step(...), e.g. "
                f"@{decorator}(step(fn, arg=source('node')))."
            )


def _config_keys(transforms: Sequence[Applicable]) -> dict[str, Any]:
    return {key: None for transform in transforms for key in transform.get_config_elements()}


# --------------------------------------------------------------------------------------------
# pipe_input / pipe
# --------------------------------------------------------------------------------------------


class pipe_input(NodeInjector):  # lower-case: 1.x's public name
    """Pass a parameter through steps before the function sees it.

    ::

        @pipe_input(step(_add_one), step(_scale, factor=source("k")))
        def final(raw: int) -> int: ...

    creates ``final.with_add_one`` (from ``raw``), ``final.with_scale`` (from it and ``k``) and
    ``final`` (from ``final.with_scale``).

    :param transforms: the steps, in order.
    :param namespace: ``...`` (default) — the function's name, or each step's own; ``None`` —
        no namespace; a string — that namespace (steps may then not set their own).
    :param on_input: the parameter to transform (default: the first one).
    :param collapse: not implemented.
    :param _chain: not implemented.
    """

    def __init__(
        self,
        *transforms: Applicable,
        namespace: NamespaceType = ...,
        on_input: TargetType = None,
        collapse: bool = False,
        _chain: bool = False,
    ):
        if on_input is not None and not isinstance(on_input, str):
            raise NotImplementedError(
                "on_input currently only supports a single target parameter specified by a string. "
                "Please reach out if you want a more flexible option in the feature."
            )
        if collapse:
            raise NotImplementedError(
                "Collapsing step() functions as one node is not yet implemented for pipe_input(). "
                "Please reach out if you want this feature."
            )
        if _chain:
            raise NotImplementedError(_FLOW_NOT_SUPPORTED + "planned. Leave _chain=False.")
        self.transforms = transforms
        self.namespace = namespace
        self.target = on_input
        self.collapse = collapse
        self.chain = _chain

    def validate(self, fn: Callable) -> None:
        _check_transforms(type(self).__name__, self.transforms)
        for transform in self.transforms:
            transform.validate(chain_first_param=True, allow_custom_namespace=self.namespace is ...)
            if transform.target is not None:
                raise InvalidDecoratorException(
                    f"{transform!r}.on_output(...) only applies to pipe_output and mutate. pipe_input "
                    f"feeds every step into one parameter of {describe_function(fn)}: choose it with "
                    "pipe_input(on_input=...)."
                )
        parameters = [name for name, *_ in read_signature(fn)[0]]
        if not parameters:
            raise InvalidDecoratorException(
                f"@pipe_input transforms a parameter, but {describe_function(fn)} takes none."
            )
        if self.target is not None and self.target not in parameters:
            raise InvalidDecoratorException(
                f"pipe_input(on_input={self.target!r}): {describe_function(fn)} has no such parameter; "
                f"its parameters are {parameters}."
            )

    def optional_config(self) -> dict[str, Any]:
        return _config_keys(self.transforms)

    def inject_nodes(
        self, params: dict[str, type], config: dict[str, Any], fn: Callable
    ) -> tuple[list[Node], dict[str, str]]:
        target = self.target or _step_signature(fn)[0][0][0]
        if target not in params:
            raise InvalidDecoratorException(
                f"Function: {fn.__name__} has a first parameter that is not a dependency. @pipe requires "
                "the parameter names to match the function parameters. Thus it might not be compatible "
                f"with some other decorators. Parameter {target!r} of {describe_function(fn)} is already "
                "fed by another decorator."
            )
        nodes, last = chain_transforms(target, self.transforms, self.namespace, config, fn)
        return nodes, ({target: last} if nodes else {})


class pipe(pipe_input):  # lower-case: 1.x's public name
    """Deprecated alias of :class:`pipe_input` (same arguments)."""

    def __init__(
        self,
        *transforms: Applicable,
        namespace: NamespaceType = ...,
        on_input: TargetType = None,
        collapse: bool = False,
        _chain: bool = False,
    ):
        warn_deprecated(
            "@pipe",
            instead="Use @pipe_input, which takes the same arguments (pipe was renamed when pipe_output was added).",
        )
        super().__init__(*transforms, namespace=namespace, on_input=on_input, collapse=collapse, _chain=_chain)


# --------------------------------------------------------------------------------------------
# pipe_output
# --------------------------------------------------------------------------------------------


class SingleTargetError(Exception):
    """A target was set both on ``pipe_output(on_output=...)`` and on a step (``.on_output``)."""


def _value_of(name: str) -> Callable[..., Any]:
    """A node callable returning its single input ``name`` unchanged.

    Called directly with one argument under another name (as 1.x's identity allows, e.g. the
    decorated function's original parameter name), it returns that argument.
    """

    def final_value(**kwargs: Any) -> Any:
        if name in kwargs or len(kwargs) != 1:
            return kwargs[name]
        return next(iter(kwargs.values()))

    return final_value


def _target_names(target: TargetType) -> Collection[str] | None:
    """``None`` for "every node", else the targeted names."""
    if target is None or target is ...:
        return None
    return [target] if isinstance(target, str) else list(target)


class pipe_output(NodeTransformer):  # lower-case: 1.x's public name
    """Pass the function's result through steps; the last one keeps the function's name.

    ::

        @pipe_output(step(_clip, upper=10), step(_round))
        def score(raw: float) -> float: ...

    creates ``score.raw`` (the function), ``score.with_clip``, ``score.with_round`` and ``score``
    (the final value).

    :param transforms: the steps, in order. ``step(...).on_output(name)`` limits one step to
        some of the function's outputs (e.g. fields made by ``extract_fields``).
    :param namespace: ``...`` (default) — the target node's name; ``None`` — no namespace; a
        string — that namespace. As in 1.x this namespace applies to every step: a step's own
        namespace is not used here.
    :param on_output: the nodes to transform (default: the function's final nodes); cannot be
        combined with step-level targets.
    :param collapse: not implemented.
    :param _chain: not implemented.
    """

    def __init__(
        self,
        *transforms: Applicable,
        namespace: NamespaceType = ...,
        on_output: TargetType = None,
        collapse: bool = False,
        _chain: bool = False,
    ):
        if on_output is ...:
            raise ValueError("Cannot apply Elipsis(...) to on_output. Use None, single string or list of strings.")
        if collapse:
            raise NotImplementedError(
                "Collapsing step() functions as one node is not yet implemented for pipe(). Please reach "
                "out if you want this feature."
            )
        if _chain:
            raise NotImplementedError(_FLOW_NOT_SUPPORTED + "planned. Leave _chain=False.")
        self._validate_single_target_level(on_output, transforms)
        super().__init__(target=on_output)
        self.transforms = transforms
        self.namespace = namespace
        self.collapse = collapse
        self.chain = _chain

    @staticmethod
    def _validate_single_target_level(target: TargetType, transforms: Sequence[Applicable]) -> None:
        if target is not None and any(getattr(t, "target", None) is not None for t in transforms):
            raise SingleTargetError(
                "Cannot have target set on pipe_output and step level. Set on_output either on "
                "pipe_output(...) or on the steps."
            )

    def validate(self, fn: Callable) -> None:
        _check_transforms(type(self).__name__, self.transforms)
        for transform in self.transforms:
            transform.validate(chain_first_param=True, allow_custom_namespace=self.namespace is ...)

    def optional_config(self) -> dict[str, Any]:
        return _config_keys(self.transforms)

    def _filter_individual_target(self, node_: Node) -> list[Applicable]:
        """The steps that apply to ``node_`` (those without a target, or targeting it)."""
        return [t for t in self.transforms if (names := _target_names(t.target)) is None or node_.name in names]

    def transform_dag(self, nodes: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        targets = {n.name for n in self.select_nodes(self.target, nodes)}
        for transform in self.transforms:
            names = _target_names(transform.target)
            missing = [name for name in names or () if name not in targets]
            if missing and transform.resolves(config):
                raise InvalidDecoratorException(
                    f"{transform!r}.on_output({transform.target!r}) on {describe_function(fn)}: {missing} is not "
                    f"among the outputs pipe_output transforms ({sorted(targets)}). Check the names, or "
                    "target other nodes with pipe_output(on_output=...)."
                )
        return super().transform_dag(nodes, config, fn)

    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        name = node_.name
        namespace = name if self.namespace is ... else self.namespace
        raw = node_.copy_with(include_refs=False, name=f"{name}.raw", namespace=())
        steps, last = chain_transforms(raw.name, self._filter_individual_target(node_), namespace, config, fn)
        if not steps:
            return [node_]
        final = Node(
            name,
            steps[-1].type,
            callabl=_value_of(last),
            input_types={last: Any},
            tags={"module": node_.tags.get("module", fn.__module__)},
            originating_functions=(fn,),
        )
        return [raw, *steps, final]


# --------------------------------------------------------------------------------------------
# mutate / apply_to
# --------------------------------------------------------------------------------------------


class NotSameModuleError(Exception):
    """``mutate`` was pointed at a function of another module."""

    def __init__(self, fn: Callable, target_fn: Callable):
        super().__init__(
            f"The functions have to be in the same module... The target function {target_fn.__name__} is in "
            f"module {target_fn.__module__} and the mutator function {fn.__name__} is in module "
            f"{fn.__module__}.\nUse power user setting to disable this restriction "
            "(set `restrict_to_single_module = False` on the mutate decorator), or move the mutator "
            "next to its target."
        )


def apply_to(fn_: Callable | str, **mutating_fn_kwargs: SingleDependency | Any) -> Applicable:
    """A ``mutate`` target with its own arguments (they replace ``mutate``'s keyword arguments).

    Supports ``.named(...)``, ``.when*(...)`` and ``.on_output(...)`` like :func:`step`.
    """
    return Applicable(fn=None, args=(), kwargs=mutating_fn_kwargs, target_fn=fn_, _resolvers=[])


class mutate:  # lower-case: 1.x's public name
    """Make the decorated function a ``pipe_output`` step of each target function.

    ::

        def data(raw: list) -> list: ...

        @mutate(data, apply_to(other, factor=value(2)), factor=value(1))
        def _scale(values: list, factor: int) -> list: ...

    adds ``data.raw``, ``data.with_scale`` and ``data`` (likewise for ``other``). Targets must be
    defined in the mutator's module, before it; several mutators of one target apply in the
    order they are defined. The mutator itself is no node.

    :param target_functions: functions, or :func:`apply_to` specs.
    :param mutating_function_kwargs: arguments for every target without its own.
    :param collapse: not implemented.
    :param _chain: not implemented.
    """

    def __init__(
        self,
        *target_functions: Applicable | Callable,
        collapse: bool = False,
        _chain: bool = False,
        **mutating_function_kwargs: SingleDependency | Any,
    ):
        if collapse:
            raise NotImplementedError(
                "Collapsing functions as one node is not yet implemented for mutate(). Please reach out "
                "if you want this feature."
            )
        if _chain:
            raise NotImplementedError(_FLOW_NOT_SUPPORTED + "planned. Leave _chain=False.")
        self.remote_applicables = [self._as_applicable(target) for target in target_functions]
        self.mutating_function_kwargs = mutating_function_kwargs
        self.collapse = collapse
        self.chain = _chain
        self.restrict_to_single_module = True

    @staticmethod
    def _as_applicable(target: Applicable | Callable) -> Applicable:
        if isinstance(target, Applicable):
            return target
        if isinstance(target, str):
            raise TypeError(_STRINGS_NOT_SUPPORTED)
        if not callable(target):
            raise TypeError(
                f"mutate() targets must be functions or apply_to(...), got {target!r}. Pass the mutator's "
                "arguments by keyword."
            )
        return apply_to(target)

    def validate_same_module(self, mutating_fn: Callable) -> None:
        """Raise :class:`NotSameModuleError` unless every target is in ``mutating_fn``'s module."""
        for applicable in self.remote_applicables:
            if applicable.target_fn.__module__ != mutating_fn.__module__:
                raise NotSameModuleError(fn=mutating_fn, target_fn=applicable.target_fn)

    def _create_step(self, mutating_fn: Callable, remote_applicable_builder: Applicable) -> Applicable:
        """The step ``mutating_fn`` adds to one target, with that target's name/conditions."""
        kwargs = remote_applicable_builder.kwargs or self.mutating_function_kwargs
        return remote_applicable_builder._replace(fn=mutating_fn, args=(), kwargs=dict(kwargs), target_fn=None)

    def __call__(self, mutating_fn: Callable) -> Callable:
        if self.restrict_to_single_module:
            self.validate_same_module(mutating_fn)
        steps = []
        for applicable in self.remote_applicables:
            step_ = self._create_step(mutating_fn, applicable)
            step_.validate(chain_first_param=True, allow_custom_namespace=True)
            steps.append((applicable.target_fn, step_))
        for target_fn, step_ in steps:
            _add_output_step(target_fn, step_)
        return hamilton_exclude(mutating_fn)


def _add_output_step(target_fn: Callable, step_: Applicable) -> None:
    """Append ``step_`` to ``target_fn``'s ``pipe_output`` (creating one if it has none)."""
    recorded = target_fn.__dict__.get(MODIFIERS_ATTRIBUTE) or {}
    transformers = recorded.get("transform", [])
    for index, existing in enumerate(transformers):
        if isinstance(existing, pipe_output):
            transformers[index] = pipe_output(
                *existing.transforms,
                step_,
                namespace=existing.namespace,
                on_output=existing.target,
            )
            return
    pipe_output(step_)(target_fn)
