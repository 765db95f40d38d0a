"""1.x's ``hamilton.experimental`` modules, kept importable under their old paths.

The ``__path__`` is extended like ``hamilton``'s, so a plugin distribution can ship a module here.
"""

from hamilton._namespace import extend_path

__path__ = extend_path(__path__, __name__)
