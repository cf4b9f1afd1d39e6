"""Production: HTTPS only behind a reverse proxy, a second factor for the roles that need one.

Selected with `MUSTER_SETTINGS=production` (config/env.py); `muster check --deploy` passes
under it with no warning. Deployment, proxy and environment: docs/deployment.md.
"""

from __future__ import annotations

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = False
# The proxy's address only: set MUSTER_ALLOWED_HOSTS to the site's name(s).
ALLOWED_HOSTS = env.allowed_hosts()
CSRF_TRUSTED_ORIGINS = env.csrf_trusted_origins()

# HTTPS only. TLS ends at the reverse proxy, which must set X-Forwarded-Proto (and overwrite
# any the client sent); Django trusts it to know the request came over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# HSTS with the values the browsers' preload list requires (a year, subdomains, preload): once
# a browser saw it, it never speaks plain HTTP to the site again.
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 8 * 3600  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# `muster serve` (waitress) believes X-Forwarded-Proto and X-Forwarded-For from this address
# only: the scheme for the redirect and cookies, the client's address for the login lockout.
MUSTER_TRUSTED_PROXY = env.trusted_proxy()

# Administrators and provincial and region staff must enrol an authenticator app.
MUSTER_MFA_REQUIRED = True

# Static files come from `muster collectstatic` (hashed names, compressed), not app folders.
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "muster.core.static_storage.StaticFilesStorage"},
}
