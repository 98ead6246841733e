"""The coverage view in real headless Chromium (see test_browser.py): the national outline's
clauses down the side, the jurisdictions implementing it across, each cell the number of linked
tasks, a click listing the tasks with their source sentences; the target cascade as a small chart
per indicator. Everything is checked against the API's own answers on the sample corpus.
Screenshots go to test-output/browser-2*.png.
"""

# ruff: noqa: F811  (test_browser's fixtures are imported by name, then requested by that name)
from __future__ import annotations

import urllib.parse

import pytest
from browser_helpers import get_json
from policykg.ingest.clause_links import NOT_A_MEASURE
from test_browser import (  # noqa: F401  (fixtures)
    OUTLINE,
    ZUNYI_PLAN,
    chromium,
    context,
    live_api,
    page,
    search_and_choose,
    settle,
    sync_api,
    wait_for_node,
)

pytestmark = pytest.mark.browser


def _answers(base: str) -> tuple[dict, dict]:
    outline = get_json(base, "documents", q=OUTLINE, level="national")
    items = outline["items"] if isinstance(outline, dict) else outline
    doc_id = next(d["id"] for d in items if OUTLINE in (d["title"] or "") and not d.get("stub"))
    return get_json(base, "lineage/coverage", document=doc_id), get_json(
        base, "targets/cascade", document=doc_id
    )


def _leaf_counts(coverage: dict) -> dict[str, dict[str, int]]:
    parents = {row["clause"]["parent"] for row in coverage["clauses"]}
    return {
        row["clause"]["id"]: {cell["jurisdiction"]: len(cell["tasks"]) for cell in row["cells"]}
        for row in coverage["clauses"]
        if row["clause"]["id"] not in parents
    }


