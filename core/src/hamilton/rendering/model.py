"""The presentation model every renderer draws: one pass over a graph, shared by all formats.

Renderers (graphviz, Mermaid, JSON, a user's own) should not each re-derive what a node *is*
(a config value, an input, a Parallelizable, a saver...), how inputs group into tables, which
edges fan out or collect, or which parallel block and subdag namespace a node belongs to.
:func:`build_diagram` does it once, from the public :class:`~hamilton.graph_types.HamiltonGraph`
plus a :class:`GraphView` (what the caller wants emphasised) and an optional run state.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from hamilton import htypes
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.plugins.interfaces import NodeRunState, RunState

# Node kinds, in the order legends list them.
KINDS = ("config", "input", "function", "expand", "collect", "loader", "saver")
LOADER_TAG = "hamilton.data_loader"
LOADER_HAS_METADATA_TAG = "hamilton.data_loader.has_metadata"  # False on the node picking the value out
LOADER_CLASSNAME_TAG = "hamilton.data_loader.classname"
SAVER_TAG = "hamilton.data_saver"
SAVER_CLASSNAME_TAG = "hamilton.data_saver.classname"
CONFIG_TAG = "hamilton.config"
SCHEMA_TAG = "hamilton.internal.schema_output"
DISPLAY_NAME_TAG = "display_name"
FALLBACK_TAG = "hamilton.fallback"  # @fallback: "price=value(0.0); qty=source(last_qty)"
CONFIG_VALUE_MAX_CHARS = 50
FALLBACK_TEXT_MAX_CHARS = 30  # what an edge label shows of a fallback value
# Edge styles a legend shows (edges into a node whose @fallback covers them, and the edges
# bringing a fallback's source node), in legend order.
EDGE_STYLES = ("fallback-guarded", "fallback-source")


@dataclasses.dataclass(frozen=True)
class GraphView:
    """What the caller wants emphasised beyond the graph: requested outputs, a highlighted path,
    overridden nodes, and the config values to draw as config nodes."""

    outputs: frozenset[str] = frozenset()
    path: frozenset[str] = frozenset()
    overrides: frozenset[str] = frozenset()
    config: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class DiagramNode(NamedTuple):
    """One box of the drawing (a node of the graph, or a config entry).

    Named tuples rather than dataclasses here and below: a drawing makes one per node and edge,
    and a frozen dataclass costs ~3 µs each to build, most of the time of a 2,000-node drawing.
    """

    name: str
    label: str  # the ``display_name`` tag when set, else the name
    kind: str  # one of KINDS
    type_name: str  # short type (``int``, ``DataFrame``), the loader/saver class, or a config value
    node: HamiltonNode | None  # None for config entries
    config_keys: tuple[str, ...] = ()  # the config keys that chose this function (@config.when)
    schema: tuple[tuple[str, str], ...] = ()  # (field, type) pairs from @schema.output
    namespace: tuple[str, ...] = ()  # enclosing subdag namespaces, outermost first
    blocks: tuple[str, ...] = ()  # enclosing parallel blocks (their Parallelizable node), outermost first
    is_output: bool = False
    on_path: bool = False
    is_override: bool = False
    run: NodeRunState | None = None

    @property
    def classes(self) -> tuple[str, ...]:
        """Style classes, most specific last: the kind, then ``output``/``path``/``override``."""
        if not (self.is_output or self.on_path or self.is_override or self.run is not None):
            return (self.kind,)
        extra = [
            name
            for name, on in (("output", self.is_output), ("path", self.on_path), ("override", self.is_override))
            if on
        ]
        if self.run is not None:
            extra.append(f"status-{self.run.status}")
        return (self.kind, *extra)


class InputGroup(NamedTuple):
    """External inputs drawn together as one table, feeding ``consumers``."""

    id: str
    fields: tuple[tuple[str, str], ...]  # (input name, type name)
    consumers: tuple[str, ...]


class DiagramEdge(NamedTuple):
    """A dependency ``source -> target``; ``kind`` is ``"plain"``, ``"expand"`` (out of a
    Parallelizable, once per item) or ``"collect"`` (into a Collect, gathering the items).

    ``fallback`` says what an ``@fallback`` of the target makes of the edge: ``""`` (nothing),
    ``"guarded"`` (the target falls back when ``source`` fails) or ``"source"`` (``source`` is
    the node a fallback reads instead); ``label`` is the text to show on the edge then
    (``fallback: value(0.0)``, ``fallback for price``).
    """

    source: str
    target: str
    kind: str = "plain"
    optional: bool = False
    on_path: bool = False
    fallback: str = ""
    label: str = ""

    @property
    def style(self) -> str | None:
        """The edge's entry in :data:`EDGE_STYLES` (``fallback-guarded``...), or None."""
        return f"fallback-{self.fallback}" if self.fallback else None


