"""Subcommands of `muster keys`: one module each."""
