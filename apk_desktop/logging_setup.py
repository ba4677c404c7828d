"""Logging to a rotating file in the data folder (and stderr when run from a terminal)."""

from __future__ import annotations

import logging
import logging.handlers

from apk_desktop.paths import logs_dir

LOG_FILE = "apk-desktop.log"


def configure_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        logs_dir() / LOG_FILE, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
