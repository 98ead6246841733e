"""REST API over each store (the `store` fixture: sample corpus) and over a small hand-made store."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore

from tests.graph_helpers import guizhou_plan, national_outline, record, zunyi_plan

OUTLINE = "知识产权强国建设纲要"
ZUNYI = "遵义市国家知识产权强市建设试点城市工作方案"


@pytest.fixture
def client(store) -> TestClient:
    return TestClient(create_app(store=store))


@pytest.fixture
def small(tmp_path: Path) -> TestClient:
    st = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    st.ingest(record("a.txt", zunyi_plan(), guizhou_plan(), national_outline()))
    return TestClient(create_app(store=st))


# -- the sample corpus, on every store -----------------------------------------------------


def test_health(client: TestClient, store) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["store"] == store.url
    assert body["documents"] == store.stats().nodes["Document"] > 0


def test_implementations_of_the_outline_include_zunyi(client: TestClient) -> None:
    response = client.get("/lineage/implementations", params={"document": OUTLINE})
    assert response.status_code == 200
    body = response.json()
    assert body["root"]["title"].startswith(OUTLINE)
    entry = next(e for e in body["entries"] if e["document"]["title"] == ZUNYI)
    assert entry["depth"] == 1 and entry["path"][0]["id"] == body["root"]["id"]
    assert entry["relations"] == ["ensures_implementation_of"]


def test_ancestors_of_zunyi_include_the_outline(client: TestClient) -> None:
    body = client.get("/lineage/ancestors", params={"document": ZUNYI}).json()
    assert any(e["document"]["title"].startswith(OUTLINE) for e in body["entries"])


def test_same_indicator_across_jurisdictions(client: TestClient) -> None:
    response = client.get("/targets", params={"indicator": "每万人口高价值发明专利拥有量"})
    assert response.status_code == 200
    found = {(t["document"]["jurisdiction"], t["value"], t["unit"]) for t in response.json()}
    assert {("中国", 12, "件"), ("江苏省", 17, "件"), ("保定市", 2.21, "件")} <= found
    levels = [t["document"]["level"] for t in response.json()]
    assert levels[0] == "national"
    baoding = next(t for t in response.json() if t["document"]["jurisdiction"] == "保定市")
    assert [a["name"] for a in baoding["lead"]] == ["保定市市场监督管理局"]


def test_document_detail_with_spans(client: TestClient) -> None:
    response = client.get(f"/documents/{ZUNYI}")
    assert response.status_code == 200
    body = response.json()
    assert body["issuers"][0]["name"] == "遵义市人民政府"
    assert body["tasks"] and all(t["span"]["source"].startswith("001_") for t in body["tasks"])
    assert any(c["document"]["title"].startswith(OUTLINE) for c in body["cites"])
    assert body["span"]["source"].startswith("001_")
    by_id = client.get(f"/documents/{body['id']}").json()
    assert by_id == body


def test_tasks_by_lead_agency_name(client: TestClient) -> None:
    tasks = client.get("/tasks", params={"lead": "遵义市市场监督管理局"}).json()
    assert tasks and all(any(a["name"] == "遵义市市场监督管理局" for a in t["lead"]) for t in tasks)
    agencies = client.get("/agencies", params={"q": "遵义市市场监督"}).json()
    agency = agencies[0]
    mine = client.get(f"/agencies/{agency['id']}/tasks", params={"role": "lead"}).json()
    assert len(mine) == agency["lead_tasks"] == len(tasks)


def test_documents_filters(client: TestClient) -> None:
    municipal = client.get("/documents", params={"level": "municipal"}).json()
    assert municipal and all(d["level"] == "municipal" for d in municipal)
    in_jiangsu = client.get("/documents", params={"jurisdiction": "江苏省", "limit": 1000}).json()
    assert {"江苏省", "苏州市"} <= {d["jurisdiction"] for d in in_jiangsu}


def test_unknown_title_is_404_with_closest_titles(client: TestClient) -> None:
    response = client.get("/lineage/implementations", params={"document": "知识产权强国建没纲领"})
    assert response.status_code == 404
    titles = [c["title"] for c in response.json()["candidates"]]
    assert any(t.startswith(OUTLINE) for t in titles)


def test_ambiguous_title_is_409_with_candidates(client: TestClient) -> None:
    response = client.get("/documents/知识产权")
    assert response.status_code == 409
    assert len(response.json()["candidates"]) >= 2


def test_neighborhood(client: TestClient) -> None:
    doc = client.get(f"/documents/{ZUNYI}").json()
    body = client.get("/graph/neighborhood", params={"node": doc["id"], "depth": 1, "limit": 50}).json()
    assert body["center"] == doc["id"] and len(body["nodes"]) <= 50
    assert {"Document", "Agency"} <= {n["type"] for n in body["nodes"]}


# -- validation and errors (no corpus needed) ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/documents", {"limit": 1001}),
        ("/documents", {"limit": 0}),
        ("/documents", {"offset": -1}),
        ("/documents", {"level": "galactic"}),
        ("/lineage/implementations", {"document": OUTLINE, "depth": 0}),
        ("/lineage/implementations", {"document": OUTLINE, "depth": 11}),
        ("/lineage/ancestors", {}),
        ("/graph/neighborhood", {"node": "x", "depth": 4}),
        ("/graph/neighborhood", {"node": "x", "limit": 5000}),
        ("/agencies/x/tasks", {"role": "boss"}),
        ("/tasks", {"limit": 100000}),
    ],
)
def test_bad_parameters_are_422(small: TestClient, path: str, params: dict) -> None:
    assert small.get(path, params=params).status_code == 422


def test_errors_on_the_small_store(small: TestClient) -> None:
    assert small.get("/documents/nothing-like-this").status_code == 404
    assert small.get("/graph/neighborhood", params={"node": "nope"}).status_code == 404
    assert small.get("/agencies/nope/tasks").status_code == 404
    ambiguous = small.get("/tasks", params={"document": "知识产权"})
    assert ambiguous.status_code == 409 and ambiguous.json()["candidates"]


def test_small_store_answers(small: TestClient) -> None:
    body = small.get(
        "/lineage/implementations", params={"document": "知识产权强国建设纲要(2021-2035年)"}
    ).json()
    assert {e["document"]["title"] for e in body["entries"]} == {
        "遵义市知识产权试点工作方案",
        "贵州省知识产权“十四五”规划",
    }
    targets = small.get("/targets", params={"indicator": "万人高价值发明专利拥有量"}).json()
    assert [t["value"] for t in targets] == [12, 6, 3.5]  # national, provincial, municipal
    tasks = small.get(
        "/tasks", params={"document": "遵义市知识产权试点工作方案", "responsible": "财政局"}
    ).json()
    assert [t["text"] for t in tasks] == ["完善指标体系"]


def test_openapi_and_page(small: TestClient) -> None:
    schema = small.get("/openapi.json").json()
    assert {"/health", "/documents", "/lineage/implementations", "/targets", "/graph/neighborhood"} <= set(
        schema["paths"]
    )
    assert small.get("/docs").status_code == 200
    page = small.get("/")
    assert page.status_code == 200
    if Path("api/static/index.html").exists():
        assert "text/html" in page.headers["content-type"]
        assert small.get("/static/app.js").status_code == 200


def test_app_opens_a_store_from_a_url(tmp_path: Path) -> None:
    app = create_app(f"embedded:{tmp_path / 'kg'}")
    with TestClient(app) as c:
        assert c.get("/health").json()["documents"] == 0
