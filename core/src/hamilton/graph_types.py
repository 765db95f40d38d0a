"""Read-only, stable views of a graph and its nodes for users, hooks and tools.

``HamiltonNode``/``HamiltonGraph`` carry exactly 1.x's fields; they are what
``Driver.list_available_variables`` returns and what lifecycle hooks receive.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hamilton import htypes
from hamilton.node import DependencyType, NodeType

if TYPE_CHECKING:
    from hamilton.graph import Graph
    from hamilton.node import Node

logger = logging.getLogger(__name__)
_ROLES = {NodeType.EXPAND: "expand", NodeType.COLLECT: "collect"}


def _strip_docstrings(source: str) -> str:
    """The code of ``source`` without docstrings and comments, in a canonical layout."""
    import ast
    import textwrap

    tree = ast.parse(textwrap.dedent(source))
    for definition in ast.walk(tree):
        if isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = definition.body
            first = body[0] if body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                definition.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree)


def hash_source_code(source: str | Callable, strip: bool = False) -> str:
    """sha256 of a function's source; with ``strip``, docstrings, comments and layout are ignored."""
    if not isinstance(source, str):
        import inspect

        source = inspect.getsource(source)
    if strip:
        try:
            source = _strip_docstrings(source)
        except SyntaxError:  # e.g. a lambda's source line: hash it as written
            source = source.strip()
    return hashlib.sha256(source.encode()).hexdigest()


_code_versions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def code_version(function: Callable) -> str:
    """:func:`hash_source_code` of ``function`` with docstrings stripped, computed once per code object.

    Reading and re-parsing a function's source costs far more than running most nodes, and the
    cache versions every node of every new driver. The code object a function runs cannot
    change, so its version is remembered for as long as it exists (and follows ``__code__``
    if that is replaced).
    """
    code = getattr(function, "__code__", None)
    if code is None:
        return hash_source_code(function, strip=True)
    version = _code_versions.get(code)
    if version is None:
        version = _code_versions[code] = hash_source_code(function, strip=True)
    return version


@dataclasses.dataclass
class HamiltonNode:
    """One node of a graph, as users see it. Also exported as ``hamilton.driver.Variable``."""

    name: str
    type: type
    tags: dict[str, str | list[str]] = dataclasses.field(default_factory=dict)
    is_external_input: bool = dataclasses.field(default=False)
    originating_functions: tuple[Callable, ...] | None = None
    documentation: str | None = None
    required_dependencies: set[str] = dataclasses.field(default_factory=set)
    optional_dependencies: set[str] = dataclasses.field(default_factory=set)
    optional_dependencies_default_values: dict[str, Any] = dataclasses.field(default_factory=dict)
    # Beyond 1.x's fields: "standard", "expand" (Parallelizable) or "collect" (Collect), so that
    # tools such as renderers can show parallel blocks.
    role: str = "standard"

    @staticmethod
    def from_node(n: Node) -> HamiltonNode:
        # One pass over the inputs and positional arguments: drawings convert thousands of nodes.
        required: set[str] = set()
        optional: set[str] = set()
        for name, (_, dependency) in n.input_types.items():
            (required if dependency is DependencyType.REQUIRED else optional).add(name)
        return HamiltonNode(
            n.name,
            n.type,
            n.tags,
            n.user_defined,
            n.originating_functions,
            n.documentation,
            required,
            optional,
            dict(n.default_parameter_values),
            _ROLES.get(n.node_role, "standard"),
        )

    @functools.cached_property
    def version(self) -> str | None:
        """sha256 of the originating function's code (docstrings and comments ignored).

        As in 1.x, an input's originating function is its first consumer; an input without one
        (a config value) is versioned by its name; a node without source code has none.
        """
        if not self.originating_functions:
            return self.name if self.is_external_input else None
        try:
            return code_version(self.originating_functions[0])
        except (OSError, TypeError):
            logger.warning("Cannot read the source of node %s, so it has no version.", self.name)
            return None

    def _source(self) -> str | None:
        if not self.originating_functions:
            return None
        import inspect

        try:
            return inspect.getsource(self.originating_functions[0])
        except (OSError, TypeError):
            return None

    def as_dict(self, include_optional_dependencies_default_values: bool = False) -> dict[str, Any]:
        """A JSON-friendly description (type as a string, dependencies sorted)."""
        description = {
            "name": self.name,
            "tags": self.tags,
            "output_type": htypes.get_type_as_string(self.type) if self.type else "",
            "required_dependencies": sorted(self.required_dependencies),
            "optional_dependencies": sorted(self.optional_dependencies),
            "source": self._source(),
            "documentation": self.documentation,
            "version": self.version,
        }
        if include_optional_dependencies_default_values:
            description["optional_dependencies_default_values"] = self.optional_dependencies_default_values
        return description

    def __repr__(self) -> str:
        return f'Node("{self.name}": {htypes.get_type_as_string(self.type)})'

    def __hash__(self) -> int:  # equal nodes share a name, so this is consistent with ==
        return hash(self.name)


@dataclasses.dataclass
class HamiltonGraph:
    """All nodes of a graph, as users see them."""

    nodes: list[HamiltonNode]

    @staticmethod
    def from_graph(fn_graph: Graph) -> HamiltonGraph:
        return HamiltonGraph(nodes=[HamiltonNode.from_node(n) for n in fn_graph.get_nodes()])

    @functools.cached_property
    def version(self) -> str:
        """sha256 over the sorted versions of every node: changes when any node's code does."""
        versions = sorted(n.version for n in self.nodes if n.version is not None)
        return hashlib.sha256(str(versions).encode()).hexdigest()

    def __getitem__(self, key: str) -> HamiltonNode:
        for n in self.nodes:
            if n.name == key:
                return n
        raise KeyError(f"{key!r} is not a node of this graph.")

    def filter_nodes(self, filter: Callable[[HamiltonNode], bool]) -> list[HamiltonNode]:
        return [n for n in self.nodes if filter(n)]
