"""Issue 13, finding 3: production settings selected by MUSTER_SETTINGS, and `muster check
--deploy` clean under them (no error, no warning)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config import env


def _muster(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update({"MUSTER_VAR_DIR": str(tmp_path), **extra})
    return subprocess.run(
        [sys.executable, "-m", "muster.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_no_warning_under_production(tmp_path):
    result = _muster(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        MUSTER_SETTINGS="production",
        MUSTER_SECRET_KEY=secrets.token_urlsafe(50),
        MUSTER_ALLOWED_HOSTS="muster.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_default_settings_would_not_pass(tmp_path):
    """The check is real: the default settings (the demo's, plain HTTP) fail it."""
    result = _muster(["check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no HTTPS redirect


def test_an_unknown_settings_name_is_refused_clearly(tmp_path):
    result = _muster(["check"], tmp_path, MUSTER_SETTINGS="prod")
    assert result.returncode != 0
    assert "MUSTER_SETTINGS='prod'" in result.stderr


@pytest.mark.parametrize(
    ("muster_settings", "django_settings", "expected"),
    [
        ("production", "", "config.settings.production"),
        ("production", "config.settings.test", "config.settings.production"),
        ("default", "", "config.settings.base"),
        ("", "config.settings.test", "config.settings.test"),
        ("", "", "config.settings.base"),
    ],
)
def test_settings_module(monkeypatch, muster_settings, django_settings, expected):
    monkeypatch.setenv("MUSTER_SETTINGS", muster_settings)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", django_settings)
    assert env.settings_module() == expected


def test_collectstatic_works_under_production(tmp_path):
    """Production serves hashed, compressed static files: the deployment step must succeed on
    every file we ship (a vendored script naming a missing source map broke it)."""
    result = _muster(
        ["collectstatic", "--noinput"],
        tmp_path,
        MUSTER_SETTINGS="production",
        MUSTER_SECRET_KEY=secrets.token_urlsafe(50),
        MUSTER_ALLOWED_HOSTS="muster.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "web/css/muster.css" in manifest


def test_serve_trusts_forwarded_headers_from_the_proxy_only(settings):
    from muster.core.serving import proxy_options

    settings.MUSTER_TRUSTED_PROXY = ""
    assert proxy_options() == {}  # the demo: no proxy, X-Forwarded-* dropped by waitress
    settings.MUSTER_TRUSTED_PROXY = "127.0.0.1"
    options = proxy_options()
    assert options["trusted_proxy"] == "127.0.0.1"
    assert options["trusted_proxy_headers"] == {"x-forwarded-proto", "x-forwarded-for"}
    assert options["clear_untrusted_proxy_headers"] is True
