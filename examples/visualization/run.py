"""Draw a dataflow and one of its runs with every renderer installed.

    python examples/visualization/run.py

Core alone draws JSON; `pip install "apache-hamilton[mermaid]"` adds Mermaid text and
`pip install "apache-hamilton[graphviz]"` (plus the `dot` program) graphviz pictures, which are
written to a temporary folder.
"""

import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import marketing

from hamilton import driver, plugins
from hamilton.rendering import RunRecorder

INPUTS = {"spend_by_day": [10.0, 12.5, 9.0], "signups_by_day": [40, 52, 31]}


def installed(renderer: str) -> bool:
    try:
        plugins.renderer(renderer)
    except plugins.PluginNotFoundError:
        return False
    return True


def main() -> None:
    recorder = RunRecorder()
    dr = driver.Builder().with_modules(marketing).with_config({"region": "eu"}).with_adapters(recorder).build()
    print(dr.execute(["report"], inputs=INPUTS)["report"])

    document = json.loads(str(dr.display_all_functions(renderer="json")))
    print(f"json: {len(document['nodes'])} nodes, {len(document['edges'])} edges")

    if installed("mermaid"):
        # What ran, with outcomes and timings, as Mermaid text (paste it into a Markdown file).
        drawing = dr.visualize_execution(["report"], inputs=INPUTS, run_state=recorder.run_state, renderer="mermaid")
        print(f"mermaid: {len(str(drawing).splitlines())} lines, starting with {str(drawing).splitlines()[1]!r}")
    else:
        print('mermaid: not installed (pip install "apache-hamilton[mermaid]")')

    if installed("graphviz") and shutil.which("dot"):
        folder = tempfile.mkdtemp(prefix="hamilton-drawings-")
        dr.display_all_functions(os.path.join(folder, "all.svg"))
        dr.visualize_path_between("spend", "report", os.path.join(folder, "path.svg"))
        print(f"graphviz: wrote {sorted(os.listdir(folder))} to {folder}")
    else:
        print('graphviz: not installed (pip install "apache-hamilton[graphviz]" and the dot program)')


if __name__ == "__main__":
    main()
