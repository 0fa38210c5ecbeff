"""Project configuration: settings, URLs, the Celery app, shared errors and API plumbing.

The Celery app is not imported here but in ``NotificationsConfig.ready()``: every Django
process still loads it (so ``@shared_task`` binds to it), while importing the settings
alone, as ``manage.py gate_backtest`` does, stays light.
"""
