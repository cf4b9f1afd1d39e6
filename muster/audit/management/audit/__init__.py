"""Subcommands of `muster audit`: one module each."""
