"""Data quality: validators of node results, run by ``@check_output``/``@check_output_custom``.

* :mod:`hamilton.data_quality.base` — ``DataValidator``, ``ValidationResult``,
  ``DataValidationError`` and how failures act (log or raise);
* :mod:`hamilton.data_quality.default_validators` — the validators ``@check_output`` selects
  by keyword (plugins add those of dataframe and column types);
* :mod:`hamilton.data_quality.hooks` — ``ValidationHook``: run the declared validators as a
  lifecycle hook instead of as extra nodes, and read their results from other hooks.
"""
