"""``python -m hamilton.plugins [--json] [--load]``: list installed and registered plugins.

Loads none unless ``--load``: then every plugin is loaded first (warnings silenced, the listing
says it all), so the statuses show which load, fail, are skipped or are inactive (a plugin for a
library that is not installed, e.g. ``inactive  (needs pyarrow)``).
"""

from __future__ import annotations

import json
import sys

from hamilton.plugins import list_plugins


def main(argv: list[str]) -> int:
    if "--load" in argv:
        import warnings

        from hamilton.plugins import HamiltonPluginWarning, load_all

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", HamiltonPluginWarning)
            load_all()
    plugins = list_plugins()
    if "--json" in argv:
        print(json.dumps([info.as_dict() for info in plugins], indent=2))
        return 0
    if not plugins:
        print("No Hamilton plugins are installed.")
        return 0
    width = max(len(info.name) for info in plugins)
    for info in plugins:
        origin = f"{info.distribution} {info.version}" if info.distribution else "registered by hand"
        reason = f"  ({info.reason})" if info.reason else ""
        print(f"{info.name:<{width}}  {info.status:<10}  {origin}{reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
