"""PynamoDB models bound to their table lazily, from the settings, on first use.

A model names the settings entry of its table (``table_key = "tenants"`` reads
``TENANTS_TABLE``); the endpoint honours ``AWS_ENDPOINT_URL``. Nothing connects at import.
"""

from __future__ import annotations

from typing import Any

from pynamodb.models import Model

from tridesk.core.settings import get_settings


class TriDeskModel(Model):
    """Base of every table model: table name, region and endpoint come from the settings."""

    table_key: str = ""

    @classmethod
    def _get_connection(cls) -> Any:
        settings = get_settings()
        table = settings.table(cls.table_key)
        meta = cls.Meta
        if (meta.table_name, meta.host, meta.region) != (table, settings.endpoint_url, settings.region):
            meta.table_name = table
            meta.host = settings.endpoint_url
            meta.region = settings.region
            cls._connection = None
        return super()._get_connection()


def _all_models(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_all_models(sub))
    return found


def reset_models() -> None:
    """Drop cached connections so models rebind to the current settings."""
    for model in _all_models(TriDeskModel):
        model._connection = None
        meta = getattr(model, "Meta", None)
        if meta is not None:
            meta.table_name = None
