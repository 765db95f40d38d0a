"""The ``hamilton`` command line (``cli``, a typer application; also ``python -m hamilton.cli``).

Global options come before the command: ``--verbose`` prints the messages of the commands a
command runs first (``version`` builds, ``diff`` builds and versions), ``--json-out`` prints
``{"command", "success", "message"}`` as JSON instead of the message alone. A failure prints
``{"command", "success": false, "message": {"error", "details"}}`` and exits with code 1;
``command`` is the invoked command, and ``message["step"]`` names the step that failed when it
is another (``hamilton view x.py`` failing to build: ``"command": "view"``, ``"step": "build"``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from pprint import pformat
from typing import Annotated, Any

import typer

from hamilton.cli import commands, logic


@dataclasses.dataclass
class Response:
    """What a command reports: its name, whether it succeeded, and its message."""

    command: str
    success: bool
    message: Any


@dataclasses.dataclass
class CliState:
    """One invocation's options and what its commands built (a fresh one per invocation)."""

    verbose: bool = False
    json_out: bool = False
    dr: Any = None
    name: str | None = None


cli = typer.Typer(rich_markup_mode="rich", pretty_exceptions_enable=False, no_args_is_help=True)

MODULES_ANNOTATIONS = Annotated[
    list[Path],
    typer.Argument(help="Paths to Hamilton modules (Python files).", show_default=False, metavar="MODULES..."),
]
NAME_ANNOTATIONS = Annotated[
    str | None, typer.Option("--name", "-n", help="Name of the dataflow. Default: derived from MODULES.")
]
CONTEXT_ANNOTATIONS = Annotated[
    Path | None,
    typer.Option("--context", "-ctx", help="Path to a Driver context file [.json, .py].", show_default=False),
]
# A str, not a Path: a Path drops the trailing "/" that says "a folder, create it".
VIZ_OUTPUT_ANNOTATIONS = Annotated[
    str,
    typer.Option(
        "--output",
        "-o",
        help="Output path of the drawing. If it is a folder (an existing one, or any path ending in /), "
        "the file is written inside it, named after NAME; a missing folder is created.",
    ),
]


@cli.callback()
def main(
    ctx: typer.Context,
    verbose: Annotated[
        bool, typer.Option(help="Output all intermediary commands.", rich_help_panel="Output format")
    ] = False,
    json_out: Annotated[
        bool, typer.Option(help="Output JSON for programmatic use (e.g., CI).", rich_help_panel="Output format")
    ] = False,
) -> None:
    """Hamilton CLI: build, validate, version, diff and draw dataflows; list plugins; start the UI."""
    ctx.obj = CliState(verbose=verbose, json_out=json_out)


def _state(ctx: typer.Context) -> CliState:
    return ctx.ensure_object(CliState)


def _show(ctx: typer.Context, response: Response, text: str | None = None) -> None:
    """Print ``response`` if it is the invoked command's (or with ``--verbose``)."""
    state = _state(ctx)
    if ctx.command.name != response.command and not state.verbose:
        return
    if state.json_out:
        typer.echo(json.dumps(dataclasses.asdict(response), default=str))
    else:
        typer.echo(text if text is not None else pformat(response.message))


def _try_command(ctx: typer.Context, command: str, function: Any, **kwargs: Any) -> Any:
    """``function(**kwargs)``; on an error, print the failure response and exit with code 1.

    The failure is labelled with the command the user invoked (``view`` when its build step
    fails), since that is what a script reading ``--json-out`` asked for; the message's ``step``
    names the step that failed when it is another one (``build``).
    """
    try:
        return function(**kwargs)
    except Exception as error:
        invoked = ctx.command.name or command
        message = {"error": str(type(error)), "details": str(error)}
        if invoked != command:
            message["step"] = command
        response = Response(invoked, False, message)
        typer.echo(str(dataclasses.asdict(response)), err=True)
        if _state(ctx).json_out:
            typer.echo(json.dumps(dataclasses.asdict(response)))
        raise typer.Exit(code=1) from None


