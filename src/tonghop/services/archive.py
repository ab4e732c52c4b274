"""The archive: ingest files, search them without diacritics, show one, follow its citations."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import tonghop.extract as extraction
from tonghop.db import archive_repo, search_sql
from tonghop.documents.errors import ReadError
from tonghop.documents.read import read_document
from tonghop.services.context import transaction
from tonghop.text.fold import fold
from tonghop.text.normalize import nfc

SUPPORTED = (".txt", ".docx", ".pdf", ".html", ".htm")
TYPE_WORDS = {
    "ke hoach": "KH", "bao cao": "BC", "quyet dinh": "QĐ", "nghi quyet": "NQ", "cong van": "CV", "chi thi": "CT",
    "thong bao": "TB", "huong dan": "HD", "chuong trinh": "CTr", "to trinh": "TTr", "cong dien": "CĐ",
    "giay moi": "GM", "quy che": "QC", "de an": "ĐA", "phuong an": "PA",
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:\s*[/-]\s*[0-9A-Za-zĐđ]+)+")
_TERM = re.compile(r"[^\W_]+")


class DocumentNotFound(LookupError):
    """No archived document has this id."""

    def __init__(self, doc_id: int) -> None:
        super().__init__(f"không có văn bản số hiệu lưu trữ {doc_id} trong kho")
        self.doc_id = doc_id


@dataclass
class Failure:
    """A file that could not be archived, and why."""

    path: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return asdict(self)


@dataclass
class SearchHit:
    """One found document: header fields, a snippet of its text and the spans in it to highlight."""

    id: int
    doc_type: str | None
    number: str | None
    title: str
    issuer: str | None
    date: str | None
    snippet: str
    highlights: list[tuple[int, int]]
    score: float
    by_number: bool = False

    def marked(self, open_mark: str = "[", close_mark: str = "]", escape: Callable[[str], str] = str) -> str:
        """The snippet with every highlighted span wrapped in OPEN_MARK/CLOSE_MARK (text passed through ESCAPE)."""
        out, pos = [], 0
        for start, end in self.highlights:
            out += [escape(self.snippet[pos:start]), open_mark, escape(self.snippet[start:end]), close_mark]
            pos = end
        out.append(escape(self.snippet[pos:]))
        return "".join(out)


@dataclass
class SearchResults:
    """A page of search hits."""

    query: str
    terms: list[str]
    hits: list[SearchHit]
    limit: int
    offset: int

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return asdict(self)


def _files(paths: list[str]) -> list[Path]:
    """The files under PATHS: folders recursively (supported formats, no hidden or Word lock files), files as given."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith(("~$", "."))
            )
        else:
            out.append(p)
    return out


def folded_fields(title: str, body: str, issuer: str | None = None) -> tuple[str, str]:
    """What the search index holds for a document: title (with the issuer) and body, folded like queries are."""
    return fold(nfc(f"{title} {issuer}" if issuer else title)), fold(nfc(body))


def _title(facts: dict, text: str) -> str:
    parts = [facts.get("type_name") or "", facts.get("number") or "", facts.get("subject") or ""]
    title = " ".join(p for p in parts if p).strip()
    if facts.get("subject") or (facts.get("type_name") and facts.get("number")):
        return title
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f"{title} {first[:200]}".strip()


