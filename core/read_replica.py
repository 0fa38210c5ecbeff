"""Which database serves a request's reads: the pure decision (docs/read-replica.md).

No database, no Django: the middleware (core.read_replica_middleware) gathers the facts and
this module decides. Reads go to the replica only when that cannot show a visitor something
older than what they have already seen or done:

* only GET and HEAD: a POST writes, and what it reads must be what it writes against;
* only a visitor who is not signed in on the site: a signed-in page shows the visitor's own
  drafts, votes and settings, which they may have changed a moment ago on another machine.
  The API's GETs (anonymous or with an API key) may use the replica: the key is checked on
  the primary by the router (core.db_router), whatever this decides;
* never the desk, the admin, the accounts pages, and the pages a signed link opens (a review
  invitation, an unsubscribe link, a care reply): the link was just emailed, and the row it
  names must be found even when the replica is a few moments behind;
* a visitor who wrote carries the primary's WAL position of that write (cookie
  ``rg_wal_lsn``): until the replica has replayed past it, the primary serves them. A cookie
  that cannot be read, or a replica that cannot say where it is (NULL: not in recovery, or
  not reachable), means the primary.
"""

from __future__ import annotations

import re
from typing import Final, Literal

PRIMARY: Final = "default"
REPLICA: Final = "replica"
Alias = Literal["default", "replica"]

# The read-your-writes cookie (contract: /work/notes/contracts20.md).
LSN_COOKIE: Final = "rg_wal_lsn"

READ_METHODS: Final = frozenset({"GET", "HEAD"})

# Paths read from the primary even for an anonymous GET (see the module's docstring).
PRIMARY_PATH_PREFIXES: Final = (
    "/desk/",
    "/admin/",
    "/accounts/",
    "/i18n/",
    "/invitations/",
    "/unsubscribe/",
    "/care/reply/",
    "/thanks/unsubscribe/",
    # Health checks name their databases themselves (/readyz asks the replica explicitly).
    "/healthz",
    "/readyz",
    "/metrics",
)

# PostgreSQL's pg_lsn text: two hexadecimal numbers of up to 32 bits each, "16/B374D848".
_LSN = re.compile(r"\A([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})\Z")


def lsn_parsed(text: str | None) -> int | None:
    """The WAL position as one comparable integer, or None for anything else (a cookie
    edited by hand, a NULL from a server that is not replaying)."""
    if text is None:
        return None
    match = _LSN.match(text)
    if match is None:
        return None
    high, low = (int(part, 16) for part in match.groups())
    return (high << 32) | low


def replica_allowed(*, method: str, path: str, signed_in: bool) -> bool:
    """Whether this request's reads may come from the replica, its cookie aside."""
    if method.upper() not in READ_METHODS:
        return False
    if path.startswith(PRIMARY_PATH_PREFIXES):
        return False
    return not signed_in


def read_alias(*, method: str, path: str, signed_in: bool, cookie_lsn: str | None, replay_lsn: str | None) -> Alias:
    """The alias that serves this request's reads.

    ``cookie_lsn`` is the visitor's ``rg_wal_lsn`` cookie (None: they sent none);
    ``replay_lsn`` the replica's ``pg_last_wal_replay_lsn()`` as text (None: NULL, unknown,
    or not asked because there was no cookie).
    """
    if not replica_allowed(method=method, path=path, signed_in=signed_in):
        return PRIMARY
    if cookie_lsn is None:
        return REPLICA
    written, replayed = lsn_parsed(cookie_lsn), lsn_parsed(replay_lsn)
    if written is None or replayed is None or replayed < written:
        return PRIMARY
    return REPLICA


# Statements that never change data: what a request runs on the primary without writing.
_READ_ONLY_STATEMENTS: Final = re.compile(
    r"\A\s*(SELECT|SHOW|EXPLAIN|VALUES|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|PRAGMA)\b",
    re.IGNORECASE,
)
_WRITE_TARGET: Final = re.compile(r"\A\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z0-9_]+)\"?", re.IGNORECASE)


def statement_writes(sql: str, *, unreplicated_tables: frozenset[str]) -> bool:
    """Whether this SQL changes data a replica read could show.

    INSERT, UPDATE and DELETE of a table the replica never serves (sessions, the cache, rate
    limits: core.db_router.PRIMARY_ONLY_APP_LABELS) do not count: the visitor never reads
    them from the replica, and a cookie there would send every anonymous visitor whose page
    filled the cache to the primary. Anything that is not plainly a read (a WITH, a COPY, a
    statement this does not know) counts: one request too many on the primary is harmless,
    one too few shows a writer the page without their write.
    """
    if _READ_ONLY_STATEMENTS.match(sql):
        return False
    target = _WRITE_TARGET.match(sql)
    return target is None or target.group(1).lower() not in unreplicated_tables
