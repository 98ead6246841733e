"""The API's conventions, on every store: Chinese as UTF-8 text, RFC 9457 problem details for
errors, X-Total-Count and Link headers on every list, stable operation ids, CSV for the tables
analysts keep in Excel."""

from __future__ import annotations

import csv
import io
import re
from typing import cast

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.api.operation_ids import OPERATION_IDS
from policykg.graph.store import Store
from policykg.graph.tables import TARGET_COLUMNS, TASK_COLUMNS

OUTLINE = "知识产权强国建设纲要"
ZUNYI = "遵义市国家知识产权强市建设试点城市工作方案"
ZUNYI_AMSR = "遵义市市场监督管理局"

LISTS = [
    ("/documents", {}),
    ("/tasks", {}),
    ("/targets", {}),
    ("/agencies", {}),
    (f"/documents/{ZUNYI}/tasks", {}),
    (f"/agencies/{ZUNYI_AMSR}/tasks", {}),
    ("/queries", {}),
]


@pytest.fixture
def client(store) -> TestClient:
    return TestClient(create_app(store=store))


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


# -- UTF-8 -----------------------------------------------------------------------------------


def test_chinese_is_utf8_text_not_escapes(client: TestClient) -> None:
    response = client.get("/documents", params={"q": "遵义"})
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert "遵义".encode() in response.content
    assert b"\\u" not in response.content
    problem = client.get("/documents/知识产权")  # the error bodies too
    assert "知识产权".encode() in problem.content and b"\\u" not in problem.content


# -- problem details -------------------------------------------------------------------------


