"""Gunicorn's own lines (its error log: boot, worker timeouts and exits; its access log)
written like the app's, in LOG_FORMAT, to stderr beside them, so a collector reading the
process's stderr gets one format (docs/logging.md):

    LOG_FORMAT=json gunicorn -c python:core.gunicorn_logging config.wsgi

A deployment with a gunicorn config file of its own imports these names from it instead.
Read by gunicorn's master before Django is set up: no Django setting is read here.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from core.log_format import FORMATTERS, REQUEST_ID_FILTER, log_format_checked

_LOG_FORMAT = log_format_checked(os.environ.get("LOG_FORMAT") or "plain")

# The access line: client, method and path (not the query string: a signed link's token
# stays out of the logs), status, bytes, milliseconds, and the id the answer echoed (the
# JSON line's request_id has it too, where the worker still holds it).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'

# Merged over gunicorn's CONFIG_DEFAULTS key by key (gunicorn.glogging). Its loggers do not
# propagate: in a worker the root logger is Django's (settings.LOGGING), which would write
# each line a second time.
logconfig_dict: dict[str, Any] = {
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        name: {"level": "INFO", "handlers": ["stderr"], "propagate": False, "qualname": name}
        for name in ("gunicorn.error", "gunicorn.access")
    },
    "filters": {"request_id": dict(REQUEST_ID_FILTER)},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": _LOG_FORMAT,
            "filters": ["request_id"],
            "stream": "ext://sys.stderr",
        }
    },
    "formatters": copy.deepcopy(FORMATTERS),  # dictConfig takes its entries apart
}
