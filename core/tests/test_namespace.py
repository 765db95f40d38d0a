"""``hamilton`` and ``hamilton.plugins`` extend their ``__path__`` over every sys.path entry.

(The full install matrix — wheels, editable installs, Lambda-style layers — lives in the
cross-distribution tests; this checks the mechanism in-process.)
"""

import subprocess
import sys
import textwrap


def test_a_plugin_module_in_a_separate_folder_is_importable(tmp_path):
    layer = tmp_path / "layer"
    plugin = layer / "hamilton" / "plugins"
    plugin.mkdir(parents=True)  # no __init__.py files: only core owns those
    (plugin / "my_plugin.py").write_text("VALUE = 42\n")
    contrib = layer / "hamilton" / "contrib"
    contrib.mkdir()
    (contrib / "__init__.py").write_text("")
    (contrib / "flows.py").write_text("NAME = 'contrib'\n")
    probe = textwrap.dedent(
        """
        import sys
        import hamilton, hamilton.plugins
        # plugin distributions installed editable here also extend the paths: count the layer's share
        before = len(hamilton.__path__), len(hamilton.plugins.__path__)
        for name in [m for m in sys.modules if m.startswith("hamilton")]:
            del sys.modules[name]
        sys.path.append(sys.argv[1])
        import hamilton, hamilton.plugins
        from hamilton.plugins import my_plugin
        from hamilton.contrib import flows
        import hamilton.driver
        print(my_plugin.VALUE, flows.NAME, len(hamilton.__path__) - before[0], len(hamilton.plugins.__path__) - before[1])
        """
    )
    result = subprocess.run([sys.executable, "-c", probe, str(layer)], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["42", "contrib", "1", "1"]


def test_core_does_not_import_heavy_standard_library_modules():
    """The lean-import budget: these cost milliseconds each and are only imported when used."""
    heavy = ["typing", "re", "inspect", "dataclasses", "logging", "pkgutil", "importlib.metadata", "uuid", "ast"]
    probe = "import sys, hamilton.driver; print(' '.join(m for m in sys.argv[1:] if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe, *heavy], capture_output=True, text=True, check=True)
    assert result.stdout.split() == []
