"""The state the root options hand to every command: overrides of the environment, and the settings
read once from both."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer

from services.cli.errors import CliError, ExitCode
from services.common.settings import Settings, SettingsError, load_settings


@dataclass
class Globals:
    """What the root options set: overrides of the environment, applied when a command loads settings."""

    overrides: dict[str, object] = field(default_factory=dict)
    _settings: Settings | None = None

    def settings(self) -> Settings:
        """The settings (read once), with logging configured from them. CliError(CONFIG) when invalid."""
        if self._settings is None:
            from services.common.logs import configure_logging

            try:
                self._settings = load_settings(**self.overrides)
            except SettingsError as exc:
                raise CliError(str(exc), ExitCode.CONFIG) from None
            configure_logging(self._settings)
        return self._settings

    def redis_url(self) -> str:
        try:
            return self.settings().require_redis_url()
        except RuntimeError as exc:
            raise CliError(str(exc), ExitCode.CONFIG) from None


def globals_of(ctx: typer.Context) -> Globals:
    found = ctx.find_object(Globals)
    if found is None:  # a command invoked without the root callback (tests calling it directly)
        found = ctx.ensure_object(Globals)
    return found
