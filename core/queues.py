"""The named Celery queues, which every worker is started with (docs/queues.md).

Standard library only: devtools/run.py names them in `make run`'s worker command before
Django is set up; config/settings.py exposes them as ``settings.WORKER_QUEUES``, and
config/celery_app.py routes every task to one of them.
"""

from __future__ import annotations

DEFAULT_QUEUE = "default"
WORKER_QUEUES: tuple[str, ...] = (DEFAULT_QUEUE, "gate", "email", "webhooks")