def _build(ctx: typer.Context, modules: list[Path], name: str | None, context_path: Path | None) -> None:
    state = _state(ctx)
    state.dr = _try_command(ctx, "build", commands.build, modules=modules, context_path=context_path)
    state.name = name or logic.default_name(modules)
    _show(ctx, Response("build", True, {"modules": [Path(m).stem for m in modules]}))


def _ensure_built(ctx: typer.Context, modules: list[Path], name: str | None, context_path: Path | None) -> CliState:
    state = _state(ctx)
    if state.dr is None:
        _build(ctx, modules, name, context_path)
    return state


def _in_folder(path: str | Path, file_name: str) -> Path:
    """``path`` made absolute, joined with ``file_name`` when it is an existing folder (1.x's rule)
    or ends with a path separator (a folder to create, e.g. ``-o newdir/``)."""
    text = str(path)
    wants_folder = text.endswith(("/", os.sep)) or (os.altsep is not None and text.endswith(os.altsep))
    resolved = Path(text).expanduser().resolve()
    if wants_folder and resolved.exists() and not resolved.is_dir():
        raise NotADirectoryError(f"Output {text!r} ends with a separator but {resolved} is a file: pass a folder.")
    if wants_folder:
        resolved.mkdir(parents=True, exist_ok=True)
    return resolved / file_name if resolved.is_dir() else resolved


@cli.command()
def build(
    ctx: typer.Context,
    modules: MODULES_ANNOTATIONS,
    name: NAME_ANNOTATIONS = None,
    context_path: CONTEXT_ANNOTATIONS = None,
) -> None:
    """Build a single Driver with MODULES."""
    _build(ctx, modules, name, context_path)


@cli.command()
def version(
    ctx: typer.Context,
    modules: MODULES_ANNOTATIONS,
    name: NAME_ANNOTATIONS = None,
    context_path: CONTEXT_ANNOTATIONS = None,
) -> None:
    """Version NODES and DATAFLOW from dataflow with MODULES."""
    state = _ensure_built(ctx, modules, name, context_path)
    message = _try_command(ctx, "version", commands.version, dr=state.dr)
    _show(ctx, Response("version", True, message))


@cli.command()
def diff(
    ctx: typer.Context,
    modules: MODULES_ANNOTATIONS,
    name: NAME_ANNOTATIONS = None,
    context_path: CONTEXT_ANNOTATIONS = None,
    output_file_path: VIZ_OUTPUT_ANNOTATIONS = "./",
    git_reference: Annotated[
        str,
        typer.Option(
            help="[link=https://git-scm.com/book/en/v2/Git-Internals-Git-References]Git reference[/link] to compare to."
        ),
    ] = "HEAD",
    view: Annotated[bool, typer.Option("--view", "-v", help="Also draw the diff (graphviz).")] = False,
) -> None:
    """Diff between the current MODULES and their version at GIT_REFERENCE."""
    if _state(ctx).dr is None:
        version(ctx, modules=modules, name=name, context_path=context_path)
    state = _state(ctx)
    output_file_path = _try_command(ctx, "diff", _in_folder, path=output_file_path, file_name=f"diff_{state.name}.png")
    message = _try_command(
        ctx,
        "diff",
        commands.diff,
        current_dr=state.dr,
        modules=modules,
        git_reference=git_reference,
        view=view,
        output_file_path=output_file_path,
        context_path=context_path,
    )
    _show(ctx, Response("diff", True, message))


@cli.command()
def validate(
    ctx: typer.Context,
    modules: MODULES_ANNOTATIONS,
    context_path: Annotated[
        Path,
        typer.Option("--context", "-ctx", help="Path to a Driver context file [.json, .py].", show_default=False),
    ],
    name: NAME_ANNOTATIONS = None,
) -> None:
    """Validate DATAFLOW execution for the given CONTEXT (its final vars, inputs and overrides)."""
    state = _ensure_built(ctx, modules, name, context_path)
    message = _try_command(ctx, "validate", commands.validate, dr=state.dr, context_path=context_path)
    _show(ctx, Response("validate", True, message))


