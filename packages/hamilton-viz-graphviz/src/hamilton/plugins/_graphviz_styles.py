"""How Hamilton drawings look in graphviz (1.x's shapes and colours), and text made safe for DOT.

Kept apart from the renderer so the look can be read (and changed) in one place. Everything
here is plain data and string functions: no ``graphviz`` import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hamilton.rendering.model import FALLBACK_TAG as FALLBACK_TAG
from hamilton.rendering.model import format_duration

if TYPE_CHECKING:
    from hamilton.plugins.interfaces import NodeRunState

FONT = "Helvetica"
FUNCTION_FILL = "#b4d8e4"
OUTPUT_FILL = "#FFC857"
PATH_COLOR = "red"
FALLBACK_COLOR = "#D9822B"  # edges an @fallback changes the meaning of
MAX_TYPE_CHARS = 80  # longer type names are cut, as in 1.x

# Arguments of graphviz.Digraph; ``graphviz_kwargs`` are merged into them.
DIGRAPH_DEFAULTS: Mapping[str, Any] = {
    "comment": "Dependency Graph",
    "graph_attr": {"ranksep": "0.4", "compound": "true", "concentrate": "true", "style": "filled"},
    "node_attr": {"fillcolor": "#ffffff"},
    "edge_attr": {},
}

# The base look of each kind of box.
CONFIG = {"shape": "note", "style": "filled", "fontname": FONT}
INPUT = {"shape": "rectangle", "margin": "0.15", "style": "filled,dashed", "fontname": FONT}
FUNCTION = {
    "shape": "rectangle",
    "margin": "0.15",
    "style": "rounded,filled",
    "fillcolor": FUNCTION_FILL,
    "fontname": FONT,
}

# What each style class changes on top of the base look, applied in the order of a node's classes
# (kind, output, path, override, run status).
MODIFIERS: Mapping[str, Mapping[str, str]] = {
    "expand": {"peripheries": "2", "color": "#56E39F"},
    "collect": {"peripheries": "2", "color": "#EA5556"},
    "loader": {"shape": "cylinder"},
    "saver": {"shape": "cylinder"},
    "output": {"fillcolor": OUTPUT_FILL},
    "override": {"style": "filled,diagonals"},
    # A run: failures stand out, skipped nodes fade, cached ones get their own fill.
    "status-ran": {"penwidth": "2"},
    "status-failed": {"fillcolor": "#F28B82", "color": "#B3261E", "penwidth": "2"},
    "status-skipped": {"style": "rounded,filled,dashed", "fillcolor": "#EEEEEE", "fontcolor": "#777777"},
    "status-cached": {"fillcolor": "#D7C9F0"},
    "status-overridden": {"style": "filled,diagonals"},
}
CLUSTER = {
    "color": "#649fb3",
    "fillcolor": "#ffffff",
    "style": "rounded,filled,dashed",
    "margin": "10",
    "fontname": FONT,
}
FIELD = {**FUNCTION, "fillcolor": "#c8dae0", "fontname": "Courier", "fontsize": "10"}

# Edges out of a Parallelizable fan out (crow's foot at the head), into a Collect gather (at the tail).
EDGES: Mapping[str, Mapping[str, str]] = {
    "expand": {"dir": "both", "arrowhead": "crow", "arrowtail": "none"},
    "collect": {"dir": "both", "arrowtail": "crow"},
}
# Edges an @fallback marks, drawn on top of the kind's look (a highlighted path keeps its colour):
# dashed from a node whose failure the consumer survives, dotted with a hollow arrowhead from the
# node a fallback reads instead; both labelled (``fallback: value(0.0)``, ``fallback for price``).
_FALLBACK_TEXT = {"color": FALLBACK_COLOR, "fontcolor": FALLBACK_COLOR, "fontname": FONT, "fontsize": "10"}
FALLBACK_EDGES: Mapping[str, Mapping[str, str]] = {
    "guarded": {"style": "dashed", **_FALLBACK_TEXT},
    "source": {"style": "dotted", "arrowhead": "empty", "penwidth": "1.5", **_FALLBACK_TEXT},
}

LEGEND_ATTRS = {"label": "Legend", "rank": "same", "fontname": "helvetica", "fillcolor": "#ffffff"}
# Legend entries shown under another name: 1.x calls loaders and savers "materializer";
# a node overridden in a run looks like one overridden in the request.
LEGEND_NAMES = {
    "loader": "materializer",
    "saver": "materializer",
    "status-overridden": "override",
    "fallback-guarded": "fallback",
    "fallback-source": "fallback source",
}
# The two ends of a legend's sample edge: the entry's name written at the tail, nothing at the head.
LEGEND_EDGE_TAIL = {"shape": "plaintext", "fontname": FONT, "margin": "0"}
LEGEND_EDGE_HEAD = {"shape": "point", "style": "invis", "width": "0.01", "height": "0.01"}


def base_style(kind: str) -> dict[str, str]:
    """The base look of a box of ``kind`` (every computed node looks like a function first)."""
    return dict({"config": CONFIG, "input": INPUT}.get(kind, FUNCTION))


def node_style(classes: tuple[str, ...], custom: Mapping[str, str] | None = None) -> dict[str, str]:
    """The look of a box of style ``classes`` (kind first): base look, kind, the user's ``custom``
    style, then emphasis and run status; a box on a highlighted path gets the path colour only if
    nothing coloured its outline yet (1.x)."""
    kind = classes[0]
    style = base_style(kind)
    style.update(MODIFIERS.get(kind, {}))
    style.update(custom or {})
    for cls in classes[1:]:
        style.update(MODIFIERS.get(cls, {}))
    if "path" in classes:
        style.setdefault("color", PATH_COLOR)
    return style


def legend_style(cls: str) -> dict[str, str]:
    """How the legend shows style class ``cls`` (also the base of a custom legend entry, where
    1.x's ``"materializer"`` may name the class)."""
    cls = "loader" if cls == "materializer" else cls
    if cls in ("config", "input", "function"):
        return base_style(cls)
    if cls == "cluster":
        return {**FUNCTION, **CLUSTER, "margin": "0.15"}
    if cls == "field":
        return {key: value for key, value in FIELD.items() if key != "fontsize"}
    if cls == "path":
        return {**FUNCTION, "color": PATH_COLOR}
    return {**FUNCTION, **MODIFIERS.get(cls, {})}


def edge_style(kind: str, on_path: bool = False, fallback: str = "") -> dict[str, str]:
    """The attributes of an edge of ``kind`` (``plain``, ``expand``, ``collect``), marked by an
    @fallback or not (``fallback`` is ``""``, ``"guarded"`` or ``"source"``), on a highlighted
    path or not (its colour then wins)."""
    attributes = dict(EDGES.get(kind, {}))
    if fallback:
        attributes.update(FALLBACK_EDGES.get(fallback, {}))
    if on_path:
        attributes["color"] = PATH_COLOR
    return attributes


def legend_label(cls: str) -> str:
    """The legend's name for style class ``cls`` (``status-failed`` reads ``failed``)."""
    cls = LEGEND_NAMES.get(cls, cls)
    return cls.removeprefix("status-")


# -- text -------------------------------------------------------------------------------------


# What XML (so SVG) cannot carry: control characters other than tab and line breaks, C1 controls, lone
# surrogates, U+FFFE and U+FFFF.
_INVISIBLE_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Every character :func:`html_text` or :func:`tooltip_text` may rewrite.
_SPECIAL = re.compile(rf"[{_INVISIBLE_CHARS}&<>\"'\\\t\n\r]")
_SPACES = str.maketrans("\t\n\r", "   ")


def _picture(match: re.Match[str]) -> str:
    """The visible stand-in of one invisible character (see :func:`visible`)."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` without what XML (so SVG) cannot carry: control characters other than tab and line
    breaks are shown as their Unicode pictures (U+0001 as ␁, U+007F as ␡), C1 controls, lone
    surrogates and U+FFFE/U+FFFF as U+FFFD. Applied to labels, tooltips and node identifiers alike;
    one regular-expression pass, as it runs on every name of a drawing."""
    return _INVISIBLE.sub(_picture, text)


def html_text(text: str) -> str:
    """``text`` for a label (HTML-like or plain): ``&``, ``<``, ``>`` and quotes become entities,
    ``\\`` is doubled (graphviz expands ``\\N``, ``\\G``... even in HTML labels), and tabs and line
    breaks, which graphviz would drop from an HTML label, become spaces. A text made only of
    ``]`` is written as ``&#93;`` entities: dot's HTML-label parser rejects it (``<b>]</b>``)."""
    text = str(text)
    if text and not text.strip("]"):
        return "&#93;" * len(text)
    if _SPECIAL.search(text) is None:  # most names and types: nothing to rewrite, skip the passes
        return text
    return html.escape(visible(text).translate(_SPACES), quote=True).replace("\\", "\\\\")


def tooltip_text(text: str) -> str:
    """``text`` for a tooltip, kept literally: entities as in :func:`html_text`; backslashes
    become U+29F5 (a look-alike), since graphviz versions disagree on unescaping tooltips."""
    text = str(text)
    if _SPECIAL.search(text) is None:
        return text
    return html.escape(visible(text), quote=True).replace("\\", "\u29f5")


def shorten(type_name: str) -> str:
    return type_name if len(type_name) <= MAX_TYPE_CHARS else type_name[:MAX_TYPE_CHARS] + "[...]"


def _element(tag: str, text: str) -> str:
    """``<tag>text</tag>``; graphviz rejects an element with no visible text (``<b></b>``,
    ``<b>\\t</b>``), so blank text becomes no-break spaces."""
    content = html_text(text)
    if not content.strip():
        content = "&#160;" * max(1, len(content))
    return f"<{tag}>{content}</{tag}>"


def node_label(title: str, type_name: str, note: str = "") -> str:
    """The HTML-like label of a box: the title in bold, the type in italics, a small note."""
    label = f"{_element('b', title)}<br /><br />{_element('i', shorten(type_name))}"
    if note:
        label += f'<br /><font point-size="10">{html_text(note)}</font>'
    return f"<{label}>"


def table_label(fields: tuple[tuple[str, str], ...]) -> str:
    """The HTML-like label of an input table: one row of ``name | type`` per input."""
    rows = "".join(f"<tr><td>{html_text(name)}</td><td>{html_text(shorten(kind))}</td></tr>" for name, kind in fields)
    return f'<<table border="0">{rows}</table>>'


def field_labels(schema: tuple[tuple[str, str], ...]) -> list[str]:
    """``name=type`` per schema field, padded to one width (the cluster uses a fixed-width font)."""
    texts = [f"{name}={kind}" for name, kind in schema]
    width = max((len(text) for text in texts), default=0)
    return [text.ljust(width) for text in texts]


def run_note(state: NodeRunState | None) -> str:
    """What a box says about its run: the time spent and, in a parallel block, how many times it
    ran: ``1.2 ms`` then the count after a multiplication sign."""
    if state is None:
        return ""
    parts = []
    if state.duration is not None:
        parts.append(format_duration(state.duration))
    if state.instances > 1:
        parts.append(f"\u00d7{state.instances}")
    return " ".join(parts)
