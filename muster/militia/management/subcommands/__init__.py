"""The subcommands of `muster militia` (one module each)."""
