"""The `strikewatch` command line (docs/contract.md section 1): `main(argv) -> exit code`."""

from services.cli.app import app, entrypoint, main

__all__ = ["app", "entrypoint", "main"]
