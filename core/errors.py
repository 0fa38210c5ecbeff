"""Domain errors: what a service refuses, in words a user understands.

Pages show `message` (and `fields` beside the form inputs); the API maps each class to its
HTTP status through one exception handler, so a refusal is never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    code = "invalid"
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        fields: Mapping[str, Sequence[str] | str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.fields: dict[str, list[str]] = {
            name: [str(errors)] if isinstance(errors, str) else [str(e) for e in errors]
            for name, errors in (fields or {}).items()
        }
        if code:
            self.code = code


class ValidationFailed(DomainError):
    code = "invalid"
    http_status = 400


class Conflict(DomainError):
    """The request clashes with what is stored (a second review, a move already made)."""

    code = "conflict"
    http_status = 409


class NotFound(DomainError):
    """What the request names does not exist (an API view answers 404 before asking, as a
    rule; this is for the services' other callers)."""

    code = "not_found"
    http_status = 404


class NotAllowed(DomainError):
    code = "permission_denied"
    http_status = 403
