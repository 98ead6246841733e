"""Pure helpers both stores use to shape their answers the same way: span views, sort keys,
paging and title matching. Keeping them in one place is what makes the two stores' answers
identical."""

from __future__ import annotations

from typing import Any, TypeVar

from policykg.graph import views as v
from policykg.graph.jurisdictions import table
from policykg.graph.normalize import doc_number_key, text_key
from policykg.graph.ontology import Key

T = TypeVar("T")
LEVEL_RANK = {"national": 0, "provincial": 1, "municipal": 2, "county": 3}
NO_SPAN = 1 << 62  # sorts facts without a span after those with one


def span_view(props: dict[str, Any]) -> v.SpanView | None:
    if props.get(Key.SOURCE) is None or props.get(Key.SPAN_START) is None:
        return None
    return v.SpanView(source=props[Key.SOURCE], start=props[Key.SPAN_START], end=props[Key.SPAN_END])


def fact_sort(view: v.TaskView | v.TargetView) -> tuple[Any, ...]:
    """Tasks and targets: by document title, then by where they stand in the source."""
    span = view.span
    return fact_key(view.document.title, view.document.id, span.start if span else None, view.id)


def fact_key(title: str | None, doc_id: str, start: int | None, fact_id: str) -> tuple[Any, ...]:
    """fact_sort from the parts, for a store that sorts before it builds the views."""
    return (title is None, title or "", doc_id, NO_SPAN if start is None else start, fact_id)


def target_sort(view: v.TargetView) -> tuple[Any, ...]:
    """Targets across jurisdictions: national first, then provinces, cities, counties."""
    doc = view.document
    return (LEVEL_RANK.get(doc.level or "", len(LEVEL_RANK)), doc.jurisdiction or "", *fact_sort(view))


class Page(list[T]):
    """One page of a longer answer: a list, plus `total`, how many items matched before paging
    (what the API's X-Total-Count and Link headers are computed from)."""

    total: int

    def __init__(self, items: list[T], total: int):
        super().__init__(items)
        self.total = total


def page(items: list[T], limit: int, offset: int) -> Page[T]:
    return Page(items[offset : offset + limit], total=len(items))


def document_matches(props: dict[str, Any], needle: str, number: str | None) -> bool:
    """Does a document's title, alias or 文号 match a search (needle: a normalized text key)?"""
    if number and props.get(Key.DOC_NUMBER_KEY) == number:
        return True
    titles = [props.get(Key.TITLE) or "", *props.get(Key.ALIASES, [])]
    return any(needle in text_key(t) for t in titles) or needle in (props.get(Key.TITLE_KEY) or "")


SearchTerms = tuple[set[str] | None, str | None, str | None]


def document_search(q: str | None, jurisdiction: str | None) -> SearchTerms:
    """What a document search compares: the jurisdictions it covers (an area and everything
    below it), the normalized needle and the needle read as a 文号."""
    areas: set[str] | None = None
    if jurisdiction:
        area = table().get(jurisdiction)
        areas = table().descendants(area.name) if area else {jurisdiction.strip()}
    needle = text_key(q) if q and q.strip() else None
    return areas, needle, doc_number_key(q) if needle else None


# -- clause-level lineage (both stores) --------------------------------------------------------


def clause_view(props: dict[str, Any], parent: str | None) -> v.ClauseView:
    return v.ClauseView(
        id=props[Key.ID],
        path=props[Key.PATH],
        number=props.get(Key.NUMBER) or "",
        heading=props.get(Key.HEADING) or "",
        level=props.get(Key.DEPTH) or 1,
        parent=parent,
        span=span_view(props),
    )


def clause_sort(view: v.ClauseView) -> tuple[Any, ...]:
    """Clauses in document order: span start (none last), then path and id."""
    return (NO_SPAN if view.span is None else view.span.start, view.path, view.id)


def link_view(clause: str, task: v.TaskView, props: dict[str, Any]) -> v.ClauseLinkView:
    return v.ClauseLinkView(
        clause=clause,
        task=task,
        score=props.get(Key.SCORE) or 0.0,
        evidence=props.get(Key.EVIDENCE) or "similarity",
        quote=props.get(Key.QUOTE) or "",
    )


def link_sort(view: v.ClauseLinkView) -> tuple[Any, ...]:
    """Links: by clause id, best score first, then as tasks sort."""
    return (view.clause, -view.score, *fact_sort(view.task))


def start_of(props: dict[str, Any]) -> str | None:
    """The day a document takes effect: its effective_from, else the day it was issued."""
    return props.get(Key.EFFECTIVE_FROM) or props.get(Key.ISSUED_ON)


def status_view(props: dict[str, Any], repealers: list[dict[str, Any]]) -> v.DocumentStatus:
    days = [start_of(p) for p in repealers]
    return v.DocumentStatus(
        issued_on=props.get(Key.ISSUED_ON),
        effective_from=props.get(Key.EFFECTIVE_FROM),
        valid_until=props.get(Key.VALID_UNTIL),
        repealed_on=sorted(days, key=lambda d: (d is None, d or "")),
    )
