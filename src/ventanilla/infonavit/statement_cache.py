"""A credit's statement served from the shared cache (issue 5, "Speed": ≥ 500 statements a second).

The statement's answer (the API's JSON, the page's rendered fragments) is computed once per key and kept in the
cache (Redis in production). The key holds everything the answer is made of: the credit's row and borrower's
name (read anyway for the access check), the id of the credit's last ledger entry (one indexed probe), the
period, the day (the summary is as of today) and the language. The ledger is append-only and every change to
it is a new entry with a new id, so a payment or any other entry changes the key and the next request computes
the statement afresh: no write path has to remember to invalidate anything. An id, not the sequence: an entry
whose transaction rolled back may see its sequence reused, never its id.

Callers check access first (selectors.get_visible_credit) and only then ask for the key: the key names a
credit, not a person, so the cache itself grants nothing."""

import hashlib
from calendar import monthrange
from datetime import date

from django.core.cache import cache
from django.db import connection

from ventanilla.infonavit.models import Credit
from ventanilla.infonavit.selectors import LAST_ENTRY_ID, default_statement_period

# Bump when what is cached changes shape (a template or the JSON), so a deploy never serves the old form.
FORMAT = 1
MISSING = object()
SECONDS = 60 * 60  # bounds the cache's memory; the key already changes with every entry and every day


# One probe of the (credit, sequence) unique index. Plain SQL: the ORM's compiling of it cost more than
# the query itself on every cached request (BENCHMARKS.md, "HTTP load").
LAST_ENTRY = "SELECT id FROM infonavit_ledgerentry WHERE credit_id = %s ORDER BY sequence DESC LIMIT 1"


def statement_key(credit: Credit, start, end, on, language: str) -> str:
    """The key of this credit's statement for the period, day and language. The last entry's id comes with the
    credit when selectors.get_visible_credit read it in the same query (its row and that id then describe one
    moment), and is probed here otherwise. A caller that posts an entry and then wants the key must read the
    credit again (refresh_from_db keeps the old id)."""
    last_entry = credit.__dict__.get(LAST_ENTRY_ID, MISSING)
    if last_entry is MISSING:
        with connection.cursor() as cursor:
            cursor.execute(LAST_ENTRY, [credit.pk])
            row = cursor.fetchone()
        last_entry = row[0] if row else None
    row = [getattr(credit, field.attname) for field in Credit._meta.concrete_fields]
    text = repr((FORMAT, row, credit.borrower.full_name, last_entry, start, end, on, language))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cacheable_period(start: date, end: date, today: date) -> bool:
    """Only the periods people ask for again are cached: the default one, single calendar months and single
    calendar years (from the 1st to the month's or the year's last day, or to today in the current one). Any
    borrower may ask for any start and end: cached, arbitrary periods (even ranges of whole months: about
    234,000 since 1970) would let one script fill the cache, whose LRU also holds the sessions and the log-in
    throttles; a credit has at most one cacheable period a month and one a year."""
    if (start, end) == default_statement_period(today):
        return True
    if start.day != 1 or end > today or start.year != end.year:
        return False
    if start.month == end.month:
        return end in (end.replace(day=monthrange(end.year, end.month)[1]), today)
    return start.month == 1 and end in (date(end.year, 12, 31), today)


def cached(kind: str, key: str, build, cacheable: bool = True):
    """The answer of this `kind` ("api", "page") under `key`, built and stored when missing (only built when the
    period is not `cacheable`)."""
    if not cacheable:
        return build()
    name = f"infonavit:statement:{kind}:{key}"
    answer = cache.get(name)
    if answer is None:
        answer = build()
        cache.set(name, answer, SECONDS)
    return answer
