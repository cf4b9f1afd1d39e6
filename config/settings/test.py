"""Test settings: the database still comes from DATABASE_URL (SQLite or PostgreSQL)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True
# Uploaded files of a test run go to a throwaway directory, never the working tree.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="muster-test-media-"))
# Keys and audit checkpoints of a test run too (a checkpoint names its database's identity,
# so the tests' databases never read each other's).
MUSTER_KEY_DIR = Path(tempfile.mkdtemp(prefix="muster-test-keys-"))
MUSTER_AUDIT_CHECKPOINTS = MUSTER_KEY_DIR / "checkpoints.jsonl"
# One checkpoint line per read transaction, so a test sees its line at once (the throttle has
# its own tests in muster/audit/tests/test_checkpoints.py).
MUSTER_AUDIT_READ_CHECKPOINT_SECONDS = 0.0
