"""Stand-ins for systems Muster exchanges data with but cannot reach in development and tests."""