def _record(path: Path, sha: str, doc, facts: dict) -> dict:
    signer = facts.get("signer") or {}
    date = facts.get("date")
    return {
        "path": str(path.resolve()), "filename": path.name, "sha256": sha, "format": doc.format,
        "encoding": facts.get("encoding") or doc.encoding, "doc_type": facts.get("doc_type"),
        "type_name": facts.get("type_name"), "number": facts.get("number"), "issuer": facts.get("issuer"),
        "issuer_folded": fold(facts["issuer"]) if facts.get("issuer") else None,
        "parent_issuer": facts.get("parent_issuer"), "place": facts.get("place"), "date": date,
        "year": int(date[:4]) if date and date[:4].isdigit() else None, "subject": facts.get("subject"),
        "signer_authority": signer.get("authority"), "signer_title": signer.get("title"),
        "signer_name": signer.get("name"), "text": extraction.quantity_text(doc), "facts_json": json.dumps(facts, ensure_ascii=False),
        "warnings_json": json.dumps(list(doc.warnings) + list(facts.get("warnings") or []), ensure_ascii=False),
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip


def _ingest_one(path: Path, url: str | None) -> tuple[str, int | None]:
    """Archive one file in its own transaction: ("added", id) or ("skipped", id); raises ReadError."""
    if not path.exists():
        raise ReadError(str(path), "không tìm thấy tệp hoặc thư mục")
    try:
        with path.open("rb") as handle:
            sha = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise ReadError(str(path), f"không đọc được tệp: {exc.strerror or exc}") from exc
    with transaction(url) as session:
        existing = archive_repo.find_by_sha(session, sha)
    if existing is not None:
        return "skipped", existing
    # Read and extract outside any transaction: a slow PDF must not hold the database.
    try:
        doc = read_document(path)
        facts = extraction.extract(doc).to_dict()
    except ReadError:
        raise
    except Exception as exc:  # a reader or extractor bug must not stop the batch; the file is named with the reason
        raise ReadError(str(path), f"lỗi xử lý tệp: {type(exc).__name__}: {exc}") from exc
    record = _record(path, sha, doc, facts)
    folded = folded_fields(_title(facts, record["text"]), record["text"], facts.get("issuer"))
    with transaction(url) as session:
        existing = archive_repo.find_by_sha(session, sha)
        if existing is not None:
            return "skipped", existing
        for old in archive_repo.find_by_path(session, record["path"]):
            archive_repo.delete_document(session, old)
        cited, quantities = facts.get("cited") or [], facts.get("quantities") or []
        doc_id = archive_repo.add_document(session, record, cited, quantities, folded)
        return "added", doc_id


def ingest_paths(
    paths: list[str], *, url: str | None = None, progress: Callable[[int, int, str], None] | None = None
) -> IngestReport:
    """Archive every file under PATHS, each in its own transaction; a bad file is recorded and the batch goes on."""
    started = time.perf_counter()
    report = IngestReport()
    files = _files(paths)
    for done, path in enumerate(files, start=1):
        try:
            outcome, doc_id = _ingest_one(path, url)
        except ReadError as exc:
            report.failed += 1
            report.failures.append(Failure(exc.path, exc.reason))
        else:
            report.added += outcome == "added"
            report.skipped += outcome == "skipped"
            if doc_id is not None:
                report.document_ids.append(doc_id)
        if progress:
            progress(done, len(files), str(path))
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _type_code(code: str | None) -> str | None:
    """The Decree 30 spelling of a type code typed any way ("qd" -> "QĐ", "ctr" -> "CTr")."""
    if not code:
        return None
    code = code.replace("\x00", "\ufffd").strip()  # PostgreSQL refuses NUL in text; no type has U+FFFD either
    known = {fold(c): c for c in (*TYPE_WORDS.values(), "TB", "TIN", "BB", "HĐ", "QyĐ", "TC", "DA", "GGT")}
    return known.get(fold(code), code.upper())


def _query_parts(query: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """Folded terms, exact number keys, number prefixes ("3006/") and type codes named in QUERY."""
    text = nfc(query)
    keys = [k for m in _NUMBER.finditer(text) if (k := archive_repo.number_key(m.group()))]
    rest = fold(_NUMBER.sub(" ", text))
    terms = _TERM.findall(fold(text))
    prefixes = [p for t in _TERM.findall(rest) if t.isdigit() and len(t) >= 2 for p in (f"{t}/", f"{t}-")]
    types = [code for words, code in TYPE_WORDS.items() if re.search(rf"\b{words}\b", rest)]
    return terms, keys, prefixes, types


def _aligned_fold(text: str, folded: str | None) -> str:
    """A folded copy of TEXT with one character per character, so positions map back to TEXT."""
    if folded is not None and len(folded) == len(text):
        return folded
    return "".join((fold(c) or " ")[0] for c in text)


def _term_pattern(terms: list[str]) -> re.Pattern | None:
    """A regex finding any of the folded TERMS as a whole word."""
    if not terms:
        return None
    alternation = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])")


def _snippet(text: str, folded: str, pattern: re.Pattern | None, width: int = 240) -> tuple[str, list[tuple[int, int]]]:
    """A window of TEXT around the first term PATTERN finds in FOLDED, and the term spans inside it."""
    if pattern is None:
        return text[:width].replace("\n", " "), []
    first = pattern.search(folded)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start, first.start())
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    spans = [(m.start() - start, m.end() - start) for m in pattern.finditer(folded, start, end)]
    return text[start:end].replace("\n", " "), spans


def _hit(row: dict, pattern: re.Pattern | None, score: float, by_number: bool) -> SearchHit:
    text = row["text"] or ""
    snippet, spans = _snippet(text, _aligned_fold(text, row.get("folded_text")), pattern)
    return SearchHit(
        id=row["id"], doc_type=row["doc_type"], number=row["number"], title=_title(row, text), issuer=row["issuer"],
        date=row["date"], snippet=snippet, highlights=spans, score=score, by_number=by_number,
    )  # fmt: skip


