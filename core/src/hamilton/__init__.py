"""Hamilton: dataflows from plain Python functions.

``hamilton`` is a regular package whose ``__path__`` is extended so that separately installed
distributions (``hamilton-pandas``, ``apache-hamilton-contrib``, ...) can ship modules into the
``hamilton.*`` namespace without owning this file.
"""

from hamilton._moved import install_missing_module_hints
from hamilton._namespace import extend_path
from hamilton.version import VERSION as __version__

__path__ = extend_path(__path__, __name__)
install_missing_module_hints()  # `import hamilton.caching` without hamilton-cache names the extra

__all__ = ["__version__"]
