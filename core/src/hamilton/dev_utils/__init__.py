"""Helpers for code built on Hamilton, kept for 1.x compatibility.

* :mod:`hamilton.dev_utils.deprecation` — 1.x's ``@deprecated`` decorator, ``Version`` and
  ``DeprecationError``, emitting the warnings of :mod:`hamilton.deprecation`.
"""
