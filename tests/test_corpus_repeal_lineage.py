"""Status over time on real corpus texts (issue 13): a repealed document that sits in a lineage
answer drops out from the day its repealing document takes effect.

corpus/dev holds the Archives Law (2020), its implementing measures (1999, 根据《中华人民共和国
档案法》) and the implementing regulation (根据 the same law; 本条例自2024年3月1日起施行。
《中华人民共和国档案法实施办法》同时废止). Both stores, over the store protocol and over REST.
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.coverage import coverage, filter_lineage
from policykg.graph.neo4j_store import Neo4jStore
from policykg.ingest.extract import extract_path

from tests.conftest import ROOT

DEV = ROOT / "corpus" / "dev"
FILES = (
    "national_archives_law_2020.md",
    "national_archives_implementing_measures_1999.md",
    "national_archives_implementing_regulation_2024.md",
)
LAW = "中华人民共和国档案法"
MEASURES = "中华人民共和国档案法实施办法"  # repealed
REGULATION = "中华人民共和国档案法实施条例"  # repeals it, in force from 2024-03-01
BEFORE, ON = date(2024, 2, 29), date(2024, 3, 1)


@pytest.fixture(scope="module")
def archive_records() -> list:
    return [extract_path(DEV / name) for name in FILES]


@pytest.fixture
def loaded(empty_store, archive_records):
    for rec in archive_records:
        empty_store.ingest(rec)
    yield empty_store
    if isinstance(empty_store, Neo4jStore):
        empty_store.wipe()  # the shared `store` fixture re-ingests the sample into an empty database


def implementers(store, day: date | None) -> list[str]:
    root = store.resolve_document(LAW).id
    found = filter_lineage(store, store.implementations(root), day)
    return sorted(e.document.title for e in found.entries)


def test_the_texts_state_the_lineage_and_the_repeal(archive_records) -> None:
    law, measures, regulation = (rec.documents[0] for rec in archive_records)
    assert (law.title, measures.title, regulation.title) == (LAW, MEASURES, REGULATION)
    for doc in (measures, regulation):
        assert any(c.title == LAW and c.relation == "based_on" for c in doc.cites)
    assert [r.title for r in regulation.repeals] == [MEASURES]
    assert regulation.effective_from == "2024-03-01"


def test_as_of_drops_the_repealed_measures_from_the_day_of_the_repeal(loaded) -> None:
    measures = loaded.resolve_document(MEASURES).id
    assert loaded.statuses([measures])[measures].repealed_on == ["2024-03-01"]
    assert implementers(loaded, None) == [MEASURES, REGULATION]
    # the day before: the measures still in force, the regulation not yet
    assert implementers(loaded, BEFORE) == [MEASURES]
    assert implementers(loaded, ON) == [REGULATION]
    # the coverage's column for 中国 holds the document in force that day
    root = loaded.resolve_document(LAW).id
    columns = lambda day: [  # noqa: E731
        (c.jurisdiction, [d.title for d in c.documents]) for c in coverage(loaded, root, day).jurisdictions
    ]
    assert columns(None) == [("中国", [MEASURES, REGULATION])]
    assert columns(BEFORE) == [("中国", [MEASURES])]
    assert columns(ON) == [("中国", [REGULATION])]
    # and the measures' own ancestry is answered only while they are in force
    ancestors = lambda day: [  # noqa: E731
        e.document.title for e in filter_lineage(loaded, loaded.ancestors(measures), day).entries
    ]
    assert LAW in ancestors(BEFORE)


def test_rest_as_of_on_the_corpus(loaded) -> None:
    api = TestClient(create_app(store=loaded))

    def titles(as_of: str) -> list[str]:
        body = api.get("/lineage/implementations", params={"document": LAW, "as_of": as_of}).json()
        return sorted(e["document"]["title"] for e in body["entries"])

    assert titles("2024-02-29") == [MEASURES]
    assert titles("2024-03-01") == [REGULATION]
    detail = api.get(f"/documents/{loaded.resolve_document(MEASURES).id}").json()
    assert [r["document"]["title"] for r in detail["repealed_by"]] == [REGULATION]