class Fallback(NamedTuple):
    """One parameter of an ``@fallback``: what the node uses when ``parameter``'s producer fails."""

    parameter: str  # also the name of the node producing it
    how: str  # "value" or "source"
    source: str | None  # the node read instead, for "source"
    text: str  # as the tag writes it: "value(0.0)", "source(cached_price)" (long values cut)


@dataclasses.dataclass(frozen=True)
class Diagram:
    """Everything a renderer draws, in a stable order (the graph's node order)."""

    config: tuple[DiagramNode, ...]
    nodes: tuple[DiagramNode, ...]
    input_groups: tuple[InputGroup, ...]
    edges: tuple[DiagramEdge, ...]
    input_edges: tuple[tuple[str, str], ...]  # (input group id, consumer)
    # The style classes of the boxes, when whoever built the diagram collected them on the way
    # (build_diagram does): saves the legend a pass over every node.
    classes_present: frozenset[str] | None = None
    # True when build_diagram knows every edge is plain (no fan-out, collect, optional, path or
    # fallback edge): renderers may then write them without looking at each edge's kind.
    plain_edges: bool = False

    @property
    def legend(self) -> tuple[str, ...]:
        """The style classes present, in legend order (kinds first, then emphasis)."""
        present = set(self.classes_present) if self.classes_present is not None else self._classes()
        if self.input_groups:
            present.add("input")
        order = (*KINDS[:3], "cluster", "field", "output", "override", "path", *KINDS[3:])
        return tuple(cls for cls in order if cls in present)

    @property
    def edge_legend(self) -> tuple[str, ...]:
        """The edge styles present (:data:`EDGE_STYLES`, e.g. ``fallback-guarded``), in legend
        order: a legend draws a sample edge for each."""
        if self.plain_edges:
            return ()
        present = {edge.fallback for edge in self.edges if edge.fallback}
        return tuple(style for style in EDGE_STYLES if style.removeprefix("fallback-") in present)

    def _classes(self) -> set[str]:
        present = {node.kind for node in (*self.config, *self.nodes)}
        for node in self.nodes:
            present.update(node.classes)
            if node.schema:
                present.update(("cluster", "field"))
        return present


def kind_of(node: HamiltonNode) -> str:
    """``"input"``, ``"expand"``, ``"collect"``, ``"loader"``, ``"saver"`` or ``"function"``."""
    if node.is_external_input:
        return "input"
    if node.tags.get(LOADER_TAG) and node.tags.get(LOADER_HAS_METADATA_TAG, True):
        return "loader"  # the node running the loader; the one selecting its value is a function (1.x)
    if node.tags.get(SAVER_TAG):
        return "saver"
    if node.role in ("expand", "collect"):
        return node.role
    return "function"


def type_name(node: HamiltonNode, kind: str, cache: dict[Any, str] | None = None) -> str:
    """What the box shows under the name: the short type, or the loader/saver class.

    ``cache`` (type -> name) spares re-deriving the name of a type many nodes share.
    """
    if kind == "loader" or kind == "saver":
        tag = LOADER_CLASSNAME_TAG if kind == "loader" else SAVER_CLASSNAME_TAG
        if node.tags.get(tag):
            return str(node.tags[tag])
    if cache is None:
        return htypes.get_type_as_string(node.type) or ""
    try:
        return cache[node.type]
    except KeyError:
        name = cache[node.type] = htypes.get_type_as_string(node.type) or ""
        return name
    except TypeError:  # an unhashable annotation
        return htypes.get_type_as_string(node.type) or ""


def schema_of(node: HamiltonNode) -> tuple[tuple[str, str], ...]:
    """The ``@schema.output`` fields of a node, as (name, type) pairs."""
    value = node.tags.get(SCHEMA_TAG)
    if not value or not isinstance(value, str):
        return ()
    return tuple(tuple(field.split("=", 1)) for field in value.split(",") if "=" in field)  # type: ignore[misc]


# One ``param=value(...)``/``param=source(...)`` entry of the tag's text; entries are joined by "; ".
_FALLBACK_ENTRY = re.compile(r"(?:^|;)\s*([A-Za-z_]\w*)\s*=\s*(value|source)\(")


