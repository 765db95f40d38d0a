"""The helpers the commands share: loading modules and context files, versions, diffs, git.

Names and signatures follow 1.x's ``hamilton.cli.logic`` so that scripts importing them keep
working; every failure names the file (or node) at fault and says what to do.
"""

from __future__ import annotations

import json
import linecache
import logging
import secrets
import sys
import traceback
import types
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hamilton.cli import git as _git

if TYPE_CHECKING:
    from hamilton import driver

logger = logging.getLogger(__name__)

CONFIG_HEADER = "HAMILTON_CONFIG"
FINAL_VARS_HEADER = "HAMILTON_FINAL_VARS"
INPUTS_HEADER = "HAMILTON_INPUTS"
OVERRIDES_HEADER = "HAMILTON_OVERRIDES"
# Each context key, the type its value must have, and the value when it is absent.
CONTEXT_KEYS: dict[str, tuple[type, type]] = {
    CONFIG_HEADER: (dict, dict),
    FINAL_VARS_HEADER: (list, list),
    INPUTS_HEADER: (dict, dict),
    OVERRIDES_HEADER: (dict, dict),
}

# ---------------------------------------------------------------------------------------------
# Modules


def _module_name(path: Path) -> str:
    """A fresh ``sys.modules`` key: two files with one stem, or a file and its git version, never
    replace each other (nor a real module such as ``json``)."""
    return f"{path.stem}_{secrets.token_hex(4)}"


def _failing_line(error: BaseException, filename: str) -> str:
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]
    return f", line {lines[-1]}" if lines else ""


def load_module(path: Path, source: str | None = None, label: str | None = None) -> types.ModuleType:
    """Execute ``source`` (default: the file's text) as a fresh module, as 1.x's
    ``ad_hoc_utils.module_from_source`` does, but compiled under the file's own name so that
    tracebacks, warnings and ``inspect.getsource`` point at it.

    :param path: the module's file.
    :param source: its code, when it does not come from the file (a git version).
    :param label: how messages name it (default: the path; ``flow.py@HEAD`` for a git version).
    """
    label = label or str(path)
    if source is None:
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ImportError(f"Cannot load module {label}: it is not UTF-8 text ({error}).") from error
    filename = str(path) if label == str(path) else label
    name = _module_name(path)
    module = types.ModuleType(name)
    module.__file__ = filename
    # The exact text compiled, for inspect.getsource (node versions hash each function's code).
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    sys.modules[name] = module  # typing.get_type_hints resolves string annotations through it
    try:
        exec(compile(source, filename, "exec", dont_inherit=True), module.__dict__)
    except SyntaxError as error:
        del sys.modules[name]
        raise SyntaxError(
            f"cannot load module {label}: {error.msg}", (filename, error.lineno, error.offset, error.text)
        ) from None
    except Exception as error:
        del sys.modules[name]
        where = _failing_line(error, filename)
        raise ImportError(
            f"Cannot load module {label}: executing it raised {type(error).__name__}: {error} ({Path(filename).name}{where})."
        ) from error
    return module


def check_module_path(path: Path) -> Path:
    """``path`` resolved, or an error saying it is missing or a folder."""
    if not path.exists():
        raise FileNotFoundError(f"Module file {path} does not exist: pass paths of Python files.")
    if path.is_dir():
        raise IsADirectoryError(f"Module path {path} is a folder: pass the Python files in it (e.g. {path}/*.py).")
    return path.resolve()


def load_modules(module_paths: Iterable[Path]) -> list[types.ModuleType]:
    """The modules at ``module_paths``, each loaded with :func:`load_module` after its folder is
    put on ``sys.path`` (see :func:`put_folder_on_path`)."""
    paths = [check_module_path(Path(path)) for path in module_paths]
    for path in paths:
        put_folder_on_path(path)
    return [load_module(path) for path in paths]


def put_folder_on_path(path: Path) -> None:
    """Put the folder of the module file ``path`` first on ``sys.path`` (once), as ``python
    flow.py`` does, so the module can import its sibling helpers whatever the current folder."""
    folder = str(Path(path).resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)


