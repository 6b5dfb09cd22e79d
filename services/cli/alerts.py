"""Commands that read alerts or act on their deliveries: `tail`, `export ID`, `webhooks redeliver`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from services.cli import vocab
from services.cli.connect import run_with_redis
from services.cli.context import globals_of
from services.cli.errors import CliError, ExitCode, say


class ExportFormat(StrEnum):
    cap = "cap"
    json = "json"


def tail(
    ctx: typer.Context,
    severity: Annotated[
        str | None,
        typer.Option(
            "--severity",
            metavar="LEVEL",
            callback=vocab.check_severity,
            autocompletion=vocab.complete_severity,
            help="Minimum severity: extreme, severe, moderate or minor (severe shows Severe and Extreme).",
            show_default=False,
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="SLUG",
            callback=vocab.check_region,
            autocompletion=vocab.complete_region,
            help="Only alerts touching this first-level region, as a slug (kyiv-city, kharkiv-oblast); "
            "the slugs are those of the region table (schemas/data/regions.json).",
            show_default=False,
        ),
    ] = None,
    attack_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            callback=vocab.check_type,
            autocompletion=vocab.complete_type,
            help=f"Only alerts of this attack type: {', '.join(vocab.attack_types())}.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="ID",
            callback=vocab.check_since,
            help="First replay the alert log after this entry id (0 = the whole retained log), then "
            "follow live without a gap or duplicate [default: live only].",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One Alert JSON object per line on stdout instead of panels.")
    ] = False,
) -> int:
    """Print alerts as they are published, until Ctrl-C."""
    settings = globals_of(ctx).settings()
    from services.alerter.commands import tail as follow
    from services.console import AlertPrinter

    printer = AlertPrinter(as_json=as_json)

    async def body(redis: Redis) -> int:
        try:
            await follow(
                redis,
                settings,
                since=since,
                severity=severity,
                region=region,
                attack_type=attack_type,
                on_alert=printer,
                stop=None,
            )
        except ResponseError as exc:
            if "stream ID" in str(exc):
                raise CliError(
                    f"error: Redis rejects --since {since!r} as a stream id ({exc})", ExitCode.USAGE
                ) from None
            raise
        return int(ExitCode.OK)

    try:
        return run_with_redis(settings, body)
    except KeyboardInterrupt:
        return int(ExitCode.OK)


def export(
    ctx: typer.Context,
    alert_id: Annotated[str, typer.Argument(help="The alert's id (alert_id, e.g. sw-eee9d2b6312f3faf).")],
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", case_sensitive=False, help="OASIS CAP 1.2 XML or the Alert JSON of the contract."
        ),
    ] = ExportFormat.cap,
) -> int:
    """Print the latest version of an alert on stdout; exit 1 when no such alert is known. CAP's
    <web> (the incident's page) is given only with STRIKEWATCH_PUBLIC_URL set: this command does not
    know where an alerter serves the page."""
    if not alert_id.strip():
        raise typer.BadParameter("the alert id is empty", param_hint="ALERT_ID")
    settings = globals_of(ctx).settings()
    from services.alerter.commands import export_cap, export_json

    async def body(redis: Redis) -> int:
        render = export_cap if fmt is ExportFormat.cap else export_json
        try:
            text = await render(redis, settings, alert_id)
        except LookupError:
            raise CliError(f"no alert with id {alert_id!r}", ExitCode.FAILED) from None
        sys.stdout.write(text + "\n")
        return int(ExitCode.OK)

    return run_with_redis(settings, body)


webhooks = typer.Typer(help="Webhook delivery maintenance.", no_args_is_help=True, rich_markup_mode=None)


@webhooks.command()
def redeliver(
    ctx: typer.Context,
    subscription: Annotated[
        str | None,
        typer.Option(
            "--subscription",
            help="Only deliveries of this subscription id [default: every subscription].",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Queue dead-lettered webhook deliveries again (due now, attempts reset); running alerters pick
    them up within STRIKEWATCH_WEBHOOK_POLL_MAX_S."""
    settings = globals_of(ctx).settings()
    from services.alerter.commands import redeliver as move_back

    async def body(redis: Redis) -> int:
        moved = await move_back(redis, settings, subscription_id=subscription)
        say(f"{moved} delivery(ies) queued again")
        return int(ExitCode.OK)

    return run_with_redis(settings, body)
