"""EmbeddedStore: persistence, atomic saves, idempotent re-ingest, replacement, lineage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from policykg.graph import embedded
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.store import Ambiguous, NotFound, Store, open_store

from policykg.records import Citation, Document, Task
from tests.graph_helpers import gold_records, guizhou_plan, national_outline, record, zunyi_plan


@pytest.fixture
def st(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(f"embedded:{tmp_path / 'kg'}")


def _counts(st: EmbeddedStore) -> tuple[int, int]:
    stats = st.stats()
    return sum(stats.nodes.values()), sum(stats.edges.values())


def test_implements_the_protocol_and_opens_by_url(tmp_path: Path) -> None:
    st = open_store(f"embedded:{tmp_path / 'new' / 'folder'}")
    assert isinstance(st, Store) and isinstance(st, EmbeddedStore)
    assert (tmp_path / "new" / "folder").is_dir()


def test_reingest_twice_leaves_counts_unchanged(st: EmbeddedStore) -> None:
    records = gold_records()
    reports = [st.ingest(r) for r in records]
    assert {r.status for r in reports} == {"ingested"}
    before, stats = _counts(st), st.stats()
    for _ in range(2):
        assert {st.ingest(r).status for r in records} == {"unchanged"}
    assert _counts(st) == before and st.stats() == stats


def test_same_content_without_hash_is_unchanged(st: EmbeddedStore) -> None:
    assert st.ingest(record("a.txt", zunyi_plan())).status == "ingested"
    assert st.ingest(record("a.txt", zunyi_plan())).status == "unchanged"


def test_reload_on_open_gives_the_same_graph(st: EmbeddedStore) -> None:
    for rec in gold_records():
        st.ingest(rec)
    again = EmbeddedStore(st.url)
    assert again.stats() == st.stats()
    assert again.find_documents(limit=1000) == st.find_documents(limit=1000)
    assert again.targets() == st.targets()


def test_changed_record_replaces_its_facts_only(st: EmbeddedStore) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan(), content_hash="v1"))
    st.ingest(record("guizhou.txt", guizhou_plan(), content_hash="g1"))
    other_targets = [t for t in st.targets() if t.document.title.startswith("贵州")]
    changed = zunyi_plan(tasks=[Task("新的任务", lead=["遵义市财政局"], span=(1, 5))], targets=[])
    assert st.ingest(record("zunyi.txt", changed, content_hash="v2")).status == "replaced"
    assert [t.text for t in st.tasks(document="遵义市知识产权试点工作方案")] == ["新的任务"]
    assert st.tasks(lead="遵义市市场监督管理局") == []
    assert [t for t in st.targets() if t.document.title.startswith("贵州")] == other_targets
    assert not st.agencies(q="遵义市科技局")  # nothing refers to it any more
    again = EmbeddedStore(st.url)
    assert again.stats() == st.stats()


def test_stubs_are_shared_and_live_while_cited(st: EmbeddedStore) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan(), content_hash="1"))
    st.ingest(record("guizhou.txt", guizhou_plan(cites=[Citation("专利法")]), content_hash="1"))
    law = st.resolve_document("中华人民共和国专利法")
    assert law.stub and len(st.document(law.id).cited_by) == 2
    st.ingest(record("zunyi.txt", zunyi_plan(cites=[]), content_hash="2"))
    assert len(st.document(law.id).cited_by) == 1
    st.ingest(record("guizhou.txt", guizhou_plan(cites=[]), content_hash="2"))
    with pytest.raises(NotFound):
        st.resolve_document("中华人民共和国专利法")


def test_stub_becomes_a_document_and_back(st: EmbeddedStore) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan()))
    assert st.resolve_document("知识产权强国建设纲要").stub
    st.ingest(record("outline.txt", national_outline(), content_hash="1"))
    outline = st.resolve_document("知识产权强国建设纲要")
    assert not outline.stub and outline.level == "national"
    assert st.document(outline.id).targets[0].value == 12
    st.ingest(record("outline.txt", content_hash="2"))  # the source now holds no document
    assert st.resolve_document("知识产权强国建设纲要").stub


def test_save_is_atomic(st: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan(), content_hash="v1"))
    files = sorted(st.records_dir.iterdir())
    saved = [f.read_bytes() for f in files]
    before = st.stats()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(embedded.os, "replace", crash)
    with pytest.raises(OSError):
        st.ingest(record("zunyi.txt", zunyi_plan(tasks=[]), content_hash="v2"))
    monkeypatch.undo()
    assert sorted(st.records_dir.iterdir()) == files  # no temp file left behind
    assert [f.read_bytes() for f in files] == saved
    assert st.stats() == before  # memory untouched too
    assert EmbeddedStore(st.url).stats() == before


def test_save_fsyncs_before_replacing(st: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(embedded.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(embedded.os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    st.ingest(record("zunyi.txt", zunyi_plan()))
    assert calls.index("fsync") < calls.index("replace")


def test_leftover_temp_files_are_ignored(st: EmbeddedStore) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan()))
    (st.records_dir / ".tmp-crashed.json").write_text("{partial", encoding="utf-8")
    assert EmbeddedStore(st.url).stats() == st.stats()


def test_wipe(st: EmbeddedStore) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan()))
    st.wipe()
    assert st.find_documents() == [] and sum(st.stats().nodes.values()) == 0
    assert sum(EmbeddedStore(st.url).stats().nodes.values()) == 0


def test_lineage_is_transitive_with_paths(st: EmbeddedStore) -> None:
    county = Document(
        title="湄潭县知识产权工作要点",
        jurisdiction="遵义市",
        cites=[Citation("遵义市知识产权试点工作方案", relation="applies", span=(1, 9))],
    )
    st.ingest(record("a.txt", zunyi_plan(), guizhou_plan(), national_outline(), county))
    outline = st.resolve_document("知识产权强国建设纲要")
    result = st.implementations(outline.id)
    by_title = {e.document.title: e for e in result.entries}
    assert by_title["遵义市知识产权试点工作方案"].depth == 1
    assert by_title["贵州省知识产权“十四五”规划"].depth == 1
    deep = by_title["湄潭县知识产权工作要点"]
    assert deep.depth == 2
    assert deep.path[0].title == outline.title
    assert deep.relations == ["ensures_implementation_of", "applies"]
    assert [e.depth for e in result.entries] == sorted(e.depth for e in result.entries)
    assert len(st.implementations(outline.id, depth=1).entries) == 2
    up = st.ancestors(st.resolve_document("湄潭县知识产权工作要点").id)
    assert [e.document.title for e in up.entries][:1] == ["遵义市知识产权试点工作方案"]
    assert outline.id in {e.document.id for e in up.entries}
    # plain CITES is not lineage
    law = st.resolve_document("专利法")
    assert st.implementations(law.id).entries == []


def test_resolve_errors(st: EmbeddedStore) -> None:
    st.ingest(record("a.txt", zunyi_plan(), guizhou_plan()))
    with pytest.raises(NotFound) as missing:
        st.resolve_document("遵义市知识产权试点方案XYZ")
    assert missing.value.candidates[0].title == "遵义市知识产权试点工作方案"
    with pytest.raises(Ambiguous) as ambiguous:
        st.resolve_document("知识产权")
    assert len(ambiguous.value.candidates) >= 2


def test_tasks_by_agency_name_part_and_role(st: EmbeddedStore) -> None:
    st.ingest(record("a.txt", zunyi_plan()))
    assert len(st.tasks(lead="市场监督管理局")) == 2
    assert [t.text for t in st.tasks(responsible="科技局")] == ["完善指标体系"]
    agency = st.agencies(q="市场监督管理局")[0]
    assert (agency.lead_tasks, agency.responsible_tasks) == (2, 0)
    assert len(st.agency_tasks(agency.id, role="lead")) == 2
    assert st.agency_tasks(agency.name, role="responsible") == []
    with pytest.raises(NotFound):
        st.agency_tasks("agency:nope")


def test_lists_are_deterministic(tmp_path: Path) -> None:
    records = gold_records()
    one = EmbeddedStore(f"embedded:{tmp_path / 'one'}")
    two = EmbeddedStore(f"embedded:{tmp_path / 'two'}")
    for rec in records:
        one.ingest(rec)
    for rec in reversed(records):
        two.ingest(rec)
    assert one.find_documents(limit=1000) == two.find_documents(limit=1000)
    assert one.tasks() == two.tasks()
    assert one.targets() == two.targets()
    assert one.agencies(limit=1000) == two.agencies(limit=1000)
    doc = one.resolve_document("保定市“十四五”知识产权保护和运用规划").id
    assert one.document(doc) == two.document(doc)
    assert one.neighborhood(doc) == two.neighborhood(doc)


def test_find_documents_filters(st: EmbeddedStore) -> None:
    st.ingest(record("a.txt", zunyi_plan(), guizhou_plan(), national_outline()))
    in_guizhou = {d.title for d in st.find_documents(jurisdiction="贵州省")}
    assert in_guizhou == {"遵义市知识产权试点工作方案", "贵州省知识产权“十四五”规划"}
    assert [d.title for d in st.find_documents(level="national", q="纲要")] == [
        "知识产权强国建设纲要（2021-2035年）"
    ]
    assert [d.title for d in st.find_documents(q="黔府发(2021)12号")] == ["贵州省知识产权“十四五”规划"]
    page = st.find_documents(limit=2, offset=1)
    assert page == st.find_documents(limit=1000)[1:3]


def test_neighborhood_is_bounded(st: EmbeddedStore) -> None:
    st.ingest(record("a.txt", zunyi_plan()))
    doc = st.resolve_document("遵义市知识产权试点工作方案").id
    hood = st.neighborhood(doc, depth=2, limit=5)
    assert hood.nodes[0].id == doc and len(hood.nodes) == 5
    ids = {n.id for n in hood.nodes}
    assert all(e.source in ids and e.target in ids for e in hood.edges)
    with pytest.raises(NotFound):
        st.neighborhood("nope")


# -- snapshot ---------------------------------------------------------------------------------


def _answers(st: EmbeddedStore) -> tuple:
    return (
        st.stats(),
        st.find_documents(limit=1000),
        st.tasks(limit=1000),
        st.targets(limit=1000),
        list(st.dump()),
    )


def _no_record_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opens from here on must come from the snapshot alone."""
    monkeypatch.setattr(embedded, "_RACY_NS", -(10**18))  # records just written count as settled

    def refuse(path: Path) -> None:
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(embedded, "_read_record", refuse)