def parse_fallback_text(text: str) -> dict[str, tuple[str, str]]:
    """``{parameter: (how, argument text)}`` from the text of a ``hamilton.fallback`` tag
    (``"price=value(0.0); qty=source(last_qty)"``), for tags without ``.spec`` (a graph read back
    from elsewhere). Best effort: an entry that does not read ``name=value(...)`` or
    ``name=source(...)`` is left out; a source's quotes (``source("n")``) are dropped."""
    entries = list(_FALLBACK_ENTRY.finditer(text))
    parsed: dict[str, tuple[str, str]] = {}
    for index, entry in enumerate(entries):
        end = entries[index + 1].start() if index + 1 < len(entries) else len(text)
        argument = text[entry.end() : end].rstrip()
        if not argument.endswith(")"):
            continue
        argument = argument[:-1].strip()
        if entry[2] == "source":
            if len(argument) >= 2 and argument[0] == argument[-1] and argument[0] in "'\"":
                argument = argument[1:-1]
            if not argument:
                continue
        parsed[entry[1]] = (entry[2], argument)
    return parsed


def _short(text: str) -> str:
    return text if len(text) <= FALLBACK_TEXT_MAX_CHARS else text[: FALLBACK_TEXT_MAX_CHARS - 3] + "..."


def fallbacks_of(node: HamiltonNode) -> tuple[Fallback, ...]:
    """The ``@fallback`` entries of ``node`` (none without the ``hamilton.fallback`` tag).

    The tag's ``.spec`` (``{parameter: ("value", value) | ("source", node name)}``) says what
    each entry is; a tag that is a plain string (no ``.spec``) is parsed instead. Anything that
    reads as neither gives no entry: a drawing never fails over a fallback it cannot read.
    """
    tag = node.tags.get(FALLBACK_TAG)
    if not tag or not isinstance(tag, str):
        return ()
    written = parse_fallback_text(tag)
    spec = getattr(tag, "spec", None)
    if not isinstance(spec, Mapping):
        spec = written
    found = []
    for parameter, entry in spec.items():
        try:
            how, argument = entry
        except (TypeError, ValueError):
            continue
        parameter = str(parameter)
        if how == "source" and isinstance(argument, str) and argument:
            found.append(Fallback(parameter, how, argument, f"source({argument})"))
        elif how == "value":
            shown = written.get(parameter)
            value_text = shown[1] if shown is not None and shown[0] == "value" else _safe_repr(argument)
            found.append(Fallback(parameter, how, None, f"value({_short(value_text)})"))
    return tuple(found)


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:  # a value whose repr fails still draws
        return f"<{type(value).__name__}>"


def fallback_edges(node: HamiltonNode) -> dict[str, tuple[str, str]]:
    """``{dependency: (fallback, label)}`` for the edges into ``node`` that its ``@fallback``
    marks: ``("guarded", "fallback: value(0.0)")`` from the node producing a covered parameter,
    ``("source", "fallback for price")`` from a fallback's source node. A dependency that is
    both is ``"guarded"``, with both labels."""
    guarded: dict[str, list[str]] = {}
    sources: dict[str, list[str]] = {}
    for entry in fallbacks_of(node):
        guarded.setdefault(entry.parameter, []).append(f"fallback: {entry.text}")
        if entry.source is not None:
            sources.setdefault(entry.source, []).append(entry.parameter)
    marked = {name: ("guarded", "; ".join(labels)) for name, labels in guarded.items()}
    for name, parameters in sources.items():
        label = f"fallback for {', '.join(parameters)}"
        if name in marked:
            marked[name] = ("guarded", f"{marked[name][1]}; {label}")
        else:
            marked[name] = ("source", label)
    return marked


def namespace_of(node: HamiltonNode, kind: str) -> tuple[str, ...]:
    """Subdag namespaces from the dotted name (``outer.inner.node``); none for materializers,
    whose generated names (``load_data.x``) are not namespaces."""
    if kind in ("loader", "saver") or "." not in node.name:
        return ()
    return tuple(node.name.split(".")[:-1])


