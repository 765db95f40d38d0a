"""What a text or bytes renderer hands back to users: printable, savable, shown by notebooks."""

from __future__ import annotations

import os

from hamilton.plugins.interfaces import returns_text

# Notebook front ends that cannot show a media type still render Markdown code fences for these.
_MARKDOWN_FENCES = {"text/vnd.mermaid": "mermaid", "application/json": "json", "text/vnd.graphviz": "dot"}


class Rendering:
    """A renderer's output with its media type.

    ``str(rendering)`` is the text; :meth:`save` writes it atomically; in Jupyter the
    ``_repr_mimebundle_`` offers the media type itself (JupyterLab >= 4.1 draws
    ``text/vnd.mermaid``), a Markdown code fence and plain text, so something always shows.
    """

    __slots__ = ("data", "media_type", "renderer")

    def __init__(self, data: str | bytes, media_type: str, renderer: str = ""):
        self.data = data
        self.media_type = media_type
        self.renderer = renderer

    @property
    def is_text(self) -> bool:
        return returns_text(self.media_type)

    def __str__(self) -> str:
        return self.data if isinstance(self.data, str) else self.data.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return (
            f"Rendering({self.renderer or self.media_type!r}, {len(self.data)} {'chars' if self.is_text else 'bytes'})"
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rendering):
            return (self.data, self.media_type) == (other.data, other.media_type)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def save(self, path: str | os.PathLike) -> str:
        """Write the rendering to ``path`` (all or nothing) and return the path written."""
        from hamilton.io.atomic import atomic_write

        data = self.data.encode("utf-8") if isinstance(self.data, str) else self.data
        path = os.fspath(path)
        with atomic_write(path, "wb") as file:
            file.write(data)
        return path

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str | bytes]:
        bundle: dict[str, str | bytes] = {self.media_type: self.data}
        fence = _MARKDOWN_FENCES.get(self.media_type)
        if fence:
            bundle["text/markdown"] = f"```{fence}\n{self}\n```"
        bundle["text/plain"] = str(self) if self.is_text else repr(self)
        return bundle
