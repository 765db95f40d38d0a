"""Read back what the renderer wrote, so tests assert on structure rather than on exact text.

Only understands the subset of Mermaid the renderer writes (one statement a line).
"""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser

_NODE = re.compile(r'^\s*([A-Za-z][\w]*)(\(|\[\[|\[\(|\[|>)"(.*)"(\)|\]\]|\)\]|\])$')
_SUBGRAPH = re.compile(r'^\s*subgraph (\w+)\["(.*)"\]$')
_LINK = re.compile(r'^\s*(\w+) (-->|-\.->|==>)(?:\|(\w+)\||\|"([^"]*)"\|)? (\w+)$')
_CODE = re.compile(r"#(\w+);")
_TAGS = re.compile(r"</?(?:b|i|wbr)>")


def decode(label: str) -> str:
    """The text mermaid shows for a label: codes decoded, tags dropped, ``<br/>`` as newlines."""
    text = _TAGS.sub("", label.replace("<br/>", "\n"))
    return _CODE.sub(lambda m: chr(int(m[1])) if m[1].isdigit() else html.unescape(f"&{m[1]};"), text)


@dataclasses.dataclass
class Parsed:
    nodes: dict[str, tuple[str, str]]  # id -> (opening bracket, raw label)
    subgraphs: dict[str, tuple[str, str | None]]  # id -> (raw title, parent subgraph id)
    parents: dict[str, str | None]  # node id -> enclosing subgraph id
    links: list[tuple[str, str, str | None, str]]  # (source, arrow, label (decoded when quoted), target)
    classes: dict[str, list[str]]  # id -> classes, in order
    class_defs: dict[str, str]
    link_styles: dict[int, str]

    def text_of(self, node_id: str) -> str:
        return decode(self.nodes[node_id][1])

    def id_of(self, name: str) -> str:
        """The id of the node whose label's first line is ``name``."""
        found = [i for i, (_, label) in self.nodes.items() if decode(label).split("\n")[0] == name]
        assert len(found) == 1, f"{name!r} labels {found}"
        return found[0]

    def ancestors(self, node_id: str) -> list[str]:
        """Titles of the enclosing subgraphs, outermost first."""
        titles = []
        parent = self.parents[node_id]
        while parent is not None:
            title, parent_of_parent = self.subgraphs[parent]
            titles.append(decode(title))
            parent = parent_of_parent
        return titles[::-1]


def parse(text: str) -> Parsed:
    parsed = Parsed({}, {}, {}, [], {}, {}, {})
    stack: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if match := _SUBGRAPH.match(line):
            parsed.subgraphs[match[1]] = (match[2], stack[-1] if stack else None)
            stack.append(match[1])
        elif stripped == "end":
            stack.pop()
        elif match := _NODE.match(line):
            parsed.nodes[match[1]] = (match[2], match[3])
            parsed.parents[match[1]] = stack[-1] if stack else None
        elif match := _LINK.match(line):
            label = match[3] if match[4] is None else decode(match[4])
            parsed.links.append((match[1], match[2], label, match[5]))
        elif stripped.startswith("classDef "):
            _, name, style = stripped.split(" ", 2)
            parsed.class_defs[name] = style
        elif stripped.startswith("class "):
            _, ids, name = stripped.split(" ")
            for node_id in ids.split(","):
                parsed.classes.setdefault(node_id, []).append(name)
        elif stripped.startswith("linkStyle "):
            _, indices, style = stripped.split(" ", 2)
            parsed.link_styles.update({int(index): style for index in indices.split(",")})
    assert not stack, "unclosed subgraph"
    return parsed


class _SvgText(HTMLParser):
    """The text of an SVG mermaid drew (``<style>`` left out), its element names, and the names
    of event-handler attributes (``onerror``...) on any element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self._in_style = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.handlers.extend(name for name, _ in attrs if name.startswith("on"))
        self._in_style += tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style -= tag == "style"

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.chunks.append(data)


@dataclasses.dataclass(frozen=True)
class Svg:
    text: str  # every text node, joined
    tags: frozenset[str]
    handlers: tuple[str, ...]


def read_svg(svg: str) -> Svg:
    parser = _SvgText()
    parser.feed(svg)
    parser.close()
    return Svg("".join(parser.chunks), frozenset(parser.tags), tuple(parser.handlers))
