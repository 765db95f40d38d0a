"""The node: one named value in a dataflow, how to compute it and what it depends on.

``Node`` keeps 1.x's constructor and attribute names because decorators, adapters and plugins
written for 1.x build and read nodes directly. A node belongs to one graph: the graph wires its
``dependencies``/``depended_on_by`` when it is built.
"""

from __future__ import annotations

from enum import Enum
from types import FunctionType

from hamilton._introspect import NO_DEFAULT, describe_function, read_signature
from hamilton._introspect import is_coroutine_function as _is_async
from hamilton.errors import InvalidFunctionError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class NodeType(Enum):
    """How a node gets its value."""

    STANDARD = 1  # computed by a function
    EXTERNAL = 2  # provided by the user (inputs or config)
    PRIOR_RUN = 3  # reserved for values from a previous run
    EXPAND = 4  # returns Parallelizable[...]: its items fan out
    COLLECT = 5  # takes a Collect[...] parameter: gathers a fan-out


class DependencyType(Enum):
    REQUIRED = 1
    OPTIONAL = 2

    @staticmethod
    def from_parameter(param: Any) -> DependencyType:
        """``OPTIONAL`` when an ``inspect.Parameter`` has a default, else ``REQUIRED``."""
        import inspect

        return DependencyType.REQUIRED if param.default is inspect.Parameter.empty else DependencyType.OPTIONAL


_COMPUTED = (NodeType.STANDARD, NodeType.EXPAND, NodeType.COLLECT)
# Config resolvers (@config.when...) record on a function the config keys that selected it;
# its node is then tagged CONFIG_TAG = "k1,k2" (1.x's contract).
CONFIG_KEYS_ATTRIBUTE = "__config_decorated__"
CONFIG_TAG = "hamilton.config"
_NO_ATTRIBUTES: dict = {}
_REQUIRED = DependencyType.REQUIRED
_OPTIONAL = DependencyType.OPTIONAL