def test_close_writes_a_snapshot_that_open_uses(st: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    for rec in gold_records():
        st.ingest(rec)
    expected = _answers(st)
    st.close()
    assert st.snapshot_path.is_file()
    _no_record_reads(monkeypatch)
    assert _answers(EmbeddedStore(st.url)) == expected


def test_open_catches_up_with_records_newer_than_the_snapshot(st: EmbeddedStore, tmp_path: Path) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan(), content_hash="1"))
    st.ingest(record("outline.txt", national_outline(), content_hash="1"))
    st.ingest(record("guizhou.txt", guizhou_plan(), content_hash="1"))
    st.close()
    other = EmbeddedStore(st.url)  # another process, which never closes
    other.ingest(record("zunyi.txt", zunyi_plan(tasks=[]), content_hash="2"))
    other.ingest(record("county.txt", Document(title="湄潭县知识产权工作要点", jurisdiction="遵义市")))
    st._record_path("outline.txt").unlink()  # a record gone behind the store's back
    reference = EmbeddedStore(f"embedded:{tmp_path / 'reference'}")
    reference.ingest(record("zunyi.txt", zunyi_plan(tasks=[]), content_hash="2"))
    reference.ingest(record("county.txt", Document(title="湄潭县知识产权工作要点", jurisdiction="遵义市")))
    reference.ingest(record("guizhou.txt", guizhou_plan(), content_hash="1"))
    assert _answers(EmbeddedStore(st.url)) == _answers(reference)


