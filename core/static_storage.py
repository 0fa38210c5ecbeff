"""Static files under hashed names (``site.3f9a1c2b.css``), served by WhiteNoise.

A hashed name changes with the file's content, so WhiteNoise sends it with a year's
``Cache-Control: immutable`` and a browser or CDN never keeps an old stylesheet after a
deployment; every web server computes the same names from the same files, so a page
rendered by one server links to files any other serves. The names come from the manifest
``collectstatic`` writes (STATIC_ROOT/staticfiles.json).

A file the manifest does not name (``collectstatic`` not run on this machine: a test's
server subprocess, a fresh checkout; or run before the file was added) keeps its plain
name, with one warning in the log, instead of failing every page that links to it:
WhiteNoise serves it from the apps' static directories (WHITENOISE_USE_FINDERS), only
without the long cache lifetime. docs/deploy.md: run ``collectstatic`` on every deployment.
"""

from __future__ import annotations

import logging

from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False  # a name the manifest lacks: hashed from the collected file, if any

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:  # not collected: neither in the manifest nor under STATIC_ROOT
            if not self._uncollected(name):
                raise  # no such static file at all (WhiteNoise asks about made-up names too)
            return name

    def _uncollected(self, name: str) -> bool:
        """Whether an app or STATICFILES_DIRS has the file; said in the log once per name."""
        known: dict[str, bool] = self.__dict__.setdefault("_uncollected_names", {})
        if name not in known:
            known[name] = finders.find(name) is not None
            if known[name]:
                logger.warning(
                    "static file %r is not in %s's manifest: served under its plain name "
                    "(run `manage.py collectstatic`)",
                    name,
                    self.location,
                )
        return known[name]
