"""`flask` commands: create the database, load demo data, scale the catalogue for benchmarks."""

from __future__ import annotations

import click
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select
from waitress import serve as waitress_serve

from . import saved_plans
from .account_models import Person
from .context import directory, life_events, places, today
from .demo.generator import generate_catalogue
from .demo.loader import default_postal_codes_path, load_demo_catalogue, load_postal_codes
from .demo.service_point_loader import load_service_points
from .extensions import db
from .pages.accessibility_statement import main as accessibility_statement_main
from .ptv_import import PtvImportError
from .ptv_import import run as run_ptv_import
from .sessions import purge_expired


def register_cli(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the database schema (Alembic migrations)."""
        upgrade()
        click.echo("Database schema is up to date.")

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=8000, show_default=True, type=int)
    @click.option("--threads", default=8, show_default=True, type=int)
    def serve(host: str, port: int, threads: int) -> None:
        """Serve the portal with waitress, a production WSGI server (``flask run`` is Werkzeug's development
        server, which names itself and Python's version in every response). No Server header is sent: a
        version banner only helps someone looking for a known hole."""
        click.echo(f"Polku serves on http://{host}:{port}/ with waitress ({threads} threads)")
        waitress_serve(app, host=host, port=port, threads=threads, ident="")

    @app.cli.command("purge-sessions")
    def purge_sessions() -> None:
        """Delete expired sessions (idle or absolute timeout); they are also deleted when presented. Run it
        now and then, e.g. hourly from cron, so sessions nobody comes back to do not stay."""
        removed = purge_expired(app)
        db.session.commit()
        click.echo(f"Deleted {removed} expired sessions.")

    @app.cli.command("load-demo")
    def load_demo() -> None:
        """Load Finland's postal codes, the Turku-region demo catalogue and its service points."""
        codes = load_postal_codes(db.session, default_postal_codes_path())
        counts = load_demo_catalogue(db.session)
        points = load_service_points(db.session, today())
        db.session.commit()
        click.echo(f"Loaded {codes} postal codes and the demo catalogue: {counts}")
        click.echo(f"Loaded the demo service points with appointment slots from {today()}: {points}")

    @app.cli.command("generate-catalogue")
    @click.option("--locations", default=10_000, show_default=True, help="How many synthetic ECEC locations to add.")
    @click.option("--seed", default=1, show_default=True)
    def generate(locations: int, seed: int) -> None:
        """Scale the catalogue with synthetic locations, for benchmarks."""
        added = generate_catalogue(db.session, locations, seed=seed)
        db.session.commit()
        click.echo(f"Added {added} synthetic locations.")

    @app.cli.command("accessibility-statement", context_settings={"ignore_unknown_options": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def accessibility_statement(args: tuple[str, ...]) -> None:
        """Generate the accessibility statement draft (options: --summary, --manual, --output)."""
        accessibility_statement_main(list(args))

    @app.cli.command("import-ptv")
    @click.option("--dry-run", is_flag=True, help="Print what would change, field by field, and save nothing.")
    @click.option("--organisation", "business_id", help="Business id of the organisation new services belong to.")
    @click.argument("sources", nargs=-1, required=True)
    def import_ptv(dry_run: bool, business_id: str | None, sources: tuple[str, ...]) -> None:
        """Import services and service locations from PTV Open API V11 JSON files or URLs (portal/ptv_import.py).
        All or nothing: any problem stops the run and nothing is saved."""
        try:
            result = run_ptv_import(db.session, sources, dry_run=dry_run, organisation_business_id=business_id)
        except PtvImportError as error:
            for problem in error.problems:
                click.echo(f"Error: {problem}", err=True)
            raise click.ClickException("Nothing was saved.") from None
        for line in result.plan.describe():
            click.echo(line)
        if dry_run:
            click.echo("Dry run: nothing was saved.")
        elif result.saved:
            click.echo(f"Saved {result.changed_fields} changed fields.")
        else:
            click.echo("Nothing to change.")

    @app.cli.command("send-reminders")
    def send_reminders() -> None:
        """Put deadline reminders in the own space of everyone who consented (run daily, e.g. from cron)."""
        sent = 0
        with app.test_request_context("/fi/"):
            for person in db.session.scalars(select(Person)):
                views = [
                    saved_plans.view(p, life_events()[p.event_id], today(), places(), directory())
                    for p in person.plans
                    if p.event_id in life_events()
                ]
                sent += saved_plans.send_reminders(person, views, today())
            db.session.commit()
        click.echo(f"Sent {sent} deadline reminders.")