def parallel_blocks(graph: HamiltonGraph) -> dict[str, tuple[str, ...]]:
    """Each node's enclosing parallel blocks (named after their Parallelizable node).

    A node is inside the block of every Parallelizable upstream of it that no Collect in between
    closes; the Parallelizable and the Collect themselves sit on the block's boundary, outside.
    """
    if not any(node.role == "expand" for node in graph.nodes):
        return {}  # the common case: no Parallelizable, nothing is inside a block
    by_name = {node.name: node for node in graph.nodes}
    blocks: dict[str, tuple[str, ...]] = {}
    for name in _topological_order(by_name):
        node = by_name[name]
        inside: tuple[str, ...] = ()
        for dependency in (*node.required_dependencies, *node.optional_dependencies):
            parent = by_name.get(dependency)
            if parent is None:
                continue
            candidate = blocks[dependency] + ((dependency,) if parent.role == "expand" else ())
            if len(candidate) > len(inside):
                inside = candidate
        blocks[name] = inside[:-1] if node.role == "collect" else inside
    return blocks


def _topological_order(by_name: Mapping[str, HamiltonNode]) -> list[str]:
    """Names with dependencies first (iterative: graphs may be 100,000 nodes deep)."""
    order: list[str] = []
    state: dict[str, bool] = {}  # False: in progress, True: done
    for root in by_name:
        if root in state:
            continue
        stack = [(root, False)]
        while stack:
            name, expanded = stack.pop()
            if expanded:
                state[name] = True
                order.append(name)
                continue
            if name in state:
                continue
            state[name] = False
            stack.append((name, True))
            node = by_name[name]
            for dependency in (*node.required_dependencies, *node.optional_dependencies):
                if dependency in by_name and dependency not in state:
                    stack.append((dependency, False))
    return order


def _add_edges(
    edges: list[DiagramEdge],
    node: HamiltonNode,
    kinds: Mapping[str, str],
    blocks: Mapping[str, tuple[str, ...]],
    path: frozenset[str],
) -> None:
    """Append the edges into ``node`` from the drawn nodes it depends on (inputs are drawn in
    tables, and nodes outside the drawing have no box to start from). build_diagram writes the
    edges of plain graphs itself; this is the general case."""
    name = node.name
    required = node.required_dependencies
    collect_depth = len(blocks.get(name, ())) if node.role == "collect" else None
    on_path = name in path
    marked = fallback_edges(node) if FALLBACK_TAG in node.tags else {}
    for dependencies, optional in ((required, False), (node.optional_dependencies, True)):
        for dependency in _ordered(dependencies) if dependencies else ():
            kind = kinds.get(dependency)
            if kind is None:
                continue
            if kind == "expand":
                edge_kind = "expand"
            elif collect_depth is not None and len(blocks.get(dependency, ())) > collect_depth:
                edge_kind = "collect"
            else:
                edge_kind = "plain"
            fallback, label = marked.get(dependency, ("", "")) if marked else ("", "")
            edges.append(
                _new_edge(
                    DiagramEdge,
                    (dependency, name, edge_kind, optional, on_path and dependency in path, fallback, label),
                )
            )


# DiagramNode(...)/DiagramEdge(...) without the named tuples' Python-level __new__ (half the cost)
_new_node = _new_edge = tuple.__new__


def _ordered(names: set[str]) -> list[str]:
    """Set members in a stable order (a set of strings iterates differently in every process)."""
    return sorted(names) if len(names) > 1 else list(names)


