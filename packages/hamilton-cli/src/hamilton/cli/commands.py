"""What each ``hamilton`` command does, as plain functions returning the command's message.

:mod:`hamilton.cli.__main__` parses the arguments, calls these and prints what they return; the
functions raise on bad input (with a message naming the file or node), which the CLI turns
into ``{"error": ..., "details": ...}`` and exit code 1.
"""

from __future__ import annotations

import difflib
import mimetypes
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hamilton.cli import logic

if TYPE_CHECKING:
    from hamilton import driver

DEFAULT_RENDERER = "graphviz"
# The file extension `hamilton view` gives each first-party renderer's drawing.
RENDERER_EXTENSIONS = {"graphviz": ".png", "mermaid": ".mmd", "json": ".json"}
TRACKING_HINT = (
    "The Hamilton UI is provided by the hamilton-tracking distribution, which is not installed: "
    'pip install "apache-hamilton[tracking]"'
)


def build(modules: list[Path], context_path: Path | None = None) -> driver.Driver:
    """A driver over ``modules`` (file paths), configured with the context's ``HAMILTON_CONFIG``."""
    context = logic.load_context(context_path) if context_path else {}
    return logic.build_driver(logic.load_modules(modules), context.get(logic.CONFIG_HEADER, {}))


def version(dr: driver.Driver) -> dict[str, Any]:
    """``{"nodes_hash": {node: version}, "dataflow_hash": ...}`` (``HamiltonNode.version`` and
    ``HamiltonGraph.version``)."""
    return logic.dataflow_version(dr)


def validate(dr: driver.Driver, context_path: Path) -> dict[str, Any]:
    """Check that ``execute`` would accept the context's final vars, inputs and overrides;
    returns the context."""
    context = logic.load_context(context_path)
    dr.validate_execution(
        final_vars=context[logic.FINAL_VARS_HEADER],
        inputs=context[logic.INPUTS_HEADER],
        overrides=context[logic.OVERRIDES_HEADER],
    )
    return context


def diff(
    current_dr: driver.Driver,
    modules: list[Path],
    git_reference: str = "HEAD",
    view: bool = False,
    output_file_path: Path = Path("./diff.png"),
    context_path: Path | None = None,
) -> dict[str, dict[str, str]]:
    """How the dataflow changed since ``git_reference``: ``{"current_only", "reference_only",
    "edit"}``, each ``{node: function it comes from}``; with ``view``, also drawn (graphviz)."""
    context = logic.load_context(context_path) if context_path else {}
    reference_dr = logic.build_driver(
        logic.load_modules_from_git(modules, git_reference), context.get(logic.CONFIG_HEADER, {})
    )
    changes = logic.diff_versions(
        current_map=logic.hash_hamilton_nodes(current_dr), reference_map=logic.hash_hamilton_nodes(reference_dr)
    )
    current_functions = logic.map_nodes_to_functions(current_dr)
    reference_functions = logic.map_nodes_to_functions(reference_dr)
    result = {
        status: {name: current_functions.get(name) or reference_functions.get(name) for name in names}
        for status, names in changes.items()
    }
    if view:
        require_renderer(DEFAULT_RENDERER, "`hamilton diff --view`", other_renderers=False)
        logic.visualize_diff(current_dr, reference_dr, **changes, output_file_path=output_file_path)
    return result


def require_renderer(name: str, what: str, other_renderers: bool = True) -> Any:
    """The renderer ``name``, or an error saying how to install it (and, for graphviz, ``dot``);
    with ``other_renderers``, also which ``--renderer`` works without it."""
    from hamilton import plugins

    instead = (
        ' Or draw without it: --renderer mermaid (pip install "apache-hamilton[mermaid]") or --renderer json.'
        if other_renderers
        else ""
    )
    try:
        found = plugins.renderer(name)
    except plugins.PluginNotFoundError as error:
        if name != DEFAULT_RENDERER:
            close = difflib.get_close_matches(name, _renderer_names(), n=1)
            if close:
                raise plugins.PluginNotFoundError(
                    f"{error} Did you mean {close[0]!r}? (--renderer {close[0]})"
                ) from None
            raise
        raise ModuleNotFoundError(
            f"{what} draws with graphviz, which needs the hamilton-viz-graphviz distribution: "
            f'pip install "apache-hamilton[graphviz]" (and Graphviz\'s `dot` program).{instead}'
        ) from error
    if name == DEFAULT_RENDERER and shutil.which("dot") is None:
        raise FileNotFoundError(
            f"{what} draws with graphviz, whose `dot` program is not on your PATH: install Graphviz "
            "(`apt-get install graphviz`, `brew install graphviz`, `conda install -c conda-forge graphviz`; "
            f"https://graphviz.org/download/).{instead}"
        )
    return found


