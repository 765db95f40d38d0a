"""Graphviz drawings of Hamilton graphs: ``renderer("graphviz")``, the driver's default renderer.

``Driver.display_all_functions()`` and the other drawing methods return a ``graphviz.Digraph``
(as in Hamilton 1.x) built by :class:`GraphvizRenderer` from the shared presentation model
(:func:`hamilton.rendering.build_diagram`); with ``output_file_path`` the image is written with
Graphviz's ``dot`` program. ``graphviz`` and the model are imported only when something is drawn,
so loading this plugin costs nothing.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from hamilton.plugins.hookspecs import hookimpl
from hamilton.plugins.interfaces import Renderer, RunState

if TYPE_CHECKING:
    import graphviz

    from hamilton.graph_types import HamiltonGraph
    from hamilton.rendering.model import Diagram, DiagramNode, GraphView

# The core versions this plugin supports; on any other core it is skipped with a warning.
HAMILTON_CORE_VERSIONS = ">=2.0,<3"

CUSTOM_STYLE_SIGNATURE_ERROR = (
    "custom_style_function must only take keyword arguments"
    " `node` and `node_class`. E.g. Signature should resemble:\n"
    "def custom_style(*,  # <--- key part is this * \n"
    "     node: graph_types.HamiltonNode, \n"
    "     node_class: str\n"
    ") -> Tuple[dict, Optional[str], Optional[str]]:"
)
MISSING_DOT_HINT = (
    "Writing an image needs Graphviz's `dot` program, which the `graphviz` Python package does not "
    "include: install Graphviz's system package (`apt-get install graphviz`, `brew install graphviz` or "
    "`conda install -c conda-forge graphviz`; see https://graphviz.org/download/) and make sure `dot` is on "
    "your PATH."
)

# (*, node: HamiltonNode, node_class: str) -> (style dict, base class or None, legend name or None)
CustomStyle = Callable[..., tuple]


def check_custom_style_function(function: CustomStyle | None) -> None:
    """1.x's rule: ``node`` and ``node_class`` are passed by keyword, so every parameter without a
    default must be keyword-only (or ``**kwargs``)."""
    if function is None:
        return
    for parameter in inspect.signature(function).parameters.values():
        if parameter.default is inspect.Parameter.empty and parameter.kind not in (
            inspect.Parameter.KEYWORD_ONLY,
            inspect.Parameter.VAR_KEYWORD,
        ):
            raise ValueError(CUSTOM_STYLE_SIGNATURE_ERROR)


def digraph_arguments(orient: str, graphviz_kwargs: Mapping[str, Any] | None) -> dict[str, Any]:
    """``graphviz.Digraph`` arguments: the defaults, ``rankdir=orient``, then ``graphviz_kwargs``
    (a dict value updates the nested attributes, e.g. ``graph_attr``, instead of replacing them)."""
    from hamilton.plugins._graphviz_styles import DIGRAPH_DEFAULTS

    arguments = {key: dict(value) if isinstance(value, dict) else value for key, value in DIGRAPH_DEFAULTS.items()}
    arguments["graph_attr"]["rankdir"] = orient
    for key, value in (graphviz_kwargs or {}).items():
        if isinstance(value, Mapping) and isinstance(arguments.get(key), dict):
            arguments[key].update(value)
        else:
            arguments[key] = value
    return arguments


class _Memo(dict[Any, str]):
    """A dict that fills itself: ``memo[key]`` computes ``make(key)`` on first use only, and later
    lookups stay in C (a drawing looks up each node's identifier once per node and edge)."""

    def __init__(self, make: Callable[[Any], str]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> str:
        value = self[key] = self.make(key)
        return value


class _DiagramDrawer:
    """Turns one :class:`~hamilton.rendering.Diagram` into the statements of a ``graphviz.Digraph``.

    Statements are written to the digraph's ``body`` with graphviz's own quoting. A drawing repeats
    a few looks and names many times, so each is formatted once: node identifiers by name, the
    attributes of each combination of style classes, and of each kind of edge.
    """

    def __init__(self, dot: graphviz.Digraph, custom_style_function: CustomStyle | None):
        import graphviz
        from graphviz.quoting import a_list, attr_list, quote

        from hamilton.plugins import _graphviz_styles

        self.gv = graphviz
        self.quote, self.a_list, self.attr_list = quote, a_list, attr_list
        self.styles = _graphviz_styles
        self.dot = dot
        self.custom_style_function = custom_style_function
        self.custom_legend: dict[str, dict[str, str]] = {}
        self.ids = _Memo(self.quoted_id)  # name -> quoted DOT identifier
        self.class_styles = _Memo(self.class_style)  # style classes -> formatted attributes
        self.edge_styles = _Memo(self.edge_style)  # (kind, on path, fallback) -> formatted attribute list

    def draw(self, diagram: Diagram, show_legend: bool) -> None:
        styles, body = self.styles, self.dot.body
        config_style = self.a_list(kwargs=styles.CONFIG)
        for entry in diagram.config:
            self.statement(body, entry.name, styles.node_label(entry.label, entry.type_name), config_style)
        for node in diagram.nodes:
            self.node(node)
        input_style = self.a_list(kwargs=styles.INPUT)
        for group in diagram.input_groups:
            self.statement(body, group.id, styles.table_label(group.fields), input_style)
        self.edges(diagram)
        if show_legend:
            self.legend(diagram)

    def id(self, name: str) -> Any:
        """A name as a DOT identifier: never read as HTML, backslashes doubled (DOT cannot carry a
        backslash before a quote otherwise), control characters made visible, and a leading ``%``
        (graphviz's prefix for anonymous nodes) preceded by a lone backslash, which no doubled
        name can start with; the rest is kept."""
        identifier = self.gv.escape(self.styles.visible(name))
        return self.gv.nohtml("\\" + identifier) if identifier.startswith("%") else identifier

    def quoted_id(self, name: str) -> str:
        """:meth:`id` as written in a statement (``self.ids`` keeps it per name)."""
        return self.quote(self.id(name))

    def class_style(self, classes: tuple[str, ...]) -> str:
        """The formatted look of boxes of style ``classes`` (``self.class_styles`` keeps it: without a
        custom style, every box with the same classes looks the same)."""
        return self.a_list(kwargs=self.styles.node_style(classes))

    def edge_style(self, key: tuple[str, bool, str]) -> str:
        """The attribute list of an edge of a kind, on a highlighted path or not, marked by an
        @fallback or not (``self.edge_styles`` keeps it: one ``key`` as the memo's,
        ``(kind, on_path, fallback)``); labels are added per edge."""
        return self.attr_list(kwargs=self.styles.edge_style(*key))

    def statement(self, body: list[str], name: str, label: str | None, style: str, tooltip: str | None = None) -> None:
        """Node ``name``'s statement; ``style`` is the formatted attributes besides label and tooltip."""
        label_text = "" if label is None else f"label={self.quote(label)}"
        tooltip_text = "" if tooltip is None else f"tooltip={self.quote(tooltip)}"
        attributes = " ".join(filter(None, (label_text, style, tooltip_text)))
        body.append(f"\t{self.ids[name]} [{attributes}]\n" if attributes else f"\t{self.ids[name]}\n")

    def styled_statement(self, body: list[str], name: str, attributes: dict[str, Any]) -> None:
        """Node ``name``'s statement from a whole attribute dict, as ``Digraph.node`` writes it (for
        looks of the user's making, which may even set or unset the label)."""
        label = attributes.pop("label", None)
        self.statement(body, name, label, self.a_list(kwargs=attributes))

    def edges(self, diagram: Diagram) -> None:
        """``tail -> head`` statements; not ``Digraph.edge``, which reads ``a:b`` as node ``a``, port ``b``."""
        ids, styles, body = self.ids, self.edge_styles, self.dot.body
        for edge in diagram.edges:
            if edge.label:
                attributes = self.styles.edge_style(edge.kind, edge.on_path, edge.fallback)
                attributes["label"] = self.plain_label(edge.label)
                style = self.attr_list(kwargs=attributes)
            else:
                style = styles[edge.kind, edge.on_path, edge.fallback]
            body.append(f"\t{ids[edge.source]} -> {ids[edge.target]}{style}\n")
        for group_id, consumer in diagram.input_edges:
            body.append(f"\t{ids[group_id]} -> {ids[consumer]}\n")

    def node(self, node: DiagramNode) -> None:
        styles = self.styles
        title = f"{node.label}: {', '.join(node.config_keys)}" if node.config_keys else node.label
        label = styles.node_label(title, node.type_name, styles.run_note(node.run))
        tooltip = self.tooltip(node)
        if self.custom_style_function is None:
            self.statement(self.dot.body, node.name, label, self.class_styles[node.classes], tooltip)
        else:
            attributes = {"label": label, **styles.node_style(node.classes, self.custom_style(node))}
            if tooltip is not None:
                attributes["tooltip"] = tooltip
            self.styled_statement(self.dot.body, node.name, attributes)
        if node.schema:
            self.schema_cluster(node)

    def custom_style(self, node: DiagramNode) -> dict[str, str]:
        """The user's style for ``node``; a legend name adds a legend entry in that style."""
        result = self.custom_style_function(node=node.node, node_class="function")  # type: ignore[misc]
        if not (isinstance(result, tuple) and len(result) == 3 and isinstance(result[0], Mapping)):
            raise TypeError(
                f"custom_style_function returned {result!r} for node {node.name!r}; it must return a tuple "
                "(style dict, base class or None, legend name or None), e.g. ({'fillcolor': 'red'}, node_class, None)."
            )
        custom, base_class, legend_name = result
        if legend_name:
            self.custom_legend[str(legend_name)] = {**self.styles.legend_style(base_class or "function"), **custom}
        return dict(custom)

    def tooltip(self, node: DiagramNode) -> str | None:
        """The node's docstring, its @fallback and a run's error, shown literally; None when it has none."""
        parts = [node.node.documentation.strip()] if node.node is not None and node.node.documentation else []
        if (
            node.node is not None
            and isinstance(fallback := node.node.tags.get(self.styles.FALLBACK_TAG), str)
            and fallback
        ):
            parts.append(f"fallback: {fallback}")
        if node.run is not None and node.run.error:
            parts.append(f"{node.run.status}: {node.run.error}")
        text = "\n\n".join(parts)
        return self.gv.nohtml(self.styles.tooltip_text(text)) if text else None

    def plain_label(self, text: str) -> Any:
        return self.gv.nohtml(self.styles.html_text(text))

    def schema_cluster(self, node: DiagramNode) -> None:
        """1.x's look for ``@schema.output``: a dashed cluster around the node and its fields."""
        styles = self.styles
        field_style = self.a_list(kwargs=styles.FIELD)
        with self.dot.subgraph(name=self.id(f"cluster_{node.name}")) as cluster:
            cluster.attr(**styles.CLUSTER)
            for text in styles.field_labels(node.schema):
                self.statement(cluster.body, f"{node.name}:{text}", self.plain_label(text), field_style)
            self.statement(cluster.body, node.name, None, "")

    def legend(self, diagram: Diagram) -> None:
        """The style classes present (kinds, emphasis, run statuses), then the custom entries."""
        from hamilton.plugins.interfaces import NodeRunState

        styles = self.styles
        present = {cls for node in diagram.nodes for cls in node.classes}
        classes = [*diagram.legend, *(f"status-{s}" for s in NodeRunState.STATUSES if f"status-{s}" in present)]
        entries: dict[str, dict[str, str]] = {}
        for cls in classes:
            entries.setdefault(styles.legend_label(cls), styles.legend_style(cls))
        for name, style in self.custom_legend.items():
            entries.setdefault(name, style)
        edge_entries = diagram.edge_legend
        if not entries and not edge_entries:
            return
        with self.dot.subgraph(name="cluster__legend") as legend:
            legend.attr("graph", **styles.LEGEND_ATTRS)
            for label, style in entries.items():
                self.styled_statement(legend.body, f"_legend_{label}", {**style, "label": self.plain_label(label)})
            for cls in edge_entries:  # a sample edge: the entry's name, then the edge's look
                label = styles.legend_label(cls)
                tail, head = f"_legend_{label}", f"_legend_{label}:end"
                self.styled_statement(legend.body, tail, {**styles.LEGEND_EDGE_TAIL, "label": self.plain_label(label)})
                self.styled_statement(legend.body, head, {**styles.LEGEND_EDGE_HEAD, "label": ""})
                look = styles.edge_style("plain", fallback=cls.removeprefix("fallback-"))
                legend.body.append(f"\t{self.ids[tail]} -> {self.ids[head]}{self.attr_list(kwargs=look)}\n")


def write_image(
    dot: graphviz.Digraph, output_file_path: str | os.PathLike, render_kwargs: Mapping[str, Any] | None, keep_dot: bool
) -> str:
    """Write ``dot`` as 1.x does and return the image's path.

    The extension picks the format (none: png) unless ``render_kwargs["format"]`` says otherwise;
    the image goes to ``<path without extension>.<format>``. With ``keep_dot`` the DOT source is
    kept too, at the path without extension (graphviz's ``render``); otherwise only the image is
    written (atomically, parent folders created).
    """
    import graphviz

    stem, suffix = os.path.splitext(os.fspath(output_file_path))
    options: dict[str, Any] = {"format": suffix.partition(".")[-1] or "png"}
    if isinstance(render_kwargs, Mapping):
        options.update(render_kwargs)
    try:
        if keep_dot:
            options.setdefault("view", False)
            return dot.render(stem, **options)
        options.pop("view", None)
        data = dot.pipe(**options)
    except graphviz.ExecutableNotFound as error:
        error.args = (f"{error.args[0] if error.args else error} — {MISSING_DOT_HINT}", *error.args[1:])
        raise
    from hamilton.io.atomic import atomic_write

    path = f"{stem}.{options['format']}"
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with atomic_write(path, "wb") as file:
        file.write(data)
    return path


class GraphvizRenderer(Renderer):
    """``renderer("graphviz")``: Hamilton graphs as graphviz ``Digraph``s and DOT text.

    Options (all keyword-only, 1.x's visualization keywords): ``show_legend``, ``orient``
    (``rankdir``), ``hide_inputs``, ``deduplicate_inputs``, ``show_schema``,
    ``custom_style_function`` and ``graphviz_kwargs``.
    """

    name = "graphviz"
    media_type = "text/vnd.graphviz"

    def digraph(
        self,
        graph: HamiltonGraph,
        *,
        view: GraphView | None = None,
        run_state: RunState | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: CustomStyle | None = None,
        graphviz_kwargs: Mapping[str, Any] | None = None,
    ) -> graphviz.Digraph:
        """The drawing of ``graph`` as a ``graphviz.Digraph`` (``view`` says what to emphasise,
        ``run_state`` colours nodes by what happened to them in a run)."""
        import graphviz

        from hamilton.rendering.model import build_diagram

        check_custom_style_function(custom_style_function)
        diagram = build_diagram(
            graph,
            view,
            run_state,
            hide_inputs=hide_inputs,
            deduplicate_inputs=deduplicate_inputs,
            show_schema=show_schema,
        )
        dot = graphviz.Digraph(**digraph_arguments(orient, graphviz_kwargs))
        _DiagramDrawer(dot, custom_style_function).draw(diagram, show_legend)
        return dot

    def render(
        self, graph: HamiltonGraph, *, run_state: RunState | None = None, view: GraphView | None = None, **options: Any
    ) -> str:
        """The DOT source of :meth:`digraph` (same options; an unknown one raises ``TypeError``)."""
        return self.digraph(graph, view=view, run_state=run_state, **options).source

    def display(
        self,
        graph: HamiltonGraph,
        *,
        view: GraphView | None = None,
        run_state: RunState | None = None,
        output_file_path: str | os.PathLike | None = None,
        render_kwargs: Mapping[str, Any] | None = None,
        graphviz_kwargs: Mapping[str, Any] | None = None,
        keep_dot: bool = False,
        **options: Any,
    ) -> graphviz.Digraph:
        """What the driver's drawing methods call: the :meth:`digraph`, also written to
        ``output_file_path`` when given (see :func:`write_image`)."""
        dot = self.digraph(graph, view=view, run_state=run_state, graphviz_kwargs=graphviz_kwargs, **options)
        if output_file_path:
            write_image(dot, output_file_path, render_kwargs, keep_dot)
        return dot


@hookimpl
def hamilton_renderers() -> list[object]:
    return [GraphvizRenderer()]
