"""Static files for production: hashed names (cached for good by browsers on slow links) and
compressed copies, both made by `muster collectstatic` (WhiteNoise serves them).

Django also rewrites the source-map comments of scripts, and fails when the map is not there;
the vendored Leaflet names one that is not shipped. Only stylesheets' references (`url()`,
`@import`) are rewritten here.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    patterns = tuple(
        (kind, rules[:2])
        for kind, rules in CompressedManifestStaticFilesStorage.patterns
        if kind == "*.css"
    )
