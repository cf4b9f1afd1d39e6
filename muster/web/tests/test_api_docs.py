"""/api/v1/docs loads Swagger UI from our own static files under the site's CSP: it works on
an offline network and references no other host."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from muster.web.middleware import CSP


@pytest.mark.django_db
def test_the_docs_page_references_no_external_host(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]", body, re.IGNORECASE), body
    assert response.headers["Content-Security-Policy"] == CSP
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        served.close()
    # No inline script runs: only JSON settings and script files.
    assert re.findall(r"<script(?![^>]*(?:src=|type=\"application/json\"))", body) == []
