"""Namespace for plugin modules shipped by separate distributions (``hamilton.plugins.*``).

Only the core distribution owns this file; first-party plugin distributions add modules next
to it through the extended ``__path__``.
"""

from hamilton._namespace import extend_path

__path__ = extend_path(__path__, __name__)
