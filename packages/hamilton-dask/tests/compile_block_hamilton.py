"""Dask worker preload for test_compile.py: the worker process cannot import Hamilton.

Puts a finder first in ``sys.meta_path`` that refuses ``hamilton`` and its submodules (before
any other finder looks at ``sys.path``), and drops already-imported Hamilton modules. ``sys.path``
itself is left alone: where Hamilton is installed in site-packages, dask lives there too.
"""

from __future__ import annotations

import importlib.abc
import sys


class BlockHamilton(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "hamilton" or fullname.startswith("hamilton."):
            raise ModuleNotFoundError(f"No module named {fullname!r} (blocked on this worker)", name=fullname)
        return None


sys.meta_path.insert(0, BlockHamilton())
for _name in [name for name in sys.modules if name == "hamilton" or name.startswith("hamilton.")]:
    del sys.modules[_name]
