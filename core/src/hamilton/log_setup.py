"""A one-call logging setup for scripts (1.x's ``hamilton.log_setup``)."""

from __future__ import annotations

import logging
import sys

LOG_LEVELS = {
    "CRITICAL": logging.CRITICAL,
    "ERROR": logging.ERROR,
    "WARNING": logging.WARNING,
    "INFO": logging.INFO,
    "DEBUG": logging.DEBUG,
}


def setup_logging(log_level: int = logging.INFO) -> None:
    """Log to stdout at ``log_level``, unless the root logger already has handlers."""
    root = logging.getLogger()
    root.setLevel(log_level)
    if not root.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("[%(levelname)s] %(asctime)s %(name)s(%(lineno)s): %(message)s"))
        root.addHandler(handler)
    numpy = sys.modules.get("numpy")
    if numpy is not None:  # 1.x silenced numpy's divide/invalid warnings; only if numpy is in use
        numpy.seterr(divide="ignore", invalid="ignore")