def test_unusable_snapshots_fall_back_to_the_records(
    st: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rec in gold_records():
        st.ingest(rec)
    expected = _answers(st)
    st.close()
    data = st.snapshot_path.read_bytes()
    st.snapshot_path.write_bytes(data[:-20] + bytes(20))  # damaged: the CRC tells
    assert _answers(EmbeddedStore(st.url)) == expected
    st.snapshot_path.write_bytes(data[: len(data) // 2])  # torn
    assert _answers(EmbeddedStore(st.url)) == expected
    st.snapshot_path.write_bytes(data)
    monkeypatch.setattr(embedded, "_model_fingerprint", lambda: "other model code")
    assert _answers(EmbeddedStore(st.url)) == expected


def test_a_planted_snapshot_cannot_run_code(st: EmbeddedStore, tmp_path: Path) -> None:
    import pickle
    import zlib

    class Boom:
        def __reduce__(self) -> tuple:
            return (os.mkdir, (str(tmp_path / "pwned"),))

    st.ingest(record("zunyi.txt", zunyi_plan()))
    expected = _answers(st)
    payload = pickle.dumps((embedded._model_fingerprint(), 0)) + pickle.dumps(Boom())
    header = embedded._HEADER.pack(zlib.crc32(payload), len(payload))
    st.snapshot_path.write_bytes(embedded._MAGIC + header + payload)
    assert _answers(EmbeddedStore(st.url)) == expected
    assert not (tmp_path / "pwned").exists()


def test_wipe_removes_the_snapshot(st: EmbeddedStore) -> None:
    st.ingest(record("zunyi.txt", zunyi_plan()))
    st.close()
    st.wipe()
    assert not st.snapshot_path.exists()
    assert sum(EmbeddedStore(st.url).stats().nodes.values()) == 0
