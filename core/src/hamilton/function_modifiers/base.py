"""The decorator pipeline: how function modifiers turn one function into nodes.

A decorator only records itself on the function (``validate(fn)`` runs at decoration time, so
most misuse fails at import). When the graph is built, :func:`resolve_nodes` runs every
recorded decorator in a fixed order of *lifecycle steps*, whatever order they were written in:

=============  =====================  ====  ==============================================
step           base class             max   does
=============  =====================  ====  ==============================================
resolve        :class:`NodeResolver`  many  keep or drop the function (``config.when``...)
dynamic        :class:`DynamicResolver` many  build a decorator from config (``resolve``)
generate       :class:`NodeCreator`   1     create the nodes (default: one node per function)
inject         :class:`NodeInjector`  many  add nodes feeding the function's parameters
expand         :class:`NodeExpander`  1     turn the one node into several (``parameterize``)
transform      :class:`NodeTransformer` many  replace target nodes (``extract_columns``...)
decorate_nodes :class:`NodeDecorator` many  adjust target nodes in place (``tag``...)
=============  =====================  ====  ==============================================

Within a step, the decorator closest to the ``def`` runs first. A new decorator is a short
subclass of one of these classes.
"""

from __future__ import annotations

import abc
import collections
import types
from collections.abc import Callable, Collection
from typing import Any, Union

from hamilton import settings
from hamilton._assembly import MODIFIERS_ATTRIBUTE
from hamilton._introspect import describe_function
from hamilton.node import CONFIG_KEYS_ATTRIBUTE, CONFIG_TAG, Node  # noqa: F401 (CONFIG_TAG re-exported)

EllipsisType = type(...)
TargetType = Union[str, Collection[str], None, EllipsisType]

# Kept for 1.x compatibility (1.x counted decorator use for telemetry; 2.0 sends nothing).
DECORATOR_COUNTER: collections.Counter = collections.Counter()

STEPS = ("resolve", "dynamic", "generate", "inject", "expand", "transform", "decorate_nodes")


class InvalidDecoratorException(Exception):
    """A decorator is used in a way that cannot work; the message says how to fix it."""


class MissingConfigParametersException(Exception):
    """A decorator needs configuration keys that were not given."""


def sanitize_function_name(name: str) -> str:
    """The node name a config-decorated function defines: ``rate__us`` -> ``rate``."""
    return name.rsplit("__", 1)[0] if "__" in name else name


def _check_decoratable(fn: Any, decorator: str) -> None:
    """Function modifiers decorate functions; say so when one is applied to anything else.

    The usual slip is ``@config.when(...)`` written around a ``step(...)`` or ``value(...)``
    object instead of chaining ``step(...).when(...)``.
    """
    if callable(fn) and isinstance(getattr(fn, "__name__", None), str):
        return
    hint = ""
    if type(fn).__name__ == "Applicable":
        hint = " To apply a pipe step conditionally, chain it: step(fn).when(key=value)."
    elif type(fn).__name__ in ("LiteralDependency", "UpstreamDependency", "GroupedDependency"):
        hint = " value(...)/source(...)/group(...) are arguments of decorators, not functions."
    raise InvalidDecoratorException(
        f"{decorator} decorates a function, but was applied to {type(fn).__name__} object {fn!r:.200}. Put the "
        f"decorator directly above a def.{hint}"
    )


def get_node_decorators(fn: Callable, config: dict[str, Any]) -> dict[str, list[NodeTransformLifecycle]]:
    """The decorators recorded on ``fn``, by step (a fresh copy the caller may extend)."""
    recorded = getattr(fn, MODIFIERS_ATTRIBUTE, None) or {}
    return {step: list(recorded.get(step, ())) for step in STEPS}