def format_duration(seconds: float) -> str:
    """A short human duration for drawings of a run: ``850 µs``, ``1.2 ms``, ``3.40 s``,
    ``2 min 5 s`` (one function, so every renderer shows times alike)."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:.0f} s"


def _config_value(value: Any) -> str:
    text = str(value)
    return text if len(text) <= CONFIG_VALUE_MAX_CHARS else text[: CONFIG_VALUE_MAX_CHARS - 3] + "..."


def _input_groups(
    graph: HamiltonGraph, inputs: Mapping[str, HamiltonNode], deduplicate: bool
) -> tuple[tuple[InputGroup, ...], tuple[tuple[str, str], ...]]:
    """One table of inputs per consuming function (``_<function>_inputs``), or with
    ``deduplicate`` one per distinct set of inputs, shared by the functions reading that set."""
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    ordered: list[tuple[tuple[tuple[str, str], ...], str]] = []
    input_names = inputs.keys()
    for node in graph.nodes:
        if node.is_external_input:
            continue
        required, optional = node.required_dependencies, node.optional_dependencies
        if input_names.isdisjoint(required) and (not optional or input_names.isdisjoint(optional)):
            continue  # most nodes read no input: answered in C without building a set
        read = input_names & required
        if optional:
            read |= input_names & optional
        names = sorted(read)
        fields = tuple((name, htypes.get_type_as_string(inputs[name].type) or "") for name in names)
        key = fields if deduplicate else ((node.name, ""), *fields)
        if key not in groups:
            groups[key] = []
            ordered.append((key, node.name))
        groups[key].append(node.name)
    result = []
    edges = []
    for key, first_consumer in ordered:
        fields = key if deduplicate else key[1:]
        group = InputGroup(id=f"_{first_consumer}_inputs", fields=fields, consumers=tuple(groups[key]))
        result.append(group)
        edges.extend((group.id, consumer) for consumer in group.consumers)
    return tuple(result), tuple(edges)


def build_diagram(
    graph: HamiltonGraph,
    view: GraphView | None = None,
    run_state: RunState | None = None,
    *,
    hide_inputs: bool = False,
    deduplicate_inputs: bool = False,
    show_schema: bool = True,
) -> Diagram:
    """The :class:`Diagram` of ``graph`` as ``view`` asks to show it."""
    view = view or GraphView()
    run_state = run_state or {}
    config = tuple(
        DiagramNode(name=str(key), label=str(key), kind="config", type_name=_config_value(value), node=None)
        for key, value in view.config.items()
    )
    blocks = parallel_blocks(graph)
    inputs = {node.name: node for node in graph.nodes if node.is_external_input}
    nodes = []
    kinds: dict[str, str] = {}
    type_names: dict[Any, str] = {}
    outputs, path, overrides = view.outputs, view.path, view.overrides
    no_run = not run_state
    has_schema = False
    for node in graph.nodes:
        if node.is_external_input:
            continue
        name = node.name
        tags = node.tags
        if node.role == "standard" and LOADER_TAG not in tags and SAVER_TAG not in tags:
            kind = "function"  # what kind_of() says, without the call: most nodes are plain functions
            shown_type = type_names.get(node.type) if isinstance(node.type, type) else None
            if shown_type is None:
                shown_type = type_name(node, kind, type_names)
        else:
            kind = kind_of(node)
            shown_type = type_name(node, kind, type_names)
        kinds[name] = kind
        config_tag = tags.get(CONFIG_TAG)
        schema = schema_of(node) if show_schema and SCHEMA_TAG in tags else ()
        if schema:
            has_schema = True
        nodes.append(
            _new_node(
                DiagramNode,
                (
                    name,
                    str(display_name) if (display_name := tags.get(DISPLAY_NAME_TAG)) else name,
                    kind,
                    shown_type,
                    node,
                    tuple(config_tag.split(",")) if isinstance(config_tag, str) and config_tag else (),
                    schema,
                    namespace_of(node, kind) if "." in name else (),
                    blocks.get(name, ()) if blocks else (),
                    name in outputs,
                    name in path,
                    name in overrides,
                    None if no_run else run_state.get(name),
                ),
            )
        )
    edges: list[DiagramEdge] = []
    append = edges.append
    plain_only = not blocks and not path  # no Parallelizable, nothing highlighted: no edge is styled
    all_plain = plain_only
    for node in graph.nodes:
        if node.is_external_input:
            continue
        if plain_only and node.role == "standard" and not node.optional_dependencies and FALLBACK_TAG not in node.tags:
            # inline: the common case for thousands of nodes
            name, required = node.name, node.required_dependencies
            for dependency in sorted(required) if len(required) > 1 else required:
                if dependency in kinds:
                    append(_new_edge(DiagramEdge, (dependency, name, "plain", False, False, "", "")))
        else:
            all_plain = False
            _add_edges(edges, node, kinds, blocks, path)
    if hide_inputs or not inputs:
        groups: tuple[InputGroup, ...] = ()
        input_edges: tuple[tuple[str, str], ...] = ()
    else:
        groups, input_edges = _input_groups(graph, inputs, deduplicate_inputs)
    present = set(kinds.values())
    if config:
        present.add("config")
    if has_schema:
        present.update(("cluster", "field"))
    emphasised = (outputs | path | overrides | run_state.keys()) & kinds.keys()
    if emphasised:
        present.update(cls for node in nodes if node.name in emphasised for cls in node.classes)
    return Diagram(
        config=config,
        nodes=tuple(nodes),
        input_groups=groups,
        edges=tuple(edges),
        input_edges=input_edges,
        classes_present=frozenset(present),
        plain_edges=all_plain,
    )