class Node:
    """A node of the dataflow graph. See the module docstring."""

    __slots__ = (
        "_callable",
        "_default_parameter_values",
        "_depended_on_by",
        "_dependencies",
        "_doc",
        "_input_types",
        "_name",
        "_namespace",
        "_node_source",
        "_originating_functions",
        "_tags",
        "_type",
        "_types_by_parameter",
    )

    def __init__(
        self,
        name: str,
        typ: Any,
        doc_string: str = "",
        callabl: Callable | None = None,
        node_source: NodeType = NodeType.STANDARD,
        input_types: dict[str, Any] | None = None,
        tags: dict[str, Any] | None = None,
        namespace: tuple[str, ...] = (),
        originating_functions: tuple[Callable, ...] | None = None,
        optional_values: dict[str, Any] | None = None,
    ):
        if typ is None or typ is NO_DEFAULT or _is_inspect_empty(typ):
            raise ValueError(f"Missing type for hint for function {name}. Please add one to fix.")
        self._name = name
        self._type = typ
        self._doc = doc_string
        self._callable = callabl
        self._node_source = node_source
        self._tags = {} if tags is None else tags
        self._namespace = namespace
        self._originating_functions = originating_functions
        self._dependencies: list[Node] = []
        self._depended_on_by: list[Node] = []
        self._types_by_parameter: dict[str, Any] | None = None
        if node_source not in _COMPUTED:
            if input_types:
                raise ValueError(f"Input types cannot be provided for user-defined node {self.name}")
            self._input_types: dict[str, tuple[Any, DependencyType]] = {}
            self._default_parameter_values: dict[str, Any] = {}
        elif input_types is not None:
            self._input_types = {
                key: value if isinstance(value, tuple) else (value, DependencyType.REQUIRED)
                for key, value in input_types.items()
            }
            self._default_parameter_values = dict(optional_values or {})
        elif callabl is not None:
            self._input_types, self._default_parameter_values = _inputs_from_callable(callabl, name)
        else:
            self._input_types, self._default_parameter_values = {}, {}

    @classmethod
    def from_fn(cls, fn: Callable, name: str | None = None) -> Node:
        """The node a plain (undecorated) function defines: named after it, typed by its return."""
        node_name = name or fn.__name__
        parts = _read_plain_function(fn)
        if parts is None:  # wrapped, string annotations, or an error to explain: the full path
            parameters, return_type = read_signature(fn)
            if return_type is NO_DEFAULT:
                raise InvalidFunctionError(
                    f"Missing type hint for return value in function {fn.__qualname__}. "
                    f"Add a return annotation to {describe_function(fn)}."
                )
            input_types, defaults = _inputs_from_parameters(parameters, fn, node_name)
            role = _role(return_type, input_types)
        else:
            input_types, defaults, return_type, role = parts
        tags = {"module": fn.__module__}
        config_keys = getattr(fn, "__dict__", _NO_ATTRIBUTES).get(CONFIG_KEYS_ATTRIBUTE)
        if config_keys is not None:  # chosen by @config.*: nodes derived from this one keep the tag
            tags[CONFIG_TAG] = ",".join(config_keys)
        return cls._from_parts(
            node_name, return_type, fn.__doc__ or "", fn, role, input_types, tags, (), (fn,), defaults
        )

    @classmethod
    def _from_parts(
        cls,
        name: str,
        typ: Any,
        doc: str,
        callabl: Callable | None,
        role: NodeType,
        input_types: dict[str, tuple[Any, DependencyType]],
        tags: dict[str, Any],
        namespace: tuple[str, ...],
        originating_functions: tuple[Callable, ...] | None,
        defaults: dict[str, Any],
    ) -> Node:
        """A node from already-normalized parts, skipping the constructor's checks.

        Graph building and decorators create nodes by the thousand; their parts are normalized
        by construction (``input_types`` maps names to ``(type, DependencyType)``).
        """
        node_ = cls.__new__(cls)
        node_._name = name
        node_._type = typ
        node_._doc = doc
        node_._callable = callabl
        node_._node_source = role
        node_._input_types = input_types
        node_._tags = tags
        node_._namespace = namespace
        node_._originating_functions = originating_functions
        node_._default_parameter_values = defaults
        node_._dependencies = []
        node_._depended_on_by = []
        node_._types_by_parameter = None
        return node_

    # -- read-only views ------------------------------------------------------------------
    @property
    def name(self) -> str:
        if self._namespace:
            return ".".join(self._namespace) + "." + self._name
        return self._name

    @property
    def type(self) -> Any:
        return self._type

    @property
    def documentation(self) -> str:
        return self._doc

    @property
    def callable(self) -> Callable | None:
        return self._callable

    @property
    def tags(self) -> dict[str, Any]:
        return self._tags

    @property
    def input_types(self) -> dict[str, tuple[Any, DependencyType]]:
        return self._input_types

    def parameter_types(self) -> dict[str, Any]:
        """Parameter name -> annotation (computed once: node hooks ask for it on every run)."""
        if self._types_by_parameter is None:
            self._types_by_parameter = {key: type_ for key, (type_, _) in self._input_types.items()}
        return self._types_by_parameter

    @property
    def default_parameter_values(self) -> dict[str, Any]:
        return self._default_parameter_values

    @property
    def user_defined(self) -> bool:
        return self._node_source is NodeType.EXTERNAL

    @property
    def node_role(self) -> NodeType:
        return self._node_source

    @property
    def dependencies(self) -> list[Node]:
        return self._dependencies

    @property
    def depended_on_by(self) -> list[Node]:
        return self._depended_on_by

    @property
    def originating_functions(self) -> tuple[Callable, ...] | None:
        return self._originating_functions

    @property
    def namespace(self) -> tuple[str, ...]:
        return self._namespace

    @property
    def collect_dependency(self) -> str | None:
        """The parameter annotated ``Collect[...]``, for a collecting node."""
        if self._node_source is not NodeType.COLLECT:
            return None
        from hamilton import htypes

        for key, (type_, _) in self._input_types.items():
            if htypes.is_collect_type(type_):
                return key
        return None

    def requires(self, dependency: str) -> bool:
        """Whether ``dependency`` is a required input of this node."""
        entry = self._input_types.get(dependency)
        return entry is not None and entry[1] is DependencyType.REQUIRED

    def location(self) -> str:
        """Where the node was defined (``module.fn (file:line)``), for error messages."""
        if self._originating_functions:
            return describe_function(self._originating_functions[0])
        if self.user_defined:
            return "an input (no function defines it)"
        return "code that built it directly (no originating function)"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._callable(*args, **kwargs)

    # -- derived nodes (decorators use these) ---------------------------------------------
    def copy_with(self, include_refs: bool = True, **overrides: Any) -> Node:
        """A copy with constructor arguments replaced (``name``, ``typ``, ``tags``, ...)."""
        if (
            overrides.keys() <= _DIRECT_FIELDS.keys()
            and overrides.get("typ", self._type) is not None
            and _normalized_inputs(overrides.get("input_types"))
        ):
            # Decorators copy nodes all the time: copy the slots directly when no argument needs
            # the constructor's normalization. Input types and defaults are never mutated, so
            # they are shared; tags can be (add_tag), so they are copied.
            copy = Node._from_parts(
                self._name,
                self._type,
                self._doc,
                self._callable,
                self._node_source,
                self._input_types,
                self._tags if "tags" in overrides else dict(self._tags),
                self._namespace,
                self._originating_functions,
                self._default_parameter_values,
            )
            for argument, value in overrides.items():
                if value is None and argument in ("tags", "optional_values", "input_types"):
                    value = {}
                setattr(copy, _DIRECT_FIELDS[argument], value)
            if include_refs:
                copy._dependencies = list(self._dependencies)
                copy._depended_on_by = list(self._depended_on_by)
            return copy
        arguments = dict(
            name=self._name,
            typ=self._type,
            doc_string=self._doc,
            callabl=self._callable,
            node_source=self._node_source,
            input_types=None if self.user_defined else dict(self._input_types),
            tags=dict(self._tags),
            namespace=self._namespace,
            originating_functions=self._originating_functions,
            optional_values=dict(self._default_parameter_values),
        )
        arguments.update(overrides)
        copy = Node(**arguments)
        if include_refs:
            copy._dependencies = list(self._dependencies)
            copy._depended_on_by = list(self._depended_on_by)
        return copy

    def copy(self, include_refs: bool = True) -> Node:
        """An identical node (tags copied: they can be added to; the rest is never mutated)."""
        copy = Node._from_parts(
            self._name,
            self._type,
            self._doc,
            self._callable,
            self._node_source,
            self._input_types,
            dict(self._tags),
            self._namespace,
            self._originating_functions,
            self._default_parameter_values,
        )
        if include_refs:
            copy._dependencies = list(self._dependencies)
            copy._depended_on_by = list(self._depended_on_by)
        return copy

    def reassign_inputs(
        self, input_names: dict[str, Any] | None = None, input_values: dict[str, Any] | None = None
    ) -> Node:
        """A node whose inputs are renamed (``old -> new``) and/or bound to fixed values."""
        renames = dict(input_names or {})
        bound = dict(input_values or {})
        original_names = {renames.get(key, key): key for key in self._input_types if key not in bound}
        inner = self._callable

        def arguments_for(kwargs: dict[str, Any]) -> dict[str, Any]:
            arguments = {original_names[key]: value for key, value in kwargs.items()}
            arguments.update(bound)
            return arguments

        if _is_async(inner):  # keep coroutine functions awaitable for async drivers

            async def call_with_reassigned_inputs(**kwargs: Any) -> Any:
                return await inner(**arguments_for(kwargs))

        else:

            def call_with_reassigned_inputs(**kwargs: Any) -> Any:
                return inner(**arguments_for(kwargs))

        input_types = {renames.get(key, key): value for key, value in self._input_types.items() if key not in bound}
        defaults = {
            renames.get(key, key): value for key, value in self._default_parameter_values.items() if key not in bound
        }
        return Node._from_parts(
            self._name,
            self._type,
            self._doc,
            call_with_reassigned_inputs,
            self._node_source,
            input_types,
            dict(self._tags),
            self._namespace,
            self._originating_functions,
            defaults,
        )

    def transform_output(self, transform: Callable[[Any, dict[str, Any]], Any], output_type: Any) -> Node:
        """A node computing ``transform(result, kwargs)`` of this node's result."""
        inner = self._callable

        if _is_async(inner):

            async def call_and_transform(**kwargs: Any) -> Any:
                return transform(await inner(**kwargs), kwargs)

        else:

            def call_and_transform(**kwargs: Any) -> Any:
                return transform(inner(**kwargs), kwargs)

        return self.copy_with(include_refs=False, callabl=call_and_transform, typ=output_type)

    def add_tag(self, tag_name: str, tag_value: Any) -> None:
        self._tags[tag_name] = tag_value

    def set_type(self, typ: Any) -> None:
        self._type = typ

    # -- identity ---------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Node)
            and self.name == other.name
            and self._type == other._type
            and self._doc == other._doc
            and self._tags == other._tags
            and self._node_source == other._node_source
            and [n.name for n in self._dependencies] == [n.name for n in other._dependencies]
            and [n.name for n in self._depended_on_by] == [n.name for n in other._depended_on_by]
        )

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"<{self.name} {self._tags}>"

    def __getstate__(self) -> dict:
        return {slot: getattr(self, slot) for slot in self.__slots__}

    def __setstate__(self, state: dict) -> None:
        for slot, value in state.items():
            object.__setattr__(self, slot, value)