class NodeTransformLifecycle(abc.ABC):
    """Base of every function modifier: records itself on the function it decorates."""

    @classmethod
    @abc.abstractmethod
    def get_lifecycle_name(cls) -> str:
        """The step this decorator runs in (one of :data:`STEPS`)."""

    @classmethod
    @abc.abstractmethod
    def allows_multiple(cls) -> bool:
        """Whether several decorators of this step may decorate one function."""

    @abc.abstractmethod
    def validate(self, fn: Callable) -> None:
        """Raise :class:`InvalidDecoratorException` if this decorator cannot apply to ``fn``."""

    def __call__(self, fn: Callable) -> Callable:
        _check_decoratable(fn, f"@{type(self).__name__}")
        self.validate(fn)
        step = self.get_lifecycle_name()
        recorded = fn.__dict__.get(MODIFIERS_ATTRIBUTE)
        if recorded is None:
            recorded = {}
            setattr(fn, MODIFIERS_ATTRIBUTE, recorded)
        existing = recorded.setdefault(step, [])
        if existing and not self.allows_multiple():
            raise ValueError(
                f"Got multiple decorators for decorator @{self.__class__}. Only one allowed. "
                f"{describe_function(fn)} already has @{type(existing[0]).__name__}, which takes the same "
                f"({step}) step; combine them into one decorator."
            )
        existing.append(self)
        if len(recorded) > 1:  # keep the steps in pipeline order, so resolution just iterates
            ordered = {name: recorded[name] for name in STEPS if name in recorded}
            recorded.clear()
            recorded.update(ordered)
        DECORATOR_COUNTER[self.__class__.__name__] += 1
        return fn

    def required_config(self) -> list[str] | None:
        """Config keys this decorator needs (``None``: it sees the whole config)."""
        return []

    def optional_config(self) -> dict[str, Any] | None:
        """Config keys this decorator may use, with their defaults."""
        return {}

    @property
    def name(self) -> str:
        return self.__class__.__name__


class NodeResolver(NodeTransformLifecycle):
    """Decides, given the config, whether the function takes part (``None`` drops it)."""

    @abc.abstractmethod
    def resolve(self, fn: Callable, config: dict[str, Any]) -> Callable | None:
        """``fn`` (possibly renamed) if it takes part, else ``None``."""

    @abc.abstractmethod
    def validate(self, fn: Callable) -> None:
        pass

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "resolve"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True


class DynamicResolver(NodeTransformLifecycle):
    """Builds, from the config, a decorator that then runs in its own step (``@resolve``)."""

    @abc.abstractmethod
    def resolve(self, config: dict[str, Any], fn: Callable) -> NodeTransformLifecycle | None:
        """The decorator to apply under ``config`` (``None``: nothing)."""

    def validate(self, fn: Callable) -> None:
        pass

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "dynamic"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True


class NodeCreator(NodeTransformLifecycle):
    """Creates the function's nodes (at most one creator per function)."""

    @abc.abstractmethod
    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        """The nodes ``fn`` defines."""

    @abc.abstractmethod
    def validate(self, fn: Callable) -> None:
        pass

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "generate"

    @classmethod
    def allows_multiple(cls) -> bool:
        return False