def build_driver(modules: Iterable[types.ModuleType], config: dict[str, Any]) -> driver.Driver:
    """1.x's CLI driver: dynamic execution enabled, so ``Parallelizable``/``Collect`` flows build."""
    from hamilton import driver

    return (
        driver.Builder()
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_modules(*modules)
        .with_config(config)
        .build()
    )


def default_name(module_paths: Iterable[Path]) -> str:
    """1.x's dataflow name: the module stems joined by ``_``, at most 40 characters."""
    return "_".join(Path(path).stem for path in module_paths)[:40]


# ---------------------------------------------------------------------------------------------
# Context files


def load_context(file_path: Path) -> dict[str, Any]:
    """The four ``HAMILTON_*`` values of a ``.json`` file (its top-level keys) or a ``.py`` file
    (its module attributes); an absent key is ``{}`` (``[]`` for ``HAMILTON_FINAL_VARS``)."""
    file_path = Path(file_path)
    if not file_path.exists():
        raise FileNotFoundError(f"Context file {file_path} does not exist.")
    if file_path.is_dir():
        raise IsADirectoryError(f"Context file {file_path} is a folder: pass a .json or .py file.")
    extension = file_path.suffix
    if extension == ".json":
        values = _read_json_context(file_path)
    elif extension == ".py":
        values = _read_py_context(file_path)
    else:
        raise ValueError(
            f"Received extension `{extension}` is unsupported: context file {file_path} must be a .json or .py file."
        )
    return _validate_context(values, file_path)


def _validate_context(values: dict[str, Any], file_path: Path) -> dict[str, Any]:
    context = {}
    for key, (expected, empty) in CONTEXT_KEYS.items():
        value = values.get(key)
        if value is None:
            value = empty()
        elif expected is list and isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, expected):
            raise ValueError(
                f"{key} in context file {file_path} must be a {expected.__name__}, not "
                f"{type(value).__name__} ({value!r})."
            )
        context[key] = value
    bad_vars = [var for var in context[FINAL_VARS_HEADER] if not isinstance(var, str)]
    if bad_vars:
        raise ValueError(f"{FINAL_VARS_HEADER} in context file {file_path} must list node names; got {bad_vars!r}.")
    return context