def _role(return_type: Any, input_types: dict[str, tuple[Any, DependencyType]]) -> NodeType:
    """EXPAND for ``Parallelizable[...]`` returns, COLLECT for a ``Collect[...]`` parameter.

    Plain classes can be neither, so ``htypes`` (and with it ``typing``) is only imported for
    functions that use generic annotations.
    """
    generic = [type_ for type_, _ in input_types.values() if not isinstance(type_, type)]
    if isinstance(return_type, type) and not generic:
        return NodeType.STANDARD
    from hamilton import htypes

    if htypes.is_parallelizable_type(return_type):
        return NodeType.EXPAND
    if any(htypes.is_collect_type(type_) for type_ in generic):
        return NodeType.COLLECT
    return NodeType.STANDARD


# copy_with arguments that map one-to-one onto a slot (no normalization needed).
_DIRECT_FIELDS = {
    "name": "_name",
    "typ": "_type",
    "doc_string": "_doc",
    "callabl": "_callable",
    "tags": "_tags",
    "namespace": "_namespace",
    "originating_functions": "_originating_functions",
    "input_types": "_input_types",
    "optional_values": "_default_parameter_values",
}


def _normalized_inputs(input_types: dict | None) -> bool:
    """Whether ``input_types`` (if given) already maps names to ``(type, DependencyType)``."""
    return input_types is None or all(type(entry) is tuple for entry in input_types.values())


