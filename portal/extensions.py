"""Flask extension instances, created unbound so the app factory can configure them."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model (SQLAlchemy 2.0 typed mappings)."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()


def database_gone(message: str) -> None:
    """After a database error that the request survives (a restart under way): log ``message`` with the error and
    roll back, if the database even lets that happen, so the rest of the request starts from a clean session."""
    from flask import current_app
    from sqlalchemy.exc import SQLAlchemyError

    current_app.logger.warning(message, exc_info=True)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        current_app.logger.warning("the failed request's transaction could not be rolled back", exc_info=True)
