"""The population-register sandbox: a separate process that implements docs/exchange.md.

`muster sandbox popreg --port P` keeps its own SQLite database (stdlib sqlite3, never Django's),
seeded by the synthetic population generator; it signs extracts and a stream of change events
with its own Ed25519 key and serves the feed over HTTPS with mutual TLS using certificates it
generates for itself (a test CA, a server certificate for 127.0.0.1, a client certificate for
Muster). Layout of its data directory: see `sandbox.popreg.register.Paths`.
"""
