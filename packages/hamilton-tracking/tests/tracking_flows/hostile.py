"""Nodes whose results, errors and tags come from the caller: for escaping tests."""

from hamilton.function_modifiers import tag


@tag(note="<script>document.body.dataset.pwned='tag'</script>")
def echoed(text: str) -> str:
    return text


def exploded(echoed: str, explode: bool = False) -> str:
    if explode:
        raise RuntimeError(echoed)
    return echoed
