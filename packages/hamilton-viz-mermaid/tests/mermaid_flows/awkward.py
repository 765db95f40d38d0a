"""Names and text that break naive Mermaid output: quotes, brackets, braces, pipes, unicode, HTML,
Mermaid keywords (``end``, ``graph``, ``subgraph``...), entity-code look-alikes, directives."""

from hamilton.function_modifiers import extract_fields, parameterize, tag, value

# Every name a test expects to find in the drawing.
FIELDS = {
    'quoted "name"': int,
    "brackets [x] (y) {z}": int,
    "pipe | and; semi": int,
    "<b>bold?</b>": int,
    "<script>alert('x')</script>": int,
    "amp & #35; &lt; %%{init: {}}%% $$x$$": int,
    "`tick` fa:fa-car": int,
    "ünïcödé ✓ 漢字 🚀": int,
}
PARAMETERIZED = 'param "p" {q} <i>'
DISPLAY_NAME = '<img src=x onerror=alert(1)> "Shown" #name'


@extract_fields(FIELDS)
def source(value: int) -> dict:
    """Reads "raw" <data> & more: <script>alert('doc')</script>"""
    return dict.fromkeys(FIELDS, value)


def end(source: dict) -> int:
    """A node named like Mermaid's block terminator."""
    return len(source)


def graph(end: int) -> int:
    return end


def subgraph(graph: int) -> int:
    return graph


def style(subgraph: int) -> int:
    return subgraph


def classDef(style: int) -> int:  # a Mermaid keyword, on purpose
    return style


def click(classDef: int) -> int:
    return classDef


def größe_π(click: int) -> float:
    return click * 3.14


@tag(display_name=DISPLAY_NAME)
def shown(größe_π: float) -> float:
    return größe_π


@parameterize(**{PARAMETERIZED: {"base": value(1)}})
def parameterized(base: int) -> int:
    return base
