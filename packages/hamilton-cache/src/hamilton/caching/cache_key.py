"""Cache keys: ``"<node name>-<code version>-<dependencies' data versions, compressed>"``.

The format is 1.x's, so keys can be decoded back (``decode_key``) to see why a node missed.
The dependencies part is ``"dep1,version1,dep2,version2,..."`` sorted by name (``"<none>"``
without dependencies), zlib-compressed (level 3) and base64-encoded.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Mapping

NO_DEPENDENCIES = "<none>"


def _pack(text: str) -> str:
    return base64.b64encode(zlib.compress(text.encode(), level=3)).decode()


def _unpack(text: str) -> str:
    return zlib.decompress(base64.b64decode(text.encode())).decode()


def _safe_name(node_name: str) -> str:
    """Only letters, digits and ``_`` survive, so ``-`` can separate the key's parts."""
    return "".join(char for char in node_name if char.isalnum() or char == "_")


def create_cache_key(node_name: str, code_version: str, dependencies_data_versions: Mapping[str, str]) -> str:
    """The key under which a node's result is found: same name, code and inputs, same key."""
    if dependencies_data_versions:
        flat = [part for pair in sorted(dependencies_data_versions.items()) for part in pair]
        dependencies = ",".join(flat)
    else:
        dependencies = NO_DEPENDENCIES
    return f"{_safe_name(node_name)}-{code_version}-{_pack(dependencies)}"


def decode_key(cache_key: str) -> dict:
    """``{"node_name", "code_version", "dependencies_data_versions"}`` of a key made by
    :func:`create_cache_key` (the node name as it appears in the key)."""
    node_name, _, rest = cache_key.partition("-")
    code_version, _, packed = rest.partition("-")
    dependencies = _unpack(packed)
    versions: dict[str, str] = {}
    if dependencies != NO_DEPENDENCIES:
        parts = dependencies.split(",")
        versions = dict(zip(parts[0::2], parts[1::2], strict=False))
    return {"node_name": node_name, "code_version": code_version, "dependencies_data_versions": versions}
