"""The course report: its data model, the parser and the checklist catalog."""

from verifier.report.catalog import (
    Catalog,
    CatalogEntry,
    CatalogError,
    Wording,
    assign_catalog_ids,
    load_catalog,
)
from verifier.report.model import Answer, ChecklistItem, Link, Report, Tick
from verifier.report.parse import parse_report

__all__ = [
    "Answer",
    "Catalog",
    "CatalogEntry",
    "CatalogError",
    "ChecklistItem",
    "Link",
    "Report",
    "Tick",
    "Wording",
    "assign_catalog_ids",
    "load_catalog",
    "parse_report",
]
