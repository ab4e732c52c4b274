"""What the web pages and the API list: documents page by page, counted searches, units and templates in scope."""

from __future__ import annotations

from datetime import date
from typing import Any

from tonghop.db import archive_repo, catalog_repo, search_sql
from tonghop.db import reporting_repo as reporting
from tonghop.services import archive
from tonghop.services.accounts import User
from tonghop.services.context import database_url, transaction
from tonghop.services.templates import ensure_builtins, get_template, template_summary
from tonghop.services.units import load_tree
from tonghop.text.fold import fold
from tonghop.text.normalize import nfc

COUNT_CAP = 1000


def list_documents(*, type: str | None = None, year: int | None = None, limit: int = 20, offset: int = 0,
                   url: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """A page of archived documents, newest first, and the number matching in all."""
    with transaction(url) as session:
        return catalog_repo.list_documents(session, doc_type=archive._type_code(type), year=year, limit=limit,
                                           offset=offset)


def document_titles(ids: list[int], *, url: str | None = None) -> list[dict[str, Any]]:
    """Id, number, file name and title of the documents IDS, in that order."""
    with transaction(url) as session:
        rows = archive_repo.summaries(session, list(dict.fromkeys(ids)))
    return [{"id": i, "number": rows[i]["number"], "filename": rows[i]["filename"],
             "title": archive._title(rows[i], rows[i]["text"] or "")} for i in dict.fromkeys(ids) if i in rows]


def document_years(*, url: str | None = None) -> list[int]:
    """Years present in the archive, newest first (for the search filter)."""
    with transaction(url) as session:
        return catalog_repo.document_years(session)


def count_matches(query: str, *, type: str | None = None, year: int | None = None, issuer: str | None = None,
                  url: str | None = None) -> int:
    """How many documents `archive.search` would find for QUERY in all (at most COUNT_CAP)."""
    terms, keys, prefixes, types = archive._query_parts(query)
    filters = {"doc_type": archive._type_code(type), "year": year, "issuer": fold(nfc(issuer)) if issuer else None}
    with transaction(url) as session:
        ids = set(search_sql.ids_by_number(session, keys, prefixes, types=types, **filters))
        ids |= {i for i, _ in search_sql.search_ids(session, terms, limit=COUNT_CAP, **filters)}
    return min(len(ids), COUNT_CAP)


def search_page(query: str, *, type: str | None = None, year: int | None = None, issuer: str | None = None,
                limit: int = 20, offset: int = 0, url: str | None = None) -> tuple[archive.SearchResults, int]:
    """One page of search hits and the total number of matches."""
    results = archive.search(query, type=type, year=year, issuer=issuer, limit=limit, offset=offset, url=url)
    total = count_matches(query, type=type, year=year, issuer=issuer, url=url)
    return results, max(total, offset + len(results.hits))


def scoped_units(user: User, *, at: date | None = None, url: str | None = None) -> list[dict[str, Any]]:
    """The units in USER's subtree in force on AT (default today), in tree order."""
    with transaction(url) as session:
        view = load_tree(session, database_url(url)).at(at or date.today())
    if user.unit_code not in view:
        return []
    return [{"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent}
            for u in (view.units[c] for c in view.subtree(user.unit_code))]


def unit_name(code: str, *, url: str | None = None) -> str | None:
    """The name of unit CODE in force today, or None."""
    with transaction(url) as session:
        view = load_tree(session, database_url(url)).at(date.today())
    return view.units[code].name if code in view else None


def scoped_unit(user: User, code: str, *, url: str | None = None) -> dict[str, Any] | None:
    """Unit CODE when it lies in USER's subtree, else None (callers answer 404)."""
    return next((u for u in scoped_units(user, url=url) if u["code"] == code), None)


def scoped_templates(user: User, *, url: str | None = None) -> list[dict[str, Any]]:
    """Templates due from at least one unit in USER's subtree (current versions)."""
    with transaction(url) as session:
        ensure_builtins(session)
        view = load_tree(session, database_url(url)).at(date.today())
        scope = view.subtree(user.unit_code) if user.unit_code in view else []
        assignments = reporting.load_assignments(session)
        due = {a.template_code for a in assignments for c in scope if a.matches(c, view.units[c].kind)}
        return [template_summary(get_template(session, code)) for code in reporting.template_codes(session)
                if code in due]