@cli.command()
def view(
    ctx: typer.Context,
    modules: MODULES_ANNOTATIONS,
    name: NAME_ANNOTATIONS = None,
    context_path: CONTEXT_ANNOTATIONS = None,
    output_file_path: VIZ_OUTPUT_ANNOTATIONS = "./",
    renderer: Annotated[
        str,
        typer.Option(
            help="What draws it: graphviz (a png, as 1.x), mermaid (Mermaid text, .mmd), json (.json) or any "
            "installed renderer plugin."
        ),
    ] = commands.DEFAULT_RENDERER,
) -> None:
    """Build and draw the dataflow with MODULES."""
    state = _ensure_built(ctx, modules, name, context_path)
    chosen = _try_command(ctx, "view", commands.require_renderer, name=renderer, what="`hamilton view`")
    output_file_path = _try_command(
        ctx,
        "view",
        _in_folder,
        path=output_file_path,
        file_name=f"dag_{state.name}{commands.drawing_extension(chosen)}",
    )
    written = _try_command(
        ctx, "view", commands.view, dr=state.dr, output_file_path=output_file_path, renderer=renderer
    )
    _show(ctx, Response("view", True, {"path": str(written)}))


@cli.command()
def plugins(
    ctx: typer.Context,
    load: Annotated[
        bool, typer.Option(help="Load every plugin first, so that failures and skips show (--no-load: only list).")
    ] = True,
) -> None:
    """List the Hamilton plugins installed (or registered), their versions and status."""
    message = _try_command(ctx, "plugins", commands.plugins, load=load)
    _show(ctx, Response("plugins", True, message), _plugins_table(message))


def _plugins_table(infos: list[dict[str, Any]]) -> str:
    if not infos:
        return "No Hamilton plugins are installed."
    width = max(len(info["name"]) for info in infos)
    lines = []
    for info in infos:
        origin = f"{info['distribution']} {info['version']}" if info["distribution"] else "registered by hand"
        reason = f"  ({info['reason']})" if info["reason"] else ""
        lines.append(f"{info['name']:<{width}}  {info['status']:<10}  {origin}{reason}")
    return "\n".join(lines)


@cli.command()
def ui(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port to serve the UI on (127.0.0.1 only).")] = 8241,
    base_dir: Annotated[
        str | None,
        typer.Option(
            help="Tracking folder (or .db file) to show. Default: $HAMILTON_TRACKING_DIR or ~/.hamilton/tracking.",
            show_default=False,
        ),
    ] = None,
    no_migration: Annotated[bool, typer.Option(help="Accepted for 1.x compatibility; has no effect.")] = False,
    no_open: Annotated[bool, typer.Option(help="Do not open a browser.")] = False,
    settings_file: Annotated[str, typer.Option(help="Accepted for 1.x compatibility; has no effect.")] = "mini",
    config_file: Annotated[
        str | None, typer.Option(help="Accepted for 1.x compatibility; has no effect.", show_default=False)
    ] = None,
) -> None:
    """Start the local tracking UI (needs hamilton-tracking) at http://127.0.0.1:PORT."""
    ignored = [
        option
        for option, used in (
            ("--no-migration", no_migration),
            ("--settings-file", settings_file != "mini"),
            ("--config-file", config_file is not None),
        )
        if used
    ]
    if ignored:
        typer.echo(f"Ignoring {', '.join(ignored)}: the 2.0 UI has no Django settings or migrations.", err=True)
    try:
        _try_command(ctx, "ui", commands.ui, base_dir=base_dir, port=port, open_browser=not no_open)
    except KeyboardInterrupt:
        typer.echo("Stopped the Hamilton UI.", err=True)


if __name__ == "__main__":
    sys.exit(cli(prog_name="hamilton"))
