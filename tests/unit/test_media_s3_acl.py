"""config.settings' S3 block: no object ACL unless MEDIA_S3_DEFAULT_ACL asks for one (a bucket
with "bucket owner enforced" ownership refuses any request carrying an ACL)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

READ_ACL = "import config.settings as s; print(s.STORAGES['default']['OPTIONS']['default_acl'])"


@pytest.mark.parametrize(("acl", "expected"), [(None, "None"), ("private", "private")])
def test_the_s3_storage_sends_an_acl_only_when_configured(acl: str | None, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MEDIA_S3_DEFAULT_ACL"}
    env["MEDIA_STORAGE"] = "s3"
    if acl is not None:
        env["MEDIA_S3_DEFAULT_ACL"] = acl
    result = subprocess.run([sys.executable, "-c", READ_ACL], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == expected