def _read_json_context(file_path: Path) -> dict[str, Any]:
    try:
        data = json.loads(file_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(
            f"Context file {file_path} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    if not isinstance(data, dict):
        raise ValueError(
            f"Context file {file_path} must hold a JSON object with HAMILTON_* keys, not a {type(data).__name__}."
        )
    return data


def _read_py_context(file_path: Path) -> dict[str, Any]:
    module = load_module(file_path.resolve())
    return {key: getattr(module, key, None) for key in CONTEXT_KEYS}


# ---------------------------------------------------------------------------------------------
# Versions


def _public_graph(dr: driver.Driver) -> Any:
    from hamilton import graph_types

    return graph_types.HamiltonGraph.from_graph(dr.graph)


def hash_hamilton_nodes(dr: driver.Driver) -> dict[str, str | None]:
    """``{node name: HamiltonNode.version}``: the hash of each node's originating function."""
    return {node.name: node.version for node in _public_graph(dr).nodes}


def dataflow_version(dr: driver.Driver) -> dict[str, Any]:
    """What ``hamilton version`` prints: every node's version and ``HamiltonGraph.version``."""
    graph = _public_graph(dr)
    return {"nodes_hash": {node.name: node.version for node in graph.nodes}, "dataflow_hash": graph.version}


class _Versioned:
    """Stands for a node when only its version is known (1.x's helpers take ``{name: hash}``)."""

    __slots__ = ("version",)

    def __init__(self, version: str | None):
        self.version = version


def hash_dataflow(nodes_version: dict[str, str | None]) -> str:
    """The dataflow's hash from ``{node: version}``, computed exactly as ``HamiltonGraph.version``."""
    from hamilton import graph_types

    return graph_types.HamiltonGraph(nodes=[_Versioned(v) for v in nodes_version.values()]).version


def map_nodes_to_functions(dr: driver.Driver) -> dict[str, str]:
    """``{node name: name of the function it comes from}`` (config values have none)."""
    return {
        node.name: node.originating_functions[0].__name__
        for node in _public_graph(dr).nodes
        if node.originating_functions
    }


def version_hamilton_functions(module: types.ModuleType) -> dict[str, str]:
    """``{function name: hash of its code}`` for the functions of ``module`` that become nodes."""
    from hamilton import graph_types, graph_utils

    return {name: graph_types.code_version(function) for name, function in graph_utils.find_functions(module)}


def diff_versions(current_map: dict[str, Any], reference_map: dict[str, Any]) -> dict[str, list[str]]:
    """Names only in ``current_map``, only in ``reference_map``, and in both with other hashes."""
    return {
        "current_only": [name for name in current_map if name not in reference_map],
        "reference_only": [name for name in reference_map if name not in current_map],
        "edit": [
            name for name, version in current_map.items() if name in reference_map and reference_map[name] != version
        ],
    }


# ---------------------------------------------------------------------------------------------
# Git


def get_git_base_directory(path: Path | None = None) -> str:
    """The top folder of the git repository holding ``path`` (default: the current folder)."""
    return str(_git.repository_root(Path(path) if path is not None else Path.cwd()))


def get_git_reference(git_relative_path: str | Path, git_reference: str) -> str | None:
    """The text of ``git_relative_path`` (relative to the current folder's repository root) at
    ``git_reference``, or ``None`` when the file did not exist there."""
    path = Path(get_git_base_directory()) / git_relative_path
    return _git.file_at(path, _git.resolve_commit(path, git_reference))


def load_modules_from_git(module_paths: Iterable[Path], git_reference: str = "HEAD") -> list[types.ModuleType]:
    """The modules as they were at ``git_reference`` (read with ``git cat-file``; each file's
    own repository is used, whatever the current folder). A file that did not exist at the
    reference loads as an empty module, so all of its nodes show as new."""
    modules = []
    for module_path in module_paths:
        path = check_module_path(Path(module_path))
        put_folder_on_path(path)
        commit = _git.resolve_commit(path, git_reference)
        source = _git.file_at(path, commit)
        label = f"{path}@{git_reference}"
        if source is None:
            logger.warning("%s did not exist at %s: all of its nodes count as new.", path, git_reference)
            source = ""
        modules.append(load_module(path, source, label))
    return modules


# ---------------------------------------------------------------------------------------------
# Diff drawing

DIFF_STYLES = {
    "current_only": ({"fillcolor": "#9be39f"}, "Current only"),
    "reference_only": ({"fillcolor": "#f4a3a3"}, "Reference only"),
    "edit": ({"fillcolor": "#f7e07b"}, "Edited"),
}


def visualize_diff(
    current_dr: driver.Driver,
    reference_dr: driver.Driver,
    current_only: list[str],
    reference_only: list[str],
    edit: list[str],
    output_file_path: Path | str | None = None,
) -> Any:
    """The union of both dataflows as a ``graphviz.Digraph``, nodes coloured by how they changed
    (written to ``output_file_path`` when given; its extension picks the format, png by default).

    Needs hamilton-viz-graphviz (``pip install "apache-hamilton[graphviz]"``) and, to write a
    file, Graphviz's ``dot`` program.
    """
    from hamilton import graph_types, plugins

    renderer = plugins.renderer("graphviz")
    current = _public_graph(current_dr).nodes
    names = {node.name for node in current}
    union = current + [node for node in _public_graph(reference_dr).nodes if node.name not in names]
    changes = {"current_only": current_only, "reference_only": reference_only, "edit": edit}
    status = {name: kind for kind, changed in changes.items() for name in changed}

    def diff_style(*, node: Any, node_class: str) -> tuple[dict[str, str], str | None, str | None]:
        kind = status.get(node.name)
        if kind is None:
            return {}, node_class, None
        style, legend = DIFF_STYLES[kind]
        return dict(style), node_class, legend

    graph = graph_types.HamiltonGraph(nodes=union)
    options: dict[str, Any] = {"custom_style_function": diff_style}
    if output_file_path is not None:
        return renderer.display(graph, output_file_path=str(output_file_path), **options)
    return renderer.digraph(graph, **options)
