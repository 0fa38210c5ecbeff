"""reviewgate settings: one module, every deployment difference read from the environment.

The defaults run on a fresh machine with nothing else installed (SQLite, a filesystem
Celery broker, the database cache, emails on the console). Production points
DATABASE_URL at PostgreSQL and CELERY_BROKER_URL / REDIS_URL at Redis.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Literal

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.proxies import trusted_proxy_count
from config.static_files import static_files_backend, static_manifest_default
from core import queues as worker_queues
from core.log_format import log_format_checked, logging_config
from core.read_replica_settings import REPLICA_ALIAS, REPLICA_ROUTER, middleware_with_replica, replica_database
from gate.configured import gate_policy_checked, improvement_approval_checked
from ops.address_rules import networks_parsed
from reviews.burst_rule import burst_rule_checked
from reviews.photo_rules import REVIEW_PHOTO_REQUEST_MAX_BYTES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REVIEWGATE_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
# The fallback key is for development only; `check --deploy` flags it (security.W009).
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-dev-only-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A form refused by the CSRF check gets the site's 403 page saying what to do (core/error_pages.py).
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin (its docs ask so): catalogue names and descriptions per language
    # (products/translation.py, docs/i18n.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Ours, bottom layer first (docs/architecture.md): each imports only those above it here.
    "core",
    "accounts",
    "apikeys",
    "notifications",
    "products",
    "orders",
    "reviews",
    "gate",
    "care",
    "topics",
    "storefront",
    "desk",
    "devtools",
    # Probes and metrics (docs/health-and-metrics.md): top layer beside devtools.
    "ops",
    "config",
]

MIDDLEWARE = [
    # Outermost, so every line logged while a request is handled (by the middleware below
    # too: a refused Host, the 503 of an unreachable database) carries its id, and every
    # answer, the probes' included, echoes it in X-Request-ID (core/request_id.py, docs/logging.md).
    "core.request_id.RequestIdMiddleware",
    # Then, before the rest: /healthz, /readyz and (allowed addresses) /metrics answered to load
    # balancers and Prometheus, which call the server's address over plain HTTP: no Host
    # check, HTTPS redirect, session or CSRF for them (ops/middleware.py says why).
    "ops.middleware.ProbeMiddleware",
    # Request counts and latencies for /metrics (django-prometheus): Before first, After last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Before the rest, so every answer carries the policy, even those made by the middleware below
    # (the trailing-slash redirect, a refused Host, WhiteNoise's files, the HTTPS redirect).
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that cannot be reached answers 503 with Retry-After: core/db_unavailable.py.
    "core.db_unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's stored language beats the browser's.
    "accounts.middleware.UserLanguageMiddleware",
    # Signed-in answers are private (Cache-Control: private, Vary: Cookie): core/cache_headers.py.
    "core.cache_headers.PrivateCacheForSignedInMiddleware",
    # Bodies over their route's limit answer 413 before anything reads them: core/request_limits.py.
    "core.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # A page rendered for the shared cache writes a placeholder for the CSRF token,
                # each visitor's own put in its place when served (core/page_cache.py).
                "core.page_cache.csrf_placeholder",
            ],
            # Every template writes figures, percentages and dates through these filters
            # (its `date` replaces Django's: "1er décembre" in French).
            "builtins": ["core.templatetags.figures"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer: wait for the lock instead of failing at once, and take the
    # write lock at BEGIN so two gate runs serialise instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        # WAL lets readers run beside the writer; with WAL, synchronous=NORMAL is still
        # crash-safe and spares an fsync per transaction (a day of the gate is one).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Seconds a request waits for a new connection: a database restarting or unreachable
    # then answers 503 within seconds (core.db_unavailable) instead of holding the request.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica (docs/read-replica.md) ------------------------------------------------
# DATABASE_REPLICA_URL: a PostgreSQL streaming replica of DATABASE_URL. When set, anonymous
# pages' and API GETs' reads go to it (core.db_router, core.read_replica_middleware); writes,
# the desk, tasks, commands and signed-in pages stay on the primary. Unset: nothing of it is
# installed. The middleware goes right after authentication: it asks whether the visitor is
# signed in (and that session and user lookup must read the primary, before any routing).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES[REPLICA_ALIAS] = replica_database(DATABASE_REPLICA_URL, primary=DATABASES["default"])
    DATABASE_ROUTERS = [REPLICA_ROUTER]
    MIDDLEWARE = middleware_with_replica(MIDDLEWARE)

# --- Cache (shared by every worker process, so throttles hold across them) -------------
REDIS_URL = env_str("REDIS_URL", "")
# CACHE_URL names a Redis for the cache alone (another database number, another server);
# empty: REDIS_URL's.
CACHE_URL = env_str("CACHE_URL", "") or REDIS_URL
CACHES: dict[str, dict[str, Any]]
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that stops answering fails a request in seconds instead of holding its
            # worker for good (pages, throttles and /readyz's cache check alike).
            "OPTIONS": {
                "socket_connect_timeout": env_int("CACHE_CONNECT_TIMEOUT", 2),
                "socket_timeout": env_int("CACHE_SOCKET_TIMEOUT", 2),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "reviewgate_cache",
            # Django's default (300) would cull the cached pages of a few hundred products;
            # a third of the rows go when it is passed.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        }
    }

# Anonymous product pages and the API's product figures come from this cache, keyed by the
# product's page version (products.page_version, core.page_cache; docs/performance.md,
# "Caching"). Seconds a copy is kept (0: never cached); each change starts a new key, so this
# only bounds the memory of copies nobody asks for any more. The release is part of every
# key: empty, a digest of the code and templates, so a deployment never serves old HTML.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
PAGE_CACHE_RELEASE = env_str("PAGE_CACHE_RELEASE", "")  # with the settings' digest (core.page_cache.code_release)

# Rate-limit and throttle counters (core.ratelimit_counters): "redis" (atomic INCR with
# expiry) or "database" (one upsert per request); empty: redis when REDIS_URL is set.
RATELIMIT_STORE = env_str("RATELIMIT_STORE", "")
# Off only for load tests and API fuzzing: the site's limits on actions (core.ratelimit).
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)

# --- Request bodies (core/request_limits.py, core/json_parser.py; docs/api.md "Request size")
# The limit plus one byte answers 413 in the route's error shape, without reading the body.
API_JSON_BODY_MAX_BYTES = env_int("API_JSON_BODY_MAX_BYTES", 1024 * 1024)
SITE_FORM_BODY_MAX_BYTES = env_int("SITE_FORM_BODY_MAX_BYTES", 1024 * 1024)
API_JSON_MAX_DEPTH = 64

# --- Authentication ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Days an email-confirmation link works (accounts.verification); a positive integer.
ACCOUNT_EMAIL_VERIFY_DAYS = env_int("ACCOUNT_EMAIL_VERIFY_DAYS", 3)
if ACCOUNT_EMAIL_VERIFY_DAYS < 1:
    raise ImproperlyConfigured(f"ACCOUNT_EMAIL_VERIFY_DAYS must be a positive integer, got {ACCOUNT_EMAIL_VERIFY_DAYS}")

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Translated catalogue content (products/translation.py): a text missing in French shows
# the English one, which every product has (the default language's column is required).
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
# French typography comes from core/formats/ (narrow no-break spaces before "%" and between
# thousands, "1er décembre"), applied by the `number`, `percent` and `date` filters
# (core.templatetags.figures). USE_THOUSAND_SEPARATOR stays off on purpose: it would group
# every integer a template writes, ids in form values and anchors included
# (value="{{ review.pk }}" would post "1,234"); counts for people use `|number` instead.
FORMAT_MODULE_PATH = ["core.formats"]
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# --- Uploaded files: product images and review photos (docs/photos.md) -------------------
# Written through Django's storage API: files under var/media by default; an S3-compatible
# bucket (django-storages) when MEDIA_STORAGE=s3. Neither is served at a public address:
# storefront and reviews serve each file through a view that checks who may see it (a
# held review's photos), streaming from the file system or redirecting to a signed URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: see above
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    _media_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_S3_BUCKET", "reviewgate-media"),
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("MEDIA_S3_REGION", "") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY", "") or None,
            # Objects are private by the bucket's own policy, handed out as signed URLs valid a
            # few minutes. No ACL by default: a bucket with "bucket owner enforced" object
            # ownership (AWS's default since 2023) refuses any request carrying one.
            # MEDIA_S3_DEFAULT_ACL=private for an older bucket that still uses ACLs.
            "default_acl": env_str("MEDIA_S3_DEFAULT_ACL", "") or None,
            "querystring_auth": True,
            "querystring_expire": env_int("MEDIA_S3_URL_SECONDS", 300),
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# A review's multipart request: 5 photos of 10 MiB and 1 MiB for the rest (51 MiB,
# reviews.photo_rules), on the routes that take photos only (core.request_limits); other
# forms keep SITE_FORM_BODY_MAX_BYTES. Django's own limits: the text fields (not files)
# within 1 MiB, files over 2.5 MiB spooled to a temporary file rather than held in memory,
# and at most 20 files (more than 5 get the form's own message; far more, Django's 400).
UPLOAD_BODY_MAX_BYTES = env_int("UPLOAD_BODY_MAX_BYTES", REVIEW_PHOTO_REQUEST_MAX_BYTES)
UPLOAD_BODY_PATHS = [
    r"^/products/[^/]+/review/$",
    r"^/invitations/[^/]+/$",
    r"^/reviews/[0-9]+/edit/$",
    r"^/api/v1/products/[^/]+/reviews/$",
    r"^/api/v1/reviews/[^/]+/$",
    r"^/admin/products/product/",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Static files under hashed names from collectstatic's manifest in production (a year's
# caching, the same names on every web server), plain names with DEBUG and in tests
# (config/static_files.py). `make run` collects first, as a deployment does; a server that
# has not (a test's subprocess) serves plain names for what the manifest lacks.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", static_manifest_default(debug=DEBUG, under_tests="pytest" in sys.modules))
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": static_files_backend(debug=DEBUG, manifest=STATIC_MANIFEST)},
}
WHITENOISE_USE_FINDERS = True

# --- Email ------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP connection may block: without a limit, a relay that stops answering holds an
# `email` worker process for good, and past the outbox's claim lease its message goes twice.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "reviewgate <no-reply@reviewgate.local>")
# Where an author contests a moderation decision: named in every rejection's statement of
# reasons (EU Digital Services Act Art. 17 and 20; docs/desk.md). Set it to a read mailbox.
MODERATION_APPEALS_EMAIL = env_str("MODERATION_APPEALS_EMAIL", "moderation@reviewgate.local")

# --- Security (strict unless DEBUG; each switch overridable) ----------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# The language cookie is set by /i18n/setlang/ and the account page (accounts.views); no script
# reads it, so it is HttpOnly too. Secure follows the session cookie.
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", SESSION_COOKIE_SECURE)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (load balancer, TLS terminator) append to X-Forwarded-For in front of the
# web servers: every limit, the API's throttles and /metrics key on the address they report
# (core.ratelimit.client_address), never on a proxy's own. 0 (the default): REMOTE_ADDR, the
# header ignored. The old API_NUM_PROXIES with BEHIND_TLS_PROXY still counts when this is
# unset (config/proxies.py; docs/deploy.md, "Proxies").
TRUSTED_PROXY_COUNT = trusted_proxy_count()
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])
# No inline script or style: templates load static files only, JSON-LD excepted (data).
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# --- Celery -----------------------------------------------------------------------------
# The filesystem transport needs no server yet lets a worker and beat run as separate
# processes: they exchange messages through files in var/broker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # Seconds between looks at the folders (kombu's default: 1). A control broadcast's
        # answer is read at the next look: /readyz gives the workers 0.5 s to answer its ping.
        "polling_interval": 0.1,
    }
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule (daily gate run, reminders, outbox sweeps) is in config/celery_app.py.
# How long a worker's claim on an outbox message hides it from others; a message whose
# worker died mid-send goes out again after it (notifications.delivery.claim_lease).
OUTBOX_CLAIM_LEASE_SECONDS = env_int("OUTBOX_CLAIM_LEASE_SECONDS", 600)
# The named worker queues (docs/queues.md; defined in core/queues.py, which `make run`
# reads before Django is set up): every task is routed to one of them
# (config/celery_app.py), so a slow webhook receiver never delays the gate's day or its
# notice emails. A worker consumes the queues its `-Q` names; `make run`'s consumes them all.
CELERY_TASK_DEFAULT_QUEUE = worker_queues.DEFAULT_QUEUE
WORKER_QUEUES = worker_queues.WORKER_QUEUES

# --- Django REST framework --------------------------------------------------------------
# API keys first: its WWW-Authenticate header makes DRF answer 401 (not 403) to a caller
# without credentials. Throttle rates are overridable per deployment ("120/min", "5000/hour").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apikeys.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "apikeys.permissions.ApiKeyScopePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "apikeys.throttles.AnonymousIpThrottle",
        "apikeys.throttles.UserThrottle",
        "apikeys.throttles.ApiKeyThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/min"),
        "user": env_str("API_THROTTLE_USER", "300/min"),
        "api_key": env_str("API_THROTTLE_API_KEY", "1200/min"),
    },
    # DRF's own reading of X-Forwarded-For; the throttles key on core.ratelimit.client_address
    # instead (which never takes a forgeable entry), with this same count.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.json_parser.StrictJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api_http.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api_errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.api_errors.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "reviewgate API",
    # What an integrator reads first in /api/docs/ and /api/redoc/ (docs/api.md says more).
    "DESCRIPTION": """Ratings, reviews and quality-gate status of the catalogue, for shops, ERPs and data teams.

