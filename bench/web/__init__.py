"""The web bench (issue 19): the site under gunicorn beside minimal baseline views, driven by wrk."""
