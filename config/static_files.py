"""Which storage writes and names the static files (STORAGES["staticfiles"]).

- Production (DEBUG off): hashed names from collectstatic's manifest
  (core.static_storage.HashedStaticFilesStorage), compressed by WhiteNoise.
- DEBUG on: plain names, read straight from the apps' static directories.
- Tests (settings loaded under pytest): plain names too, compressed as production's, so
  that no test depends on a `collectstatic` run, nor on the one an earlier `make run` left
  in var/static (a manifest that misses a newer file).

STATIC_MANIFEST (env) overrides the default either way: `STATIC_MANIFEST=0` for a server
that must run without collectstatic, `STATIC_MANIFEST=1` to try hashed names in a test.
"""

from __future__ import annotations

MANIFEST = "core.static_storage.HashedStaticFilesStorage"
COMPRESSED = "whitenoise.storage.CompressedStaticFilesStorage"
PLAIN = "django.contrib.staticfiles.storage.StaticFilesStorage"


def static_manifest_default(*, debug: bool, under_tests: bool) -> bool:
    return not debug and not under_tests


def static_files_backend(*, debug: bool, manifest: bool) -> str:
    if manifest:
        return MANIFEST
    return PLAIN if debug else COMPRESSED
