"""Data quality: validators of node results, run by ``@check_output``/``@check_output_custom``.

* :mod:`hamilton.data_quality.base` — ``DataValidator``, ``ValidationResult``,
  ``DataValidationError`` and how failures act (log or raise);
* :mod:`hamilton.data_quality.default_validators` — the validators ``@check_output`` selects
  by keyword (plugins add those of dataframe and column types);
* :mod:`hamilton.data_quality.hooks` — ``ValidationHook``: run the declared validators as a
  lifecycle hook instead of as extra nodes, and read their results from other hooks.

``hamilton.data_quality`` is a regular package whose ``__path__`` is extended, so that a plugin
distribution can ship a 1.x module path into it (hamilton-pandera's ``pandera_validators``).
"""

from hamilton._namespace import extend_path

__path__ = extend_path(__path__, __name__)