def _is_inspect_empty(value: Any) -> bool:
    # inspect.Parameter.empty without importing inspect on the hot path.
    return getattr(value, "__qualname__", None) == "_empty" and getattr(value, "__module__", None) == "inspect"


_CO_VARIADIC = 0x04 | 0x08


def _read_plain_function(fn: Callable) -> tuple[dict, dict, Any, NodeType] | None:
    """``(input_types, defaults, return_type, role)`` straight from a function's code object.

    ``None`` when the function needs the general path: it is wrapped or has a custom signature,
    an annotation is a string or missing, or it takes ``*args``/``**kwargs``.
    """
    if type(fn) is not FunctionType or "__wrapped__" in fn.__dict__ or "__signature__" in fn.__dict__:
        return None
    code = fn.__code__
    if code.co_flags & _CO_VARIADIC:
        return None
    annotations = fn.__annotations__
    return_type = annotations.get("return", NO_DEFAULT)
    if return_type is NO_DEFAULT or return_type.__class__ is str:
        return None
    positional = code.co_argcount
    count = positional + code.co_kwonlyargcount
    defaults = fn.__defaults__ or ()
    first_default = positional - len(defaults)
    kwdefaults = fn.__kwdefaults__
    input_types = {}
    default_values = {}
    names = code.co_varnames
    all_classes = isinstance(return_type, type)
    for index in range(count):
        name = names[index]
        annotation = annotations.get(name, NO_DEFAULT)
        if annotation is NO_DEFAULT or annotation.__class__ is str:
            return None
        if annotation is None:
            annotation = type(None)
        elif all_classes and not isinstance(annotation, type):
            all_classes = False
        if index >= first_default and index < positional:
            input_types[name] = (annotation, _OPTIONAL)
            default_values[name] = defaults[index - first_default]
        elif index >= positional and kwdefaults and name in kwdefaults:
            input_types[name] = (annotation, _OPTIONAL)
            default_values[name] = kwdefaults[name]
        else:
            input_types[name] = (annotation, _REQUIRED)
    if return_type is None:
        return_type = type(None)
    role = NodeType.STANDARD if all_classes else _role(return_type, input_types)
    return input_types, default_values, return_type, role