def test_coverage_matrix_cells_and_cascade(page, sync_api, live_api, output_dir):
    expect = sync_api.expect
    coverage, cascade = _answers(live_api)
    leaves = _leaf_counts(coverage)
    columns = [c["jurisdiction"] for c in coverage["jurisdictions"]]
    assert "遵义市" in columns and any(cells.get("遵义市") for cells in leaves.values())

    search_and_choose(page, expect, OUTLINE, "doc")
    page.locator("#btn-coverage").click()
    expect(page.locator("body[data-mode='coverage']")).to_have_count(1)
    expect(page.locator("#mode-coverage[aria-selected='true']")).to_have_count(1)
    table = page.locator("#coverage .coverage-table")
    expect(table).to_be_visible()
    assert page.locator("#coverage .cov-col .cov-col-name").all_inner_texts() == columns
    assert page.locator("#coverage .cov-row").count() == len(coverage["clauses"])

    # every measure's cells say what the API says: a count where tasks are linked, a gap elsewhere
    shown = page.evaluate(
        """() => [...document.querySelectorAll('#coverage .cov-count')].map((b) =>
            [b.dataset.clause, b.dataset.jurisdiction, Number(b.dataset.count)])"""
    )
    shown_leaves = {(c, j): n for c, j, n in shown if c in leaves}
    expected = {(c, j): n for c, cells in leaves.items() for j, n in cells.items() if n}
    assert shown_leaves == expected
    # measures: the clauses without sub-clauses the linker links to (not background or goals)
    headings = {row["clause"]["id"]: row["clause"]["heading"] for row in coverage["clauses"]}
    measures = {c: cells for c, cells in leaves.items() if not NOT_A_MEASURE.search(headings[c])}
    assert 0 < len(measures) < len(leaves)
    gaps = page.locator("#coverage tr.measure td.gap").count()
    assert gaps == sum(1 for c in measures for j in columns if not measures[c].get(j))
    uncovered = sum(1 for cells in measures.values() if not any(cells.values()))
    expect(page.locator("#coverage tr.measure.uncovered")).to_have_count(uncovered)
    expect(page.locator("#coverage tr.preamble")).to_have_count(len(leaves) - len(measures))
    summary = page.locator("#coverage .coverage-summary").inner_text()
    assert f"{len(measures)} 项措施中有 {len(measures) - uncovered} 项" in summary
    page.screenshot(path=output_dir / "browser-20-coverage.png")

    # a click on a cell lists its tasks, each with its document, evidence and source sentence
    clause_id, jurisdiction = max(expected, key=expected.get)
    page.locator(
        f"#coverage .cov-count[data-clause='{clause_id}'][data-jurisdiction='{jurisdiction}']"
    ).click()
    view = page.locator("#panel .view-coverage-cell")
    expect(view).to_be_visible()
    items = view.locator(".linked-task")
    expect(items).to_have_count(expected[(clause_id, jurisdiction)])
    row = next(r for r in coverage["clauses"] if r["clause"]["id"] == clause_id)
    texts = sorted(link["task"]["text"] for cell in row["cells"] for link in cell["tasks"])
    assert sorted(items.locator(".item-text").all_inner_texts()) == texts
    for i in range(items.count()):
        expect(items.nth(i).locator(".provenance blockquote")).to_be_visible()
        expect(items.nth(i).locator(".evidence")).to_contain_text("得分")
        expect(items.nth(i)).to_contain_text(ZUNYI_PLAN)
    assert items.locator(".provenance blockquote mark").count() >= 1
    page.screenshot(path=output_dir / "browser-21-coverage-cell.png")

    # the cascade: one chart per indicator, bars in the API's order with its values
    charts = page.locator("#coverage .cascade-chart")
    expect(charts).to_have_count(len(cascade["indicators"]))
    for ind in cascade["indicators"]:
        chart = charts.filter(has=page.locator(f"xpath=self::*[@data-indicator='{ind['indicator']}']"))
        rows = chart.locator(".bar-row")
        expect(rows).to_have_count(len(ind["entries"]))
        for k, entry in enumerate(ind["entries"]):
            value = entry["target"]["value"]
            assert f"{value:g}" in rows.nth(k).locator(".bar-value").inner_text()
            assert rows.nth(k).get_attribute("data-level") == (entry["level"] or "")
    deep = [ind for ind in cascade["indicators"] if len({e["depth"] for e in ind["entries"]}) > 1]
    assert deep, "the sample lines up a national and a city value of one indicator"
    chart = page.locator(f"#coverage .cascade-chart[data-indicator='{deep[0]['indicator']}']")
    chart.scroll_into_view_if_needed()
    widths = chart.locator(".bar").evaluate_all("(bars) => bars.map((b) => b.getBoundingClientRect().width)")
    values = [e["target"]["value"] for e in deep[0]["entries"]]
    assert (widths[0] > widths[1]) == (values[0] > values[1]), "bar lengths follow the values"
    page.screenshot(path=output_dir / "browser-22-cascade.png")


def test_coverage_url_language_and_way_back(page, context, sync_api, live_api, output_dir):
    expect = sync_api.expect
    search_and_choose(page, expect, OUTLINE, "doc")
    wait_for_node(page, OUTLINE)
    page.wait_for_function("() => window.policykg.cy.nodes().length > 1")  # its neighbourhood drawn
    settle(page)
    before = page.evaluate("() => window.policykg.cy.nodes().length")
    page.locator("#btn-coverage").click()
    expect(page.locator("#coverage .coverage-table")).to_be_visible()
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.url).query))
    assert query["view"] == "coverage" and query["node"].startswith("doc:")

    # the graph beneath is kept: back to the explore tab, the same nodes are drawn
    page.locator("#mode-explore").click()
    expect(page.locator("body[data-mode='explore']")).to_have_count(1)
    assert page.evaluate("() => window.policykg.cy.nodes().length") == before
    page.go_back()
    expect(page.locator("body[data-mode='coverage'] #coverage .coverage-table")).to_be_visible()

    # a link to the view opens it, in either language
    tab = context.new_page()
    tab.goto(page.url)
    expect(tab.locator("body[data-ready='true']")).to_have_count(1)
    expect(tab.locator("#coverage .coverage-table")).to_be_visible()
    tab.locator("#lang").click()
    expect(tab.locator("#coverage-title")).to_have_text("Clause coverage")
    expect(tab.locator("#cascade-title")).to_contain_text("Target cascade")
    tab.screenshot(path=output_dir / "browser-23-coverage-en.png")
    tab.close()
