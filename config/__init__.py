"""The wiring: settings, URLs, the API router, the Celery app, WSGI and ASGI.

No app imports this package (docs/architecture.md). The Celery app is loaded by
``config.apps`` with the app registry, not here, so importing the settings alone, as
``manage.py gate_backtest`` does, stays light.
"""
