"""Sending the matrix's requests and reading what came back: the text of a page, a CSV, an
XLSX or a PDF (and the headers, where a file name could carry a name), and a checksum of
every table to show that a walk changed no row."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from django.db import connection, transaction
from django.test import Client
from pypdf import PdfReader

# Tables a request may write to without changing a record: the audit log (every
# consultation is logged), sessions and sign-in attempts.
UNCHECKED_TABLES = {"iom_auditevent", "django_session", "sqlite_sequence"}
UNCHECKED_PREFIXES = ("axes_",)


@dataclass
class Answer:
    """What one request answered: status, where it redirects, and all of its text."""

    status: int
    location: str
    content_type: str
    text: str

    def __str__(self) -> str:
        where = f" -> {self.location}" if self.location else ""
        return f"{self.status}{where} ({self.content_type or 'no content type'})"


def client_for(user=None, token: str | None = None) -> Client:
    headers = {"Authorization": f"Token {token}"} if token else {}
    client = Client(raise_request_exception=False, headers=headers)
    if user is not None and token is None:
        client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data=None, *, api: bool, accept: str = ""):
    """One request, in a savepoint that is rolled back only if the request failed with a
    server error (so that a broken view cannot leave the walk's transaction unusable)."""
    extra = {"HTTP_ACCEPT": accept} if accept else {}
    with transaction.atomic():
        if method == "get":
            response = client.get(url, data or {}, **extra)
        elif api:
            response = getattr(client, method)(
                url, json.dumps(data or {}), content_type="application/json", **extra
            )
        elif method == "post":
            response = client.post(url, data or {}, **extra)
        else:
            response = getattr(client, method)(url, **extra)
        answer = read(response)
        if answer.status >= 500:
            transaction.set_rollback(True)
    return answer


def read(response) -> Answer:
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if content_type.startswith("application/pdf"):
        text = pdf_text(body)
    elif body[:2] == b"PK":
        text = zip_text(body)
    else:
        text = body.decode("utf-8", errors="replace")
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return Answer(
        response.status_code, response.get("Location", ""), content_type, f"{headers}\n\n{text}"
    )


@functools.cache
def pdf_text(body: bytes) -> str:
    """(Cached: every persona allowed downloads the same few files.)"""
    reader = PdfReader(io.BytesIO(body))
    return " ".join(page.extract_text() for page in reader.pages)


@functools.cache
def zip_text(body: bytes) -> str:
    """An XLSX is a zip of XML: its strings are in there as text."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", errors="replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def leaks(answer: Answer, secrets: list[str]) -> list[str]:
    """The secrets in the answer (one pass over the text, however many secrets)."""
    secrets = [secret for secret in secrets if secret]
    if not secrets:
        return []
    pattern = _pattern(tuple(sorted(set(secrets), key=len, reverse=True)))
    return sorted(set(pattern.findall(answer.text)))


@functools.cache
def _pattern(secrets: tuple) -> re.Pattern:
    return re.compile("|".join(re.escape(secret) for secret in secrets))


# --- No row changed ----------------------------------------------------------------------


def _tables() -> list[str]:
    return sorted(
        name
        for name in connection.introspection.table_names()
        if name not in UNCHECKED_TABLES and not name.startswith(UNCHECKED_PREFIXES)
    )


def checksums() -> dict[str, str]:
    """A digest of every row of every table (but the audit log, sessions and sign-in
    attempts): equal before and after means no row was written, changed or deleted."""
    tables = _tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = " UNION ALL ".join(
                f"SELECT '{name}', count(*)::text || ':' || "
                f"coalesce(md5(string_agg(t::text, '' ORDER BY t::text)), '') "
                f"FROM {quote(name)} t"
                for name in tables
            )
            cursor.execute(sql)
            return dict(cursor.fetchall())
        digests = {}
        for name in tables:
            cursor.execute(f"SELECT * FROM {quote(name)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[name] = f"{len(rows)}:" + hashlib.md5("\n".join(rows).encode()).hexdigest()
        return digests


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


# --- Comparing two answers ---------------------------------------------------------------

_VOLATILE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(r"csrftoken=[^;\s]+"),
    re.compile(r"^(Date|Expires|Last-Modified|Set-Cookie|Content-Length): .*$", re.MULTILINE),
    re.compile(r"cohort-\d{8}-\d{4}\.csv"),
]


def normalised(answer: Answer, typed: dict[str, str]) -> str:
    """The answer with what the user typed replaced by placeholders and the per-request
    tokens removed: two answers that differ only in that reveal the same thing."""
    text = f"{answer.location}\n{answer.text}"
    for placeholder, value in typed.items():
        # As typed, and URL-encoded once or twice (a sign-in redirect's ``next``).
        once = quote(value, safe="")
        for form in (quote(once, safe=""), once, quote_plus(value), value):
            text = text.replace(form, f"<{placeholder}>")
    for pattern in _VOLATILE:
        text = pattern.sub("", text)
    return f"{answer.status}\n{text}"