def search(
    query: str,
    *,
    type: str | None = None,
    year: int | None = None,
    issuer: str | None = None,
    limit: int = 20,
    offset: int = 0,
    url: str | None = None,
) -> SearchResults:
    """Documents matching QUERY (diacritics, đ and tone placement ignored; numbers matched), best first."""
    terms, keys, prefixes, types = _query_parts(query)
    filters = {"doc_type": _type_code(type), "year": year, "issuer": fold(nfc(issuer)) if issuer else None}
    with transaction(url) as session:
        numbered = search_sql.ids_by_number(session, keys, prefixes, types=types, **filters)
        ranked = [(i, 0.0, True) for i in numbered]
        need = offset + limit - len(ranked)
        if need > 0:
            found = search_sql.search_ids(session, terms, limit=need + len(ranked), **filters)
            seen = set(numbered)
            ranked += [(i, s, False) for i, s in found if i not in seen]
        page = ranked[offset : offset + limit]
        ids = [i for i, _, _ in page]
        rows = search_sql.hit_rows(session, ids)
    pattern = _term_pattern(terms)
    hits = [_hit(rows[i], pattern, s, n) for i, s, n in page if i in rows]
    return SearchResults(query=query, terms=terms, hits=hits, limit=limit, offset=offset)


def _cited_by(session, doc_id: int) -> list[dict]:
    cites = archive_repo.cited_by(session, doc_id)
    rows = archive_repo.summaries(session, sorted({c["document_id"] for c in cites}))
    return [
        {"document_id": c["document_id"], "number": rows[c["document_id"]]["number"],
         "title": _title(rows[c["document_id"]], rows[c["document_id"]]["text"] or ""), "cited_as": c["text"]}
        for c in cites
    ]  # fmt: skip


def show_document(doc_id: int, *, url: str | None = None) -> dict:
    """One archived document: its fields, facts, quantities, what it cites (with links) and what cites it."""
    with transaction(url) as session:
        doc = archive_repo.get_document(session, doc_id)
        if doc is None:
            raise DocumentNotFound(doc_id)
        doc["title"] = _title(doc, doc["text"])
        doc["quantities"] = archive_repo.quantities_of(session, doc_id)
        doc["cites"] = archive_repo.citations_of(session, doc_id)
        doc["cited_by"] = _cited_by(session, doc_id)
    return doc


def _node(row: dict) -> dict:
    return {"id": row["id"], "doc_type": row["doc_type"], "number": row["number"], "date": row["date"],
            "title": _title(row, row["text"] or ""), "children": []}  # fmt: skip


def _grow(session, node: dict, depth: int, direction: str, path: frozenset[int]) -> None:
    """Fill NODE's children up to DEPTH levels: "up" = what it cites, "down" = what cites it."""
    if depth <= 0:
        return
    if direction == "up":
        cites = archive_repo.citations_of(session, node["id"])
        links = [(c["target_id"], c) for c in cites]
    else:
        links = [(c["document_id"], c) for c in archive_repo.cited_by(session, node["id"])]
    rows = archive_repo.summaries(session, sorted({i for i, _ in links if i is not None}))
    seen: set[int | None] = set()
    for target, cite in links:
        if target is not None and target in seen:
            continue
        seen.add(target)
        if target is None:
            node["children"].append({"id": None, "doc_type": cite["doc_type"], "number": cite["number"],
                                     "date": cite["date"], "title": cite["text"], "children": []})  # fmt: skip
            continue
        child = _node(rows[target])
        node["children"].append(child)
        if target in path:
            child["cycle"] = True
        else:
            _grow(session, child, depth - 1, direction, path | {target})


def citation_tree(doc_id: int, *, depth: int = 3, url: str | None = None) -> dict:
    """The document, the directives it implements (up, recursively) and the documents answering it (down)."""
    with transaction(url) as session:
        rows = archive_repo.summaries(session, [doc_id])
        if doc_id not in rows:
            raise DocumentNotFound(doc_id)
        root = _node(rows[doc_id])
        up, down = _node(rows[doc_id]), _node(rows[doc_id])
        _grow(session, up, depth, "up", frozenset({doc_id}))
        _grow(session, down, depth, "down", frozenset({doc_id}))
    root.pop("children")
    return {**root, "up": up["children"], "down": down["children"]}


def build_sample_archive(dest_dir: Path) -> list[Path]:
    """Write the sample archive (TXT, DOCX, a TCVN3 TXT and, when reportlab is present, a PDF) into DEST_DIR."""
    from tonghop.demo.build_archive import build

    return build(Path(dest_dir))
