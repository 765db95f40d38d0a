"""``renderer("mermaid")``: Hamilton graphs as Mermaid flowcharts, in pure Python.

Mermaid text renders wherever Markdown does (GitHub, GitLab, JupyterLab >= 4.1, mermaid.live,
documentation sites), so a drawing needs no graphviz binary. It carries what 1.x's graphviz
drawings carry: node kinds and 1.x's colours, input tables, config values, schema fields,
outputs, overrides, a highlighted path, parallel blocks and subdag namespaces, and a run.

Safety: node ids are generated (``n0``, ``n1``...), never names, and every piece of user text
goes through :func:`escape`, so a name can neither break the syntax (quotes, ``end``, ``%%``)
nor inject HTML (``<script>``): mermaid shows it as literal text.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator

from hamilton.graph_types import HamiltonGraph
from hamilton.plugins.hookspecs import hookimpl
from hamilton.plugins.interfaces import NodeRunState, Renderer, RunState
from hamilton.rendering.model import Diagram, DiagramNode, GraphView, build_diagram, format_duration

HAMILTON_CORE_VERSIONS = ">=2.0,<3"

ORIENTATIONS = ("LR", "RL", "TB", "TD", "BT")
TYPE_MAX_CHARS = 80  # as 1.x: longer type names end in "[...]"
ERROR_MAX_CHARS = 60
TIMES = "\u00d7"  # the multiplication sign: "ran x4" for four runs in a parallel block

# -- escaping ---------------------------------------------------------------------------------
# Mermaid turns ``#name;``/``#123;`` codes in labels into HTML entities after parsing, so a coded
# character is invisible to mermaid's syntax and pre-passes and shows literally:
#   " ends the quoted label; < > & would be HTML; # would start a code itself; % could form a
#   %%{init}%% directive (looked for anywhere in the text); : lets the "style...:...#...;"
#   pre-pass eat a code's ";"; ` could start a markdown string; U+2028/U+2029 end lines for
#   some tools. A newline is a line break. As hamilton-viz-graphviz does, other control
#   characters show as their Unicode pictures (U+0001 as ␁), and what is not text (C1 controls,
#   which HTML would read as Windows-1252, lone surrogates, U+FFFE/U+FFFF) as U+FFFD.
_CODES = {'"': "#quot;", "#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "\n": "<br/>", "\t": "#9;"}
_CODES.update({char: f"#{ord(char)};" for char in "%:$`\u2028\u2029"})
_CODES.update({chr(code): chr(0x2400 + code) for code in range(32) if chr(code) not in _CODES})
_CODES["\x7f"] = "\u2421"
_NOT_TEXT = (*range(0x80, 0xA0), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF)
_CODES.update({chr(code): "#65533;" for code in _NOT_TEXT})
_ESCAPES = str.maketrans(_CODES)
# Mermaid acts on some text *after* decoding the codes: ``$$...$$`` becomes KaTeX, ``fa:fa-x`` an
# icon and a backslash-n a line break. An empty <wbr> element splits those patterns without
# changing the text shown (they are rare: each is replaced only where it occurs).
_BREAKS = (("#36;#36;", "#36;<wbr>#36;"), ("#58;fa", "#58;<wbr>fa"), ("\\n", "\\<wbr>n"))


# One search finds the (usual) text needing no change: translate() looks up every character.
_NEEDS_ESCAPING = re.compile("[" + re.escape("".join(_CODES)) + "]").search


def escape(text: str) -> str:
    """``text`` for a quoted Mermaid label: shown as written, never as markup (a newline is a line
    break; other control characters and non-characters are made visible, see ``_CODES``)."""
    if _NEEDS_ESCAPING(text) is None:
        return text
    escaped = text.translate(_ESCAPES)
    for pattern, broken in _BREAKS:
        if pattern in escaped:  # twice: one pass leaves "$$" between the pairs of "$$$$"
            escaped = escaped.replace(pattern, broken).replace(pattern, broken)
    return escaped


# -- styles (1.x's graphviz colours) ----------------------------------------------------------
# Declared in this order: when a node has several classes, mermaid merges their styles in the
# order of the ``class`` statements, which follow this order too, so the most specific wins.
CLASS_STYLES = {
    "config": "fill:#ffffff,stroke:#333333",
    "input": "fill:#ffffff,stroke:#333333,stroke-dasharray:5 5",
    "function": "fill:#b4d8e4,stroke:#333333",
    "expand": "fill:#b4d8e4,stroke:#56E39F,stroke-width:3px",
    "collect": "fill:#b4d8e4,stroke:#EA5556,stroke-width:3px",
    "loader": "fill:#b4d8e4,stroke:#333333",
    "saver": "fill:#b4d8e4,stroke:#333333",
    "cluster": "fill:#ffffff,stroke:#649fb3,stroke-dasharray:5 5",
    "field": "fill:#c8dae0,stroke:#649fb3,font-family:monospace",
    "output": "fill:#FFC857",
    "path": "stroke:red,stroke-width:3px",
    "override": "stroke-width:3px,stroke-dasharray:2 3",
    # A run (as hamilton-viz-graphviz draws it): failures stand out, skipped nodes fade, cached
    # ones get their own fill; nodes that ran keep their colours, with a heavier border.
    "status-input": "fill:#ffffff",
    "status-overridden": "stroke-width:3px,stroke-dasharray:2 3",
    "status-cached": "fill:#D7C9F0",
    "status-ran": "stroke-width:2px",
    "status-skipped": "fill:#EEEEEE,color:#777777,stroke-dasharray:4 4",
    "status-failed": "fill:#F28B82,stroke:#B3261E,stroke-width:3px",
    "namespace": "fill:#f8fbfc,stroke:#649fb3",
    "block": "fill:#f4fdf8,stroke:#56E39F,stroke-dasharray:8 4",
    "legend": "fill:#ffffff,stroke:#cccccc",
    # the tail and head of a legend's sample edge: text only, and nothing
    "legend-edge": "fill:none,stroke:none",
}
STATUS_CLASSES = tuple(f"status-{status}" for status in NodeRunState.STATUSES)
LEGEND_LABELS = {"cluster": "schema", **{cls: cls[7:] for cls in STATUS_CLASSES}}

# Shapes around a quoted label: 1.x's note for config, cylinder for materializers; mermaid's
# double-sided box stands in for graphviz's double periphery of expand/collect nodes.
SHAPES = {
    "config": (">", "]"),
    "input": ("[", "]"),
    "function": ("(", ")"),
    "expand": ("[[", "]]"),
    "collect": ("[[", "]]"),
    "loader": ("[(", ")]"),
    "saver": ("[(", ")]"),
    "field": ("[", "]"),
    "cluster": ("[", "]"),
    "legend-edge": ("[", "]"),
}

# Edges: expand/collect edges are thick and labelled (graphviz drew crow's feet), optional
# dependencies dotted; colours come from linkStyle, a highlighted path's red winning.
KIND_LABELS = {"plain": "", "expand": "each", "collect": "collect"}
ARROWS = {
    (kind, optional): ("-.->" if optional else "-->" if kind == "plain" else "==>") + (f"|{label}|" if label else "")
    for kind, label in KIND_LABELS.items()
    for optional in (False, True)
}
FALLBACK_COLOR = "#D9822B"
# Edges an @fallback marks (as hamilton-viz-graphviz draws them): orange and labelled, dashed from
# a node whose failure the consumer survives, finely dotted from the node a fallback reads instead.
FALLBACK_DASHES = {"guarded": "stroke-dasharray:6 4", "source": "stroke-dasharray:2 3"}
LINK_STYLES = {
    "expand": "stroke:#56E39F,stroke-width:2px",
    "collect": "stroke:#EA5556,stroke-width:2px",
    "path": "stroke:red,stroke-width:3px",
    **{
        f"fallback-{role}": f"stroke:{FALLBACK_COLOR},stroke-width:2px,{dashes},color:{FALLBACK_COLOR}"
        for role, dashes in FALLBACK_DASHES.items()
    },
    **{f"path-fallback-{role}": f"stroke:red,stroke-width:3px,{dashes}" for role, dashes in FALLBACK_DASHES.items()},
}
LEGEND_EDGE_LABELS = {"fallback-guarded": "fallback", "fallback-source": "fallback source"}
INDENT = "    "


# -- labels -----------------------------------------------------------------------------------
def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "[...]"


def run_summary(state: NodeRunState) -> str:
    """One line about a node's run: ``ran`` (times 4 in a parallel block) ``· 12.0 ms``,
    ``failed · 1.0 ms · ValueError: boom``..."""
    parts = [state.status + (f" {TIMES}{state.instances}" if state.instances > 1 else "")]
    if state.duration is not None:
        parts.append(format_duration(state.duration))
    if state.error:
        parts.append(_truncate(state.error, ERROR_MAX_CHARS))
    return " · ".join(parts)


@functools.lru_cache(maxsize=1024)
def _type_line(type_name: str) -> str:
    """``<br/><i>type</i>`` (cached: a graph has many nodes but few types)."""
    return f"<br/><i>{escape(_truncate(type_name, TYPE_MAX_CHARS))}</i>" if type_name else ""


def node_label(node: DiagramNode, escape_title: Callable[[str], str] = escape) -> str:
    """``<b>name</b>`` (with 1.x's ``: config keys``), the type in italics, then the run.

    ``escape_title`` may be ``str`` when the caller checked already that no title needs escaping.
    """
    title = node.label + (f": {', '.join(node.config_keys)}" if node.config_keys else "")
    label = f"<b>{escape_title(title)}</b>{_type_line(node.type_name)}"
    return label if node.run is None else f"{label}<br/>{escape(run_summary(node.run))}"


@functools.lru_cache(maxsize=4096)
def _field_line(name: str, type_name: str) -> str:
    """``name: type`` (cached: tables per consumer repeat the same inputs)."""
    return escape(f"{name}: {_truncate(type_name, TYPE_MAX_CHARS)}" if type_name else name)


def _shape(kind: str, node_id: str, label: str) -> str:
    opening, closing = SHAPES[kind]
    return f'{node_id}{opening}"{label}"{closing}'


# -- nesting: parallel blocks and subdag namespaces as subgraphs ------------------------------
Group = tuple[str, tuple[str, ...]]  # ("namespace", prefix) or ("block", (parallelizable,))


@dataclasses.dataclass
class _Cluster:
    """A subgraph: its own lines (nodes, indented) and its child subgraphs, in first-seen order."""

    lines: list[str] = dataclasses.field(default_factory=list)
    children: dict[Group, _Cluster] = dataclasses.field(default_factory=dict)


def _groups(node: DiagramNode) -> list[Group]:
    groups: list[Group] = [("namespace", node.namespace[: i + 1]) for i in range(len(node.namespace))]
    return groups + [("block", (block,)) for block in node.blocks]


def nesting(nodes: Iterable[DiagramNode]) -> dict[str, tuple[Group, ...]]:
    """Each node's enclosing subgraphs, outermost first (nodes in none are left out).

    Namespaces and blocks are independent, so neither can always be outermost: groups are
    nested by size (larger outside; namespaces before blocks, outer before inner on ties),
    which draws every tree of namespaces and blocks as a tree of subgraphs.
    """
    grouped = {node.name: _groups(node) for node in nodes if node.namespace or node.blocks}
    sizes: dict[Group, int] = {}
    for groups in grouped.values():
        for group in groups:
            sizes[group] = sizes.get(group, 0) + 1

    def order(group: Group) -> tuple[int, bool, int]:
        kind, key = group
        return -sizes[group], kind != "namespace", len(key) if kind == "namespace" else 0

    return {name: tuple(sorted(groups, key=order)) for name, groups in grouped.items()}


# -- the writer -------------------------------------------------------------------------------
class _Writer:
    """Turns a :class:`Diagram` into Mermaid lines. Ids, class memberships and link styles are
    gathered on the way and written at the end (mermaid wants them after what they name)."""

    def __init__(self, diagram: Diagram):
        self.diagram = diagram
        self.ids: dict[str, str] = {}  # node name or input group id -> Mermaid id
        self.members: dict[str, list[str]] = {cls: [] for cls in CLASS_STYLES}  # class -> ids
        self.statuses: set[str] = set()
        self.links: list[str] = []
        self.legend_links = 0  # sample edges in the legend, after the links
        self.link_styles: dict[str, list[str]] = {}  # style -> link indices
        self._labels: dict[str, str] | None = None  # node name -> label, made on first need
        # One search over every title instead of one per node: most graphs need no escaping at all.
        # (A title with config keys has a ":", which always needs escaping.)
        plain_titles = not any(node.config_keys for node in diagram.nodes) and not _NEEDS_ESCAPING(
            " ".join(node.label for node in diagram.nodes)
        )
        self.escape_title: Callable[[str], str] = str if plain_titles else escape

    def text(self, orient: str, show_legend: bool) -> str:
        diagram = self.diagram
        body = self._nodes()
        self._edges()
        legend = self._legend() if show_legend else []
        header = [
            f"%% Hamilton dataflow: {len(diagram.nodes)} nodes, {len(diagram.input_groups)} input tables, "
            f"{len(diagram.config)} config values, {len(self.links)} edges (hamilton-viz-mermaid)",
            f"flowchart {orient}",
        ]
        used = [cls for cls, ids in self.members.items() if ids]
        class_defs = [f"{INDENT}classDef {cls} {CLASS_STYLES[cls]}" for cls in used]
        classes = [f"{INDENT}class {','.join(self.members[cls])} {cls}" for cls in used]
        link_styles = [f"{INDENT}linkStyle {','.join(ids)} {style}" for style, ids in self.link_styles.items()]
        return "\n".join([*header, *class_defs, *body, *self.links, *legend, *classes, *link_styles, ""])

    def _add(self, node_id: str, classes: Iterable[str]) -> None:
        for cls in classes:
            self.members[cls].append(node_id)

    def _nodes(self) -> list[str]:
        """Config entries and input tables, then the nodes inside their subgraphs."""
        diagram = self.diagram
        lines: list[str] = []
        for index, entry in enumerate(diagram.config):
            node_id = f"c{index}"
            lines.append(INDENT + _shape("config", node_id, node_label(entry)))
            self._add(node_id, entry.classes)
        for index, group in enumerate(diagram.input_groups):
            node_id = self.ids[group.id] = f"i{index}"
            label = "<br/>".join(_field_line(name, type_name) for name, type_name in group.fields)
            lines.append(INDENT + _shape("input", node_id, label))
            self._add(node_id, ("input",))
        root = _Cluster()
        paths = nesting(diagram.nodes)
        ids, top, node_lines = self.ids, root.lines, self._node_lines
        for index, node in enumerate(diagram.nodes):
            node_id = ids[node.name] = f"n{index}"
            path = paths.get(node.name) if paths else None
            if path is None:  # the usual case: in no subgraph
                node_lines(top, INDENT, node, node_id)
                continue
            cluster = root
            for group in path:
                cluster = cluster.children.setdefault(group, _Cluster())
            node_lines(cluster.lines, INDENT * (len(path) + 1), node, node_id)
        lines.extend(self._cluster_lines(root, 1, itertools.count()))
        return lines

    def _node_lines(self, lines: list[str], indent: str, node: DiagramNode, node_id: str) -> None:
        """The node's shape; with schema fields, 1.x's dashed cluster of field boxes around it."""
        if not (node.is_output or node.on_path or node.is_override or node.run is not None):
            self.members[node.kind].append(node_id)  # DiagramNode.classes is (kind,) then
        else:
            classes = node.classes
            for cls in classes:
                self.members[cls].append(node_id)
            if node.run is not None:
                self.statuses.add(classes[-1])
        opening, closing = SHAPES[node.kind]
        if not node.schema:
            lines.append(f'{indent}{node_id}{opening}"{node_label(node, self.escape_title)}"{closing}')
            return
        shape = f'{node_id}{opening}"{node_label(node, self.escape_title)}"{closing}'
        cluster_id = f"{node_id}s"
        self._add(cluster_id, ("cluster",))
        lines += [f'{indent}subgraph {cluster_id}[" "]', indent + INDENT + shape]
        for index, (name, type_name) in enumerate(node.schema):
            field_id = f"{node_id}f{index}"
            lines.append(indent + INDENT + _shape("field", field_id, _field_line(name, type_name)))
            self._add(field_id, ("field",))
        lines.append(f"{indent}end")

    def _label_of(self, name: str) -> str:
        """A node's label (its ``display_name``), looked up only for the few parallel blocks."""
        if self._labels is None:
            self._labels = {node.name: node.label for node in self.diagram.nodes}
        return self._labels.get(name, name)

    def _cluster_lines(self, cluster: _Cluster, depth: int, numbers: Iterator[int]) -> list[str]:
        """The cluster's lines (indented already) and its subgraphs, recursively."""
        indent = INDENT * depth
        lines = cluster.lines
        for (kind, key), child in cluster.children.items():
            subgraph_id = f"s{next(numbers)}"
            self._add(subgraph_id, (kind,))
            title = key[-1] if kind == "namespace" else f"parallel: {self._label_of(key[0])}"
            # mermaid rejects an empty title (the namespace of ".x" is ""): a space shows nothing
            lines.append(f'{indent}subgraph {subgraph_id}["{escape(title) or " "}"]')
            lines.extend(self._cluster_lines(child, depth + 1, numbers))
            lines.append(f"{indent}end")
        return lines

    def _edges(self) -> None:
        links, ids = self.links, self.ids
        for group_id, consumer in self.diagram.input_edges:
            links.append(f"{INDENT}{ids[group_id]} --> {ids[consumer]}")
        plain, indent, append = ARROWS["plain", False], INDENT, links.append
        edges = self.diagram.edges
        if self.diagram.plain_edges or not any(
            kind != "plain" or optional or on_path or fallback for _, _, kind, optional, on_path, fallback, _ in edges
        ):
            # the common case, in one comprehension: thousands of unstyled edges
            links += [f"{indent}{ids[source]} {plain} {ids[target]}" for source, target, *_ in edges]
            return
        for source, target, kind, optional, on_path, fallback, label in edges:  # unpacked: thousands of edges
            if kind == "plain" and not optional and not on_path and not fallback:
                append(f"{indent}{ids[source]} {plain} {ids[target]}")
                continue
            if fallback:
                self._style_link(f"path-fallback-{fallback}" if on_path else f"fallback-{fallback}")
                append(f"{indent}{ids[source]} {self._fallback_arrow(kind, label)} {ids[target]}")
                continue
            if on_path or kind != "plain":
                self._style_link("path" if on_path else kind)
            append(f"{indent}{ids[source]} {ARROWS[kind, optional]} {ids[target]}")

    def _style_link(self, style: str) -> None:
        """Give the next link (the one about to be appended) the link style ``style``."""
        self.link_styles.setdefault(LINK_STYLES[style], []).append(str(len(self.links) + self.legend_links))

    @staticmethod
    def _fallback_arrow(kind: str, label: str) -> str:
        """A dotted arrow (thick for fan-out and collect edges, as without a fallback), labelled
        with the kind's label, if any, then the fallback's."""
        text = " · ".join(filter(None, (KIND_LABELS.get(kind, ""), label)))
        arrow = "-.->" if kind == "plain" else "==>"
        return f'{arrow}|"{escape(text)}"|' if text else arrow

    def _legend(self) -> list[str]:
        """1.x's legend: one sample box per class present, shaped and styled as in the drawing;
        then a sample edge per edge style present (``fallback``...), from its name to nothing."""
        present = (*self.diagram.legend, *(cls for cls in STATUS_CLASSES if cls in self.statuses))
        edge_styles = self.diagram.edge_legend
        if not present and not edge_styles:
            return []
        # one row, whatever the orientation: the boxes share a rank when laid out top to bottom
        lines = ['subgraph legend["Legend"]', f"{INDENT}direction TB"]
        self._add("legend", ("legend",))
        for index, cls in enumerate(present):
            node_id = f"l{index}"
            kind = cls if cls in SHAPES else "function"
            lines.append(INDENT + _shape(kind, node_id, escape(LEGEND_LABELS.get(cls, cls))))
            self._add(node_id, dict.fromkeys((kind, cls)))
        for index, style in enumerate(edge_styles):
            tail, head = f"le{index}", f"le{index}h"
            self._style_link(style)
            self.legend_links += 1
            lines += [
                INDENT + _shape("legend-edge", tail, escape(LEGEND_EDGE_LABELS.get(style, style))),
                INDENT + _shape("legend-edge", head, " "),
                f"{INDENT}{tail} -.-> {head}",
            ]
            self._add(tail, ("legend-edge",))
            self._add(head, ("legend-edge",))
        return [INDENT + line for line in (*lines, "end")]


class MermaidRenderer(Renderer):
    """``renderer("mermaid")``: a ``flowchart`` in Mermaid's text format (``text/vnd.mermaid``)."""

    name = "mermaid"
    media_type = "text/vnd.mermaid"

    def render(
        self,
        graph: HamiltonGraph,
        *,
        run_state: RunState | None = None,
        view: GraphView | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
    ) -> str:
        """The Mermaid text of ``graph``; the options mean what they mean for graphviz in 1.x.

        ``orient`` is ``"LR"``, ``"RL"``, ``"TB"``, ``"TD"`` or ``"BT"``.
        """
        if orient not in ORIENTATIONS:
            raise ValueError(f"orient={orient!r} is not a Mermaid flowchart direction; use one of {ORIENTATIONS}.")
        diagram = build_diagram(
            graph,
            view,
            run_state,
            hide_inputs=hide_inputs,
            deduplicate_inputs=deduplicate_inputs,
            show_schema=show_schema,
        )
        return _Writer(diagram).text(orient, show_legend)


@hookimpl
def hamilton_renderers() -> list[object]:
    return [MermaidRenderer()]


__all__ = ["HAMILTON_CORE_VERSIONS", "MermaidRenderer", "escape", "hamilton_renderers"]
