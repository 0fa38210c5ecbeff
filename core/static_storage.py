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

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False  # a name the manifest lacks: hashed from the collected file, if any
    _warned: set[str]

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:  # not collected: neither in the manifest nor under STATIC_ROOT
            warned = self.__dict__.setdefault("_warned", set())
            if name not in warned:
                warned.add(name)
                logger.warning(
                    "static file %r is not in %s's manifest: served under its plain name "
                    "(run `manage.py collectstatic`)",
                    name,
                    self.location,
                )
            return name