def _renderer_names() -> list[str]:
    """Names a ``--renderer`` may take: the first-party ones and every registered renderer."""
    names = set(RENDERER_EXTENSIONS)
    try:  # the registry is not public API: a typo hint must never hide the real error
        from hamilton.plugins._api import system

        names.update(str(getattr(renderer, "name", "")) for renderer in system().registry.renderers)
    except Exception:
        pass
    return sorted(names)


def drawing_extension(renderer: Any) -> str:
    """The extension of a drawing file: png for graphviz (as 1.x), ``.mmd`` for Mermaid, ``.json``,
    else one for the renderer's media type."""
    known = RENDERER_EXTENSIONS.get(getattr(renderer, "name", ""))
    if known:
        return known
    media_type = str(getattr(renderer, "media_type", ""))
    guessed = mimetypes.guess_extension(media_type.partition(";")[0].strip())
    return guessed or (".txt" if media_type.startswith("text/") else ".bin")


def view(dr: driver.Driver, output_file_path: Path = Path("dag.png"), renderer: str = DEFAULT_RENDERER) -> Path:
    """Draw every node (``display_all_functions``) to ``output_file_path``; returns the file
    written. With graphviz the extension picks the image format (none: png)."""
    require_renderer(renderer, "`hamilton view`")
    output_file_path = Path(output_file_path)
    if renderer == DEFAULT_RENDERER and not output_file_path.suffix:
        output_file_path = output_file_path.with_name(output_file_path.name + ".png")
    output_file_path.parent.mkdir(parents=True, exist_ok=True)
    dr.display_all_functions(str(output_file_path), renderer=renderer)
    return output_file_path


def plugins(load: bool = True) -> list[dict[str, Any]]:
    """Every installed or registered plugin (``hamilton.plugins.list_plugins()``), as dicts.

    With ``load``, every plugin is loaded first, so the statuses say which load, fail or are
    skipped (a failure is reported in its entry, not as a warning).
    """
    import warnings

    from hamilton import plugins as plugin_api

    if load:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", plugin_api.HamiltonPluginWarning)
            plugin_api.load_all()
    return [info.as_dict() for info in plugin_api.list_plugins()]


def ui(base_dir: str | None, port: int, open_browser: bool) -> None:
    """Serve the local tracking UI of ``hamilton-tracking`` until interrupted."""
    try:
        import hamilton.plugins.tracking  # noqa: F401
    except ImportError as error:
        # Absent (core's finder already says so) or broken (then say how it broke).
        absent = "hamilton-tracking" in str(error) or error.name in ("hamilton.plugins.tracking", "hamilton")
        if absent:
            raise ModuleNotFoundError(TRACKING_HINT) from error
        raise ImportError(
            f"hamilton.plugins.tracking (the Hamilton UI) failed to import: {error}. Reinstall it with "
            'pip install -U "apache-hamilton[tracking]"'
        ) from error
    try:
        from hamilton.plugins.tracking import ui as tracking_ui
    except ImportError as error:
        raise ModuleNotFoundError(
            f"The installed hamilton-tracking has no UI (hamilton.plugins.tracking.ui: {error}): upgrade it with "
            'pip install -U "apache-hamilton[tracking]"'
        ) from error
    path = str(Path(base_dir).expanduser()) if base_dir else None
    tracking_ui.serve(path, host="127.0.0.1", port=port, open_browser=open_browser)
