"""Loading and saving node values: formats, the loader/saver contract, materialization.

* :mod:`hamilton.io.materialization` — ``to.<format>(...)`` / ``from_.<format>(...)`` for
  ``Driver.materialize`` and ``Builder.with_materializers``;
* :mod:`hamilton.io.data_adapters` — how to write a loader or saver;
* :mod:`hamilton.io.default_data_loaders` — the standard-library formats core ships;
* :mod:`hamilton.io.formats` — which class serves a format name for a type; registration;
* :mod:`hamilton.io.atomic` — atomic file writes for savers;
* :mod:`hamilton.io.utils` — the metadata dictionaries loaders and savers return.

Decorators using the same formats live in :mod:`hamilton.function_modifiers`
(``load_from``, ``save_to``, ``dataloader``, ``datasaver``).
"""