def _inputs_from_parameters(
    parameters: list, fn: Callable, node_name: str
) -> tuple[dict[str, tuple[Any, DependencyType]], dict[str, Any]]:
    input_types: dict[str, tuple[Any, DependencyType]] = {}
    defaults: dict[str, Any] = {}
    for name, annotation, default, variadic in parameters:
        if variadic:
            raise InvalidFunctionError(
                f"Function {describe_function(fn)} takes *{name} or **{name}: Hamilton passes every "
                "dependency by name, so variadic parameters cannot be filled. Declare each "
                "dependency as its own named parameter."
            )
        if annotation is NO_DEFAULT:
            raise InvalidFunctionError(
                f"Missing type hint for {name} in function {node_name}. Please add one to fix. "
                f"(defined at {describe_function(fn)})"
            )
        if default is NO_DEFAULT:
            input_types[name] = (annotation, _REQUIRED)
        else:
            input_types[name] = (annotation, _OPTIONAL)
            defaults[name] = default
    return input_types, defaults


def _inputs_from_callable(fn: Callable, node_name: str) -> tuple[dict, dict]:
    return _inputs_from_parameters(read_signature(fn)[0], fn, node_name)


def matches_query(tags: dict[str, Any], query: dict[str, Any]) -> bool:
    """Whether node ``tags`` satisfy a tag ``query`` (every key present; values match).

    A query value of ``None`` matches any value; a string matches equal values (or membership
    in a list-valued tag); a list matches when it overlaps the tag's value(s).
    """
    for key, wanted in query.items():
        if key not in tags:
            return False
        if wanted is None:
            continue
        actual = tags[key]
        actual_values = set(actual) if isinstance(actual, (list, tuple, set)) else {actual}
        wanted_values = set(wanted) if isinstance(wanted, list) else {wanted}
        if not actual_values & wanted_values:
            return False
    return True


def validate_tag_query(query: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless every query value is ``None``, a str or a non-empty list."""
    for value in query.values():
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, list) and value:  # 1.x accepts any non-empty list
            continue
        raise ValueError("All tag query values must be a string or list of strings")