class SubDAGModifier(NodeTransformLifecycle, abc.ABC):
    """Rewrites the set of nodes a function has produced so far."""

    @abc.abstractmethod
    def transform_dag(self, nodes: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        """The new set of nodes."""


class NodeInjector(SubDAGModifier):
    """Adds nodes that feed the function's parameters (``pipe_input``, ``load_from``...)."""

    @staticmethod
    def find_injectable_params(nodes: Collection[Node]) -> dict[str, type]:
        """Parameters of ``nodes`` that none of them produces: name -> annotation."""
        produced = {n.name for n in nodes}
        return {name: type_ for n in nodes for name, (type_, _) in n.input_types.items() if name not in produced}

    def transform_dag(self, nodes: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        injected, renames = self.inject_nodes(self.find_injectable_params(nodes), config, fn)
        rewired = [
            n.reassign_inputs(input_names=renames) if any(name in renames for name in n.input_types) else n
            for n in nodes
        ]
        return rewired + list(injected)

    @abc.abstractmethod
    def inject_nodes(
        self, params: dict[str, type], config: dict[str, Any], fn: Callable
    ) -> tuple[list[Node], dict[str, str]]:
        """Nodes to add, and the renames (parameter -> injected node) to apply."""

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "inject"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True

    @abc.abstractmethod
    def validate(self, fn: Callable) -> None:
        pass


class NodeExpander(SubDAGModifier):
    """Turns the function's single node into several (at most one expander per function)."""

    EXPAND_NODES = "expand_nodes"

    def transform_dag(self, nodes: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        nodes = list(nodes)
        if len(nodes) != 1:
            raise ValueError(
                f"Cannot call NodeExpander: {self.__class__} on more than one node. This must be called "
                f"first in the DAG. Called with {[n.name for n in nodes]}. {describe_function(fn)} "
                "combines it with a decorator that adds nodes first (e.g. pipe_input or load_from)."
            )
        return self.expand_node(nodes[0], config, fn)

    @abc.abstractmethod
    def expand_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        """The nodes replacing ``node_``."""

    @abc.abstractmethod
    def validate(self, fn: Callable) -> None:
        pass

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "expand"

    @classmethod
    def allows_multiple(cls) -> bool:
        return False


class NodeTransformer(SubDAGModifier):
    """Replaces each *target* node with the nodes :meth:`transform_node` returns.

    Targets: ``None`` — the function's final nodes (those no other node of the function
    depends on, except nodes tagged ``hamilton.non_final_node``); a name; a collection of
    names (all must exist); ``...`` — every node.
    """

    NON_FINAL_TAG = "hamilton.non_final_node"

    def __init__(self, target: TargetType):
        self.target = target

    @classmethod
    def _early_validate_target(cls, target: TargetType, allow_multiple: bool) -> None:
        if isinstance(target, str) or target is None or target is ...:
            return
        if not isinstance(target, Collection):
            raise InvalidDecoratorException(
                f"Invalid target: {target!r}. A target is None, a node name, a collection of names, or ..."
            )
        if not allow_multiple:
            raise InvalidDecoratorException(f"{cls.__name__} takes a single target, got {target!r}.")
        if not all(isinstance(name, str) for name in target):
            raise InvalidDecoratorException(f"Targets of {cls.__name__} must be node names, got {target!r}.")

    @staticmethod
    def _extract_final_nodes(nodes: Collection[Node]) -> Collection[Node]:
        if len(nodes) == 1:  # the common case: one node, final unless marked otherwise
            return [] if next(iter(nodes)).tags.get(NodeTransformer.NON_FINAL_TAG) else list(nodes)
        depended_on = {name for n in nodes for name in n.input_types}
        return [n for n in nodes if n.name not in depended_on and not n.tags.get(NodeTransformer.NON_FINAL_TAG)]

    @staticmethod
    def select_nodes(target: TargetType, nodes: Collection[Node]) -> Collection[Node]:
        if target is None:
            return NodeTransformer._extract_final_nodes(nodes)
        if target is ...:
            return list(nodes)
        by_name = {n.name: n for n in nodes}
        if isinstance(target, str):
            if target not in by_name:
                raise InvalidDecoratorException(
                    f"Could not find node {target} in {list(by_name)}. Check the target_ name: it must be "
                    "one of the nodes the function produces."
                )
            return [by_name[target]]
        wanted = list(target)
        missing = {name for name in wanted if name not in by_name}
        if missing:
            raise InvalidDecoratorException(
                f"Could not find all nodes {wanted} in {list(by_name)}. Missing ({missing}). Check the "
                "target_ names: each must be a node the function produces."
            )
        return [by_name[name] for name in wanted]

    @staticmethod
    def compliment(all_nodes: Collection[Node], nodes_to_transform: Collection[Node]) -> Collection[Node]:
        chosen = {n.name for n in nodes_to_transform}
        return [n for n in all_nodes if n.name not in chosen]

    def transform_targets(self, targets: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        return [out for target in targets for out in self.transform_node(target, config, fn)]

    def transform_dag(self, nodes: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        targets = self.select_nodes(self.target, nodes)
        if len(targets) == len(nodes):  # everything is a target (the common single-node case)
            return list(self.transform_targets(targets, config, fn))
        return list(self.compliment(nodes, targets)) + list(self.transform_targets(targets, config, fn))

    @abc.abstractmethod
    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        """The nodes replacing the target ``node_``."""

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "transform"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True

    @abc.abstractmethod
    def validate(self, fn: Callable) -> None:
        pass


class SingleNodeNodeTransformer(NodeTransformer, abc.ABC):
    """A transformer of exactly one node: the function's single final node."""

    def __init__(self) -> None:
        super().__init__(target=None)

    def transform_dag(self, nodes: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        if len(nodes) == 1:  # the common case: the function's one node is the target
            (node_,) = nodes
            if not node_.tags.get(self.NON_FINAL_TAG):
                return list(self.transform_node(node_, config, fn))
        return super().transform_dag(nodes, config, fn)

    def transform_targets(self, targets: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        targets = list(targets)
        if len(targets) != 1:
            raise InvalidDecoratorException(
                f"Expected a single node to transform, but got {len(targets)}. {self.name} on "
                f"{describe_function(fn)} needs exactly one final node; with @parameterize use "
                "@parameterize_extract_columns (or apply it per parameterization)."
            )
        return self.transform_node(targets[0], config, fn)


class NodeDecorator(NodeTransformer, abc.ABC):
    """Adjusts target nodes one by one (tags, schema...) without adding nodes."""

    DECORATE_NODES = "decorate_nodes"

    def __init__(self, target: TargetType):
        super().__init__(target=target)

    def validate_node(self, node_: Node) -> None:
        """Raise :class:`InvalidDecoratorException` if ``node_`` cannot be decorated."""

    def transform_node(self, node_: Node, config: dict[str, Any], fn: Callable) -> Collection[Node]:
        self.validate_node(node_)
        return [self.decorate_node(node_)]

    def transform_dag(self, nodes: Collection[Node], config: dict[str, Any], fn: Callable) -> Collection[Node]:
        target = self.target
        if target is ... or (target is None and len(nodes) == 1):
            # Every node is a target (a lone node is final unless marked otherwise): decorate in
            # place of the general select/complement/transform path, keeping the order.
            if target is None and next(iter(nodes)).tags.get(self.NON_FINAL_TAG):
                return list(nodes)
            decorated = []
            for node_ in nodes:
                self.validate_node(node_)
                decorated.append(self.decorate_node(node_))
            return decorated
        return super().transform_dag(nodes, config, fn)

    @abc.abstractmethod
    def decorate_node(self, node_: Node) -> Node:
        """The decorated node."""

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return NodeDecorator.DECORATE_NODES

    @classmethod
    def allows_multiple(cls) -> bool:
        return True

    def validate(self, fn: Callable) -> None:
        pass


class DefaultNodeCreator(NodeCreator):
    """One node per function, named after it (what undecorated functions get)."""

    def generate_nodes(self, fn: Callable, config: dict[str, Any]) -> list[Node]:
        return [Node.from_fn(fn)]

    def validate(self, fn: Callable) -> None:
        pass


class DefaultNodeResolver(NodeResolver):
    """Every function takes part."""

    def resolve(self, fn: Callable, config: dict[str, Any]) -> Callable | None:
        return fn

    def validate(self, fn: Callable) -> None:
        pass


def resolve_config(
    name_for_error: str,
    config: dict[str, Any],
    config_required: list[str] | None,
    config_optional_with_defaults: dict[str, Any] | None,
) -> dict[str, Any]:
    """The config a decorator sees: its required keys, its optional keys (or their defaults), and
    power-user mode (``False`` unless set), which every decorator may read."""
    if config_required is None:
        return dict(config)
    missing = [key for key in config_required if key not in config]
    if missing:
        raise MissingConfigParametersException(
            f"The following configurations are required by {name_for_error}: {set(missing)}. "
            "Add them with Builder().with_config({...})."
        )
    seen = {key: config[key] for key in config_required}
    for key, default in (config_optional_with_defaults or {}).items():
        seen[key] = config.get(key, default)
    seen.setdefault(settings.ENABLE_POWER_USER_MODE, config.get(settings.ENABLE_POWER_USER_MODE, False))
    return seen


_POWER_USER_ON = types.MappingProxyType({settings.ENABLE_POWER_USER_MODE: True})
_POWER_USER_OFF = types.MappingProxyType({settings.ENABLE_POWER_USER_MODE: False})


def filter_config(config: dict[str, Any], decorator: NodeTransformLifecycle) -> dict[str, Any]:
    """Only the config keys ``decorator`` declares (plus power-user mode, default False)."""
    required = decorator.required_config()
    optional = decorator.optional_config()
    if not optional and required is not None and not required:  # most decorators read no config
        power_user = config.get(settings.ENABLE_POWER_USER_MODE, False)
        return (
            _POWER_USER_ON
            if power_user is True
            else _POWER_USER_OFF
            if power_user is False
            else {settings.ENABLE_POWER_USER_MODE: power_user}
        )
    if required is None:
        return dict(config)
    if required:
        return resolve_config(
            decorator.name, config, required, {settings.ENABLE_POWER_USER_MODE: False, **(optional or {})}
        )
    # Only optional keys (config.when & co.): no missing keys to check.
    seen = {key: config.get(key, default) for key, default in optional.items()}
    seen.setdefault(settings.ENABLE_POWER_USER_MODE, config.get(settings.ENABLE_POWER_USER_MODE, False))
    return seen


def _add_original_function_to_nodes(fn: Callable, nodes: list[Node]) -> list[Node]:
    """Every produced node records ``fn`` as (the last of) its originating functions.

    The nodes were created during this resolution, so they are updated in place.
    """
    for node_ in nodes:
        origins = node_._originating_functions or ()
        if fn not in origins:
            node_._originating_functions = (*origins, fn)
    return nodes


_NO_DECORATORS: tuple = ()
_NODE_STEPS = frozenset(("inject", "expand", "transform", "decorate_nodes"))


def resolve_nodes(fn: Callable, config: dict[str, Any]) -> Collection[Node]:
    """All nodes ``fn`` defines under ``config``, after every decorator on it has run."""
    try:
        return _resolve_nodes(fn, config)
    except Exception as error:
        if hasattr(error, "add_note"):  # Python 3.11+
            error.add_note(f"Hamilton: raised while building the nodes of {describe_function(fn)}.")
        raise


def _resolve_nodes(fn: Callable, config: dict[str, Any]) -> Collection[Node]:
    # ``recorded`` maps step -> decorators, in pipeline order (see NodeTransformLifecycle).
    recorded = fn.__dict__.get(MODIFIERS_ATTRIBUTE) or {}
    if "resolve" in recorded or "dynamic" in recorded:
        fn.__dict__.pop(CONFIG_KEYS_ATTRIBUTE, None)  # resolvers of this build record their keys afresh
    # Dynamic resolvers add decorators for this build only: work on copies then.
    decorators = get_node_decorators(fn, config) if "dynamic" in recorded else recorded
    for resolver in decorators.get("resolve", _NO_DECORATORS):
        fn = resolver.resolve(fn, filter_config(config, resolver))
        if fn is None:
            return []
    for dynamic in decorators.get("dynamic", _NO_DECORATORS):
        produced = dynamic.resolve(filter_config(config, dynamic), fn)
        if produced is not None:
            produced.validate(fn)
            step = produced.get_lifecycle_name()
            if step == "resolve":  # the resolve step is over: apply the produced resolver now
                fn = produced.resolve(fn, filter_config(config, produced))
                if fn is None:
                    return []
                continue
            if decorators[step] and not produced.allows_multiple():
                raise ValueError(
                    f"Got multiple decorators for decorator @{produced.__class__}. Only one allowed. "
                    f"{describe_function(fn)} already has one in the {step} step."
                )
            decorators[step].append(produced)
    creators = decorators.get("generate")
    if creators:
        nodes = list(creators[0].generate_nodes(fn, filter_config(config, creators[0])))
    else:
        nodes = [Node.from_fn(fn)]
    for step, modifiers in decorators.items():
        if step in _NODE_STEPS:
            for modifier in modifiers:
                produced = modifier.transform_dag(nodes, filter_config(config, modifier), fn)
                nodes = produced if type(produced) is list else list(produced)
    return _add_original_function_to_nodes(fn, nodes)