def test_not_found_is_a_problem_with_candidates(client: TestClient) -> None:
    response = client.get("/lineage/implementations", params={"document": "知识产权强国建没纲领"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/not-found" and body["status"] == 404
    assert body["title"] == "Not found" and "知识产权强国建没纲领" in body["detail"]
    assert any(c["title"].startswith(OUTLINE) for c in body["candidates"])
    described = client.get(body["type"]).json()  # the type URI resolves to its description
    assert described["title"] == "Not found" and "candidates" in described["description"]


def test_ambiguous_is_a_409_problem(client: TestClient) -> None:
    body = client.get("/documents/知识产权").json()
    assert (body["status"], body["type"], body["title"]) == (409, "/problems/ambiguous", "Ambiguous name")
    assert len(body["candidates"]) >= 2


def test_bad_parameter_is_a_422_problem_naming_it(client: TestClient) -> None:
    response = client.get("/tasks", params={"limit": 0})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/invalid-parameters" and "limit" in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "limit"] and body["errors"][0]["msg"]


def test_unknown_path_is_about_blank_problem(client: TestClient) -> None:
    response = client.get("/no-such-thing")
    assert response.status_code == 404
    expected = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Not Found"}
    assert response.json() == expected


def test_error_responses_are_documented_as_problems() -> None:
    schema = create_app(store=cast(Store, object())).openapi()
    errors = [
        (path, code, response)
        for path, item in schema["paths"].items()
        for operation in item.values()
        for code, response in operation["responses"].items()
        if code[0] in "45"
    ]
    assert errors and {c for _, c, _ in errors} >= {"404", "409", "422", "503"}
    for path, code, response in errors:
        assert list(response["content"]) == ["application/problem+json"], (path, code)
    problem = schema["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail"} <= set(problem)


# -- paging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "params"), LISTS)
def test_every_list_says_its_total_and_next_page(client: TestClient, path: str, params: dict) -> None:
    everything = client.get(path, params={**params, "limit": 1000})
    total = int(everything.headers["x-total-count"])
    assert total == len(everything.json()) >= 3
    assert "next" not in _links(everything.headers["link"])
    first = client.get(path, params={**params, "limit": 2})
    assert int(first.headers["x-total-count"]) == total and len(first.json()) == 2
    links = _links(first.headers["link"])
    assert "prev" not in links and "limit=2" in links["next"] and "offset=2" in links["next"]
    walked = list(first.json())
    url = links.get("next")
    while url:  # follow rel="next" to the end: every item once, in order
        page = client.get(url)
        walked += page.json()
        url = _links(page.headers["link"]).get("next")
    assert walked == everything.json()
    last = _links(first.headers["link"])["last"]
    assert client.get(last).json() == everything.json()[(total - 1) // 2 * 2 :]


def test_filtered_total_counts_the_filter(client: TestClient) -> None:
    led = client.get("/tasks", params={"lead": ZUNYI_AMSR, "limit": 1})
    every = client.get("/tasks", params={"lead": ZUNYI_AMSR, "limit": 1000}).json()
    assert int(led.headers["x-total-count"]) == len(every) > 1
    agencies = client.get("/agencies", params={"q": "遵义市", "limit": 1})
    assert int(agencies.headers["x-total-count"]) == len(
        client.get("/agencies", params={"q": "遵义市", "limit": 1000}).json()
    )


# -- operation ids ---------------------------------------------------------------------------


def test_operation_ids_are_stable_and_readable() -> None:
    schema = create_app(store=cast(Store, object())).openapi()
    ids = {
        (method.upper(), path): op["operationId"]
        for path, item in schema["paths"].items()
        for method, op in item.items()
    }
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)*", i) for i in ids.values()), ids
    assert len(set(ids.values())) == len(ids)
    for key in [("GET", "/tasks"), ("GET", "/lineage/implementations"), ("GET", "/documents/{doc}")]:
        assert ids[key] == OPERATION_IDS[key]
    assert ids[("GET", "/tasks")] == "listTasks"
    assert ids[("GET", "/lineage/implementations")] == "getLineageImplementations"


# -- CSV -------------------------------------------------------------------------------------


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_tasks_as_csv_by_accept_header_or_format(client: TestClient) -> None:
    params = {"lead": ZUNYI_AMSR}
    as_json = client.get("/tasks", params=params).json()
    by_accept = client.get("/tasks", params=params, headers={"Accept": "text/csv"})
    by_format = client.get("/tasks", params={**params, "format": "csv"})
    rows = _csv(by_accept)
    assert rows == _csv(by_format)
    assert list(rows[0]) == list(TASK_COLUMNS)
    assert by_accept.headers["x-total-count"] == str(len(as_json))
    assert [r["task_id"] for r in rows] == [t["id"] for t in as_json]
    for row, task in zip(rows, as_json, strict=True):
        assert row["task"] == task["text"] and row["document"] == task["document"]["title"]
        assert ZUNYI_AMSR in row["lead"].split("、")
        assert row["responsible"] == "、".join(a["name"] for a in task["responsible"])
        assert (row["source"], int(row["span_start"]), int(row["span_end"])) == (
            task["span"]["source"],
            task["span"]["start"],
            task["span"]["end"],
        )


def test_json_stays_the_default(client: TestClient) -> None:
    browser_like = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert (
        client.get("/tasks", headers={"Accept": browser_like})
        .headers["content-type"]
        .startswith("application/json")
    )
    prefers_json = client.get("/tasks", headers={"Accept": "application/json, text/csv;q=0.5"})
    assert prefers_json.headers["content-type"].startswith("application/json")
    assert (
        client.get("/tasks", params={"format": "json"}, headers={"Accept": "text/csv"})
        .headers["content-type"]
        .startswith("application/json")
    )


def test_targets_and_a_documents_tasks_as_csv(client: TestClient) -> None:
    rows = _csv(client.get("/targets", params={"indicator": "每万人口高价值发明专利拥有量", "format": "csv"}))
    assert list(rows[0]) == list(TARGET_COLUMNS)
    baoding = next(r for r in rows if r["jurisdiction"] == "保定市")
    assert (baoding["value"], baoding["baseline"], baoding["unit"]) == ("2.21", "1.87", "件")
    assert baoding["lead"] == "保定市市场监督管理局"
    national = next(r for r in rows if r["level"] == "national")
    assert national["value"] == "12"  # as written, not 12.0
    tasks = _csv(client.get(f"/documents/{ZUNYI}/tasks", headers={"Accept": "text/csv"}))
    detail = client.get(f"/documents/{ZUNYI}").json()
    assert [r["task_id"] for r in tasks] == [t["id"] for t in detail["tasks"]]
    assert {r["document"] for r in tasks} == {ZUNYI}
