"""Settings shared by every deployment. Environment is read only through config.env."""

from __future__ import annotations

from datetime import timedelta

from config import env

BASE_DIR = env.BASE_DIR
SECRET_KEY = env.secret_key()
DEBUG = env.debug()
ALLOWED_HOSTS = env.allowed_hosts()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own templates and static files: the API docs (Swagger UI) load from our
    # server, never from a CDN (an offline network sees them too).
    "ninja",
    "muster.core",
    "muster.audit",
    "muster.geo",
    "muster.orgs",
    "muster.accounts",
    "muster.people",
    "muster.worklists",
    "muster.reserve",
    "muster.militia",
    "muster.training",
    "muster.conscription",
    "muster.exchange",
    "muster.linkage",
    "muster.restructure",
    "muster.cadres",
    "muster.demo",
    "muster.readiness",
    "muster.civildefence",
    "muster.exercises",
    "muster.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "muster.core.api_errors.ApiJsonErrorsMiddleware",
    "muster.core.api_input.ApiNulRefusalMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "muster.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "muster.web.middleware.VietnameseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "muster.web.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "muster.web.context.print_heading",
                "muster.web.context_processors.simulated_clock",
                "muster.web.context_processors.replica_lag",
            ],
        },
    },
]

_db = env.parse_database_url(env.database_url())
DATABASES = {"default": _db.settings}
# Reports, dashboards and downloads read a streaming replica when one is given
# (muster/core/replica.py; docs/scaling.md); tests mirror it onto the default database.
if _replica_url := env.replica_database_url():
    _replica = env.parse_database_url(_replica_url)
    if _replica.vendor != "postgresql" or _db.vendor != "postgresql":
        raise env.ConfigError("DATABASE_REPLICA_URL: a replica needs PostgreSQL on both sides")
    DATABASES["replica"] = {**_replica.settings, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["muster.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
_validators = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_validators}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_validators}.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": f"{_validators}.CommonPasswordValidator"},
    {"NAME": f"{_validators}.NumericPasswordValidator"},
]
# The lockout check first: a locked username or address never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "muster.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Failed logins (pages, API token, admin; a wrong second-factor code counts) within
# AXES_COOLOFF_TIME: this many lock the username, and this many the client address (higher: a
# command's office may sit behind one address). See muster/accounts/lockout.py.
MUSTER_LOGIN_FAILURES_PER_USERNAME = 5
MUSTER_LOGIN_FAILURES_PER_ADDRESS = 20
AXES_FAILURE_LIMIT = MUSTER_LOGIN_FAILURES_PER_USERNAME
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_HANDLER = "muster.accounts.lockout.LoginFailures"
AXES_LOCKOUT_CALLABLE = "muster.web.views_auth.lockout_response"
# The lock runs its course from the last counted failure; tries during it are refused and
# not counted (so Retry-After is the truth), and a success does not wipe an address's count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp", "code"]
AXES_VERBOSE = False

# The reverse proxy `muster serve` takes the scheme and client address from (none: it drops
# X-Forwarded-* headers). Production: MUSTER_TRUSTED_PROXY, default 127.0.0.1.
MUSTER_TRUSTED_PROXY = ""

# A second factor (TOTP app) is optional under these settings; production requires it of the
# roles accounts.second_factor names.
MUSTER_MFA_REQUIRED = False
# Deputy commanders a commune command may have (Decree 72/2020/NĐ-CP Art. 4): "designated" for
# type-1, border, coastal and island communes, "other" elsewhere. domain-rules §3 marks the
# numbers uncertain after Decrees 16/2025 and 220/2025, so a deployment may change them here.
MUSTER_COMMUNE_DEPUTY_COMMANDERS = {"designated": 2, "other": 1}
OTP_TOTP_ISSUER = "Muster"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# The language of the `muster` commands' messages (pages follow the reader's choice).
MUSTER_CLI_LANGUAGE = env.cli_language()
MUSTER_SELF_DEFENCE_SQUAD_SIZE = env.self_defence_squad_size()
LOCALE_PATHS = [BASE_DIR / "muster" / "locale"]
FORMAT_MODULE_PATH = ["muster.web.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.VAR_DIR / "static"
# Uploaded evidence documents; served only through scope-checked views, never as static files.
MEDIA_ROOT = env.VAR_DIR / "media"
# Keys kept apart from the database (docs/security.md): the audit chain's MAC and checkpoint
# keys and the data key ring; the audit checkpoints, append-only, outside the database.
MUSTER_KEY_DIR = env.key_dir()
MUSTER_DATA_KEYS = env.data_keys()
MUSTER_AUDIT_CHECKPOINTS = env.audit_checkpoint_file()
# The read chain's checkpoint line is written at most this often per process (a commit inside
# the interval gets its line when the interval ends): docs/decisions/0011-read-log-off-the-
# request-path.md. 0: one line per transaction, as for writes.
MUSTER_AUDIT_READ_CHECKPOINT_SECONDS = 1.0
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Stored files (sealed evidence) readable by the server's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# The demo serves straight from app folders; production runs collectstatic.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# Bearer tokens for the JSON API live this long; a user holds at most this many live ones (a
# new one past the cap revokes the oldest).
MUSTER_API_TOKEN_TTL_HOURS = 12
MUSTER_API_TOKENS_PER_USER = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Covering indexes (`Index(include=...)`) are a PostgreSQL optimisation; SQLite builds the same
# index without the extra columns, which is what we want there, so its warning is noise.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