**Keys.** Public data (products, ratings, reviews, gate events) needs no credentials. Anything
else needs an API key: ask a reviewgate administrator to create one (admin > API keys) with
the scopes it needs (`read`, `write`, `orders`); it is shown once. Send it as `Authorization: Api-Key rg_…`
(in this page: *Authorize*). A key acts with the rights of the user it belongs to.

**Syncing.** Page through `GET /api/v1/ratings/` by following `next`; keep the largest
`updated_at` and next time pass it as `updated_since` (inclusive). Revalidate cached
products with `If-None-Match: <ETag>` (304 when unchanged).

**Withdrawals.** `on_sale: false` means the quality gate withdrew the product. Learn of it
by webhook (quality directors register endpoints at `/api/v1/webhooks/`) or by polling
`GET /api/v1/gate/events/?ordering=id&after_id=<last id>`.

**Errors** always read `{"error": {"code", "message", "fields"}}`; program against `code`.
**Rate limits** apply per IP (anonymous), per user and per key: on 429, wait `Retry-After`
seconds.""",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayRequestDuration": True},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "GateStateEnum": "products.models.GATE_STATE_CHOICES",
        "EventKindEnum": "gate.models.EVENT_KIND_CHOICES",
        "ReportReasonEnum": "reviews.api.serializers.REPORT_REASON_CHOICES",
        "NoticeStateEnum": "gate.models.WithdrawalNotice.State",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reviews.api.schema_hooks.review_patch_names_a_field",
        "core.api_fields.trimmed_lengths_stated_once",
    ],
}

# --- Reviews ----------------------------------------------------------------------------
# Pre-moderation: new and edited reviews wait for a moderator before they are published.
REVIEWS_PREMODERATION = env_bool("REVIEWS_PREMODERATION", False)

# Review invitations (orders app, docs/invitations.md): the email goes out this many days
# after delivery, its one reminder this many days after it, and an invitation or reminder
# more than REVIEW_INVITE_LATE_DAYS past due is never sent (an imported year-old order).
REVIEW_INVITE_DAYS = env_int("REVIEW_INVITE_DAYS", 7)
# How often (seconds) Celery beat runs the invitation sweep (orders.tasks.invitations_sweep_task).
REVIEW_INVITE_SWEEP_SECONDS = env_int("REVIEW_INVITE_SWEEP_SECONDS", 300)
REVIEW_REMINDER_DAYS = env_int("REVIEW_REMINDER_DAYS", 7)
REVIEW_INVITE_LATE_DAYS = env_int("REVIEW_INVITE_LATE_DAYS", 30)
# How long an invitation's review link works after the email was written.
REVIEW_INVITE_LINK_DAYS = env_int("REVIEW_INVITE_LINK_DAYS", 60)
# Orders purchased longer ago than this lose their customer (address and name): the
# figures stay, the personal data goes (orders.services.orders_anonymise_expired, daily).
ORDER_RETENTION_DAYS = env_int("ORDER_RETENTION_DAYS", 730)

# --- Customer care (care app, docs/care.md) -------------------------------------------------
# A case opened for an unhappy reviewer is first contacted within this many hours (the target
# the desk counts down against, and the figure the transparency page publishes).
CARE_FIRST_CONTACT_HOURS = env_int("CARE_FIRST_CONTACT_HOURS", 24)
# How long the signed reply link of a care message works after it was sent.
CARE_REPLY_LINK_DAYS = env_int("CARE_REPLY_LINK_DAYS", 14)
# The hour (TIME_ZONE) of the daily digest of cases still open, to care staff and managers.
CARE_DIGEST_HOUR = env_int("CARE_DIGEST_HOUR", 8)
# The service figures on the transparency page (share contacted in time, median time to
# first contact, share answered publicly), month by month.
CARE_FIGURES_PUBLIC = env_bool("CARE_FIGURES_PUBLIC", True)
# The Net Promoter Score on the product page (the desk always shows it; no single answer is
# ever public).
NPS_PUBLIC = env_bool("NPS_PUBLIC", False)
# The hour (TIME_ZONE) of each team member's daily digest of their teams' new reviews.
TOPIC_DIGEST_HOUR = env_int("TOPIC_DIGEST_HOUR", 8)
# The fewest answers (or cases) a public figure may describe: below it, the product page
# shows no NPS and the transparency page's month shows "too few to publish" instead of a
# share or median, so no figure gives away one customer's answer or follow-up.
PUBLIC_FIGURES_MIN_COUNT = env_int("PUBLIC_FIGURES_MIN_COUNT", 10)
# Bursts (reviews.bursts, stated on /about/reviews/ and in docs/gate.md): a product that
# receives at least REVIEW_BURST_MIN reviews in REVIEW_BURST_HOURS hours and more than
# REVIEW_BURST_FACTOR times its daily median of the last 90 days (floored at 1), or at
# least REVIEW_BURST_NEW_ACCOUNTS from accounts younger than REVIEW_BURST_NEW_ACCOUNT_DAYS
# days, has the window's new reviews held for a moderator. Positive integers, checked here.
REVIEW_BURST_MIN = env_int("REVIEW_BURST_MIN", 10)
REVIEW_BURST_HOURS = env_int("REVIEW_BURST_HOURS", 24)
REVIEW_BURST_FACTOR = env_int("REVIEW_BURST_FACTOR", 5)
REVIEW_BURST_NEW_ACCOUNTS = env_int("REVIEW_BURST_NEW_ACCOUNTS", 5)
REVIEW_BURST_NEW_ACCOUNT_DAYS = env_int("REVIEW_BURST_NEW_ACCOUNT_DAYS", 7)
burst_rule_checked(
    {
        "REVIEW_BURST_MIN": REVIEW_BURST_MIN,
        "REVIEW_BURST_HOURS": REVIEW_BURST_HOURS,
        "REVIEW_BURST_FACTOR": REVIEW_BURST_FACTOR,
        "REVIEW_BURST_NEW_ACCOUNTS": REVIEW_BURST_NEW_ACCOUNTS,
        "REVIEW_BURST_NEW_ACCOUNT_DAYS": REVIEW_BURST_NEW_ACCOUNT_DAYS,
    }
)

# --- The quality gate (see ../shared/GATE_SPEC.md and docs/gate.md) ---------------------
GATE_THRESHOLD = env_str("GATE_THRESHOLD", "3.0")
GATE_GRACE_DAYS = env_int("GATE_GRACE_DAYS", 30)
GATE_MIN_REVIEWS = env_int("GATE_MIN_REVIEWS", 25)
GATE_WINDOW_DAYS = env_int("GATE_WINDOW_DAYS", 365)
GATE_NOTIFY_DAYS = env_int("GATE_NOTIFY_DAYS", 7)
# Checked at start-up by the policy itself (gate.configured reads it the same way), so a
# typo stops the process here and every value docs/gate.md accepts (e.g. "10/3") starts.
gate_policy_checked(
    {
        "threshold": GATE_THRESHOLD,
        "grace_days": GATE_GRACE_DAYS,
        "min_reviews": GATE_MIN_REVIEWS,
        "window_days": GATE_WINDOW_DAYS,
        "timezone": TIME_ZONE,
    }
)
# Improvement sign-off: "none" (the spec's rule: logging an improvement reinstates at once)
# or "director" (a product manager's improvement waits for a quality director's approval;
# see docs/gate-production.md). Checked here too, so a typo stops start-up.
GATE_IMPROVEMENT_APPROVAL = env_str("GATE_IMPROVEMENT_APPROVAL", "none")
improvement_approval_checked(GATE_IMPROVEMENT_APPROVAL)

# --- Health and metrics (ops app, docs/health-and-metrics.md) ---------------------------
# Who may read /metrics: addresses or networks (CIDR), matched against the client's address
# as core.ratelimit.client_address reports it (TRUSTED_PROXY_COUNT). Others get a 404.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", ["127.0.0.1", "::1"])
try:
    networks_parsed(METRICS_ALLOWED_ADDRESSES)
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_ADDRESSES: {exc}") from exc
# /readyz reports the replica failing (degraded, still 200) past this replay lag in seconds.
READYZ_REPLICA_MAX_LAG_SECONDS = env_int("READYZ_REPLICA_MAX_LAG_SECONDS", 60)
# Probes are called over plain HTTP by the server's address (ops.middleware answers them
# before SecurityMiddleware; this keeps them out of the HTTPS redirect should it not).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Cache gets, hits and misses counted for /metrics: Django's backends, subclassed
# (ops/cache_metrics.py); any other backend is left as it is.
_COUNTED_CACHE_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache": "ops.cache_metrics.RedisCache",
    "django.core.cache.backends.db.DatabaseCache": "ops.cache_metrics.DatabaseCache",
}
for _cache in CACHES.values():
    _cache["BACKEND"] = _COUNTED_CACHE_BACKENDS.get(_cache["BACKEND"], _cache["BACKEND"])

# --- Logging ----------------------------------------------------------------------------
# "plain" (for people) or "json" (one object per line for a log collector); both carry the
# request id, which follows a request into the tasks it queues (docs/logging.md). Checked
# here, so a typo stops start-up.
LOG_FORMAT = log_format_checked(env_str("LOG_FORMAT", "plain"))
LOGGING = logging_config(LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
if LOG_FORMAT == "json":
    # Python's warnings (a deprecation, a missing static folder) as log lines too: a JSON
    # stream must hold nothing else.
    logging.captureWarnings(True)
