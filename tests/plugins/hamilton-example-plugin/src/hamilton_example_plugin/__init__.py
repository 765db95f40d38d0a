"""An example third-party Hamilton plugin, built around a tiny column-oriented :class:`Table`.

Importing this package is cheap and does not import Hamilton: Hamilton imports
``hamilton_example_plugin.plugin`` (the entry point) when it needs the plugin.
"""

from hamilton_example_plugin.table import Table

__version__ = "0.1.0"
__all__ = ["Table", "__version__"]
