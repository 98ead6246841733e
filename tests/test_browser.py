"""The graph page in a real browser: headless Debian Chromium driven by Playwright, against the
real API on the sample corpus (no mocks). Screenshots go to test-output/.

Run:  pytest -m browser        (needs: apt-get install chromium fonts-noto-cjk)

Outside CI a missing Chromium or playwright skips with one line saying how to install them; in CI
(CI=true) it fails, so the browser check cannot silently vanish.
"""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    CHROMIUM_ARGS,
    IN_CI,
    INSTALL_HINT,
    click_node,
    find_chromium,
    node_id_where_label,
    serve_app,
)

pytestmark = pytest.mark.browser

OUTLINE = "知识产权强国建设纲要"
ZUNYI_PLAN = "遵义市国家知识产权强市建设试点城市工作方案"
ZUNYI_SAMR = "遵义市市场监督管理局"
TIMEOUT_MS = 15_000


def _unavailable(message: str):
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        _unavailable(f"Chromium not found; {INSTALL_HINT}")
    return path


@pytest.fixture(scope="module")
def sync_api():
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable(f"Python playwright is not installed; {INSTALL_HINT}")
    return sync_api


@pytest.fixture(scope="module")
def live_api(sample_records, tmp_path_factory):
    """The real API on an embedded store holding the sample corpus, on a free loopback port."""
    from policykg.api import build_static
    from policykg.api.app import create_app
    from policykg.graph.embedded import EmbeddedStore

    if not build_static.is_current():
        build_static.build()  # the page needs api/static/vendor/ (bundled from npm)
    store = EmbeddedStore(f"embedded:{tmp_path_factory.mktemp('browser-store')}")
    for record in sample_records:
        store.ingest(record)
    with serve_app(create_app(store=store)) as base:
        yield base
    store.close()


@pytest.fixture(scope="module")
def context(chromium, sync_api, tmp_path_factory):
    with sync_api.sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh profile for every run
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900},
            locale="zh-CN",
        )
        ctx.set_default_timeout(TIMEOUT_MS)
        yield ctx
        ctx.close()


@pytest.fixture
def page(context, live_api, sync_api):
    """A fresh tab on the page; any script error or failed request fails the test."""
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    tab.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    tab.on("requestfailed", lambda req: problems.append(f"request failed: {req.url}"))
    tab.goto(live_api)
    sync_api.expect(tab.locator("body[data-ready='true']")).to_have_count(1)
    yield tab
    tab.close()
    assert not problems, "\n".join(problems)


def search_and_choose(page, expect, text: str, kind: str) -> None:
    """Type into the search box like a user and pick the first result of the given kind."""
    box = page.locator("#search")
    box.fill("")
    box.press_sequentially(text, delay=20)
    result = page.locator(f"#search-results .result[data-kind='{kind}']").filter(has_text=text).first
    expect(result).to_be_visible()
    result.click()


def wait_for_node(page, text: str) -> str:
    page.wait_for_function(
        "(t) => window.policykg.cy.nodes().some((n) => (n.data('full') || '').includes(t))", arg=text
    )
    node_id = node_id_where_label(page, text)
    assert node_id, f"no node labeled {text!r}"
    return node_id


def settle(page) -> None:
    """Let cytoscape finish its animated fit before a screenshot or a click at a position."""
    page.wait_for_function("() => !window.policykg.cy.animated()")
    page.wait_for_timeout(150)


def test_search_lineage_and_lead_unit(page, sync_api, output_dir):
    expect = sync_api.expect
    search_and_choose(page, expect, OUTLINE, "doc")
    expect(page.locator("#panel .view-document .entity-title")).to_contain_text(OUTLINE)
    outline_id = wait_for_node(page, OUTLINE)
    assert page.evaluate("() => window.policykg.cy.nodes().length") > 1, "the neighborhood was not drawn"
    expect(page.locator("#legend")).to_contain_text("仅被引用的文件")
    settle(page)
    page.screenshot(path=output_dir / "browser-01-explore.png")

    page.locator("#btn-lineage-down").click()
    expect(page.locator("body[data-mode='lineage']")).to_have_count(1)
    zunyi_id = wait_for_node(page, ZUNYI_PLAN)
    edge_labels = page.evaluate("() => window.policykg.cy.edges().map((e) => e.data('label'))")
    assert edge_labels and all(edge_labels), "lineage edges must be labeled by relation"
    # top-down: the outline sits above the plans that implement it
    y = page.evaluate(
        "(ids) => ids.map((id) => window.policykg.cy.getElementById(id).position('y'))",
        [outline_id, zunyi_id],
    )
    assert y[0] < y[1]
    settle(page)
    page.screenshot(path=output_dir / "browser-02-lineage.png")

    click_node(page, zunyi_id)
    view = page.locator("#panel .view-document")
    expect(view.locator(".entity-title")).to_contain_text(ZUNYI_PLAN)
    lead = view.locator(".task .agencies .link").filter(has_text=ZUNYI_SAMR)
    expect(lead.first).to_be_visible()
    page.screenshot(path=output_dir / "browser-03-lineage-task-lead.png")

    page.locator("#btn-lineage-up").click()
    wait_for_node(page, OUTLINE)
    expect(page.locator("#lineage-up[aria-pressed='true']")).to_have_count(1)
    settle(page)
    page.screenshot(path=output_dir / "browser-04-ancestors.png")


def test_provenance_highlight(page, sync_api, output_dir):
    expect = sync_api.expect
    search_and_choose(page, expect, ZUNYI_PLAN, "doc")
    tasks = page.locator("#panel .view-document .task")
    expect(tasks.first).to_be_visible()
    task_text = tasks.first.locator(".item-text").inner_text()
    tasks.first.locator(".item-text").click()

    view = page.locator("#panel .view-task")
    expect(view).to_be_visible()
    mark = view.locator(".provenance blockquote mark")
    expect(mark).to_have_count(1)
    marked = mark.inner_text().strip()
    quote = view.locator(".provenance blockquote").inner_text()
    assert marked and marked in quote
    assert marked[:6] in task_text or task_text[:6] in marked, (marked, task_text)
    expect(view.locator(".source-file")).to_contain_text(".txt")
    expect(view.locator(".source-span")).to_have_text(re.compile(r"字符 \d+–\d+"))
    page.screenshot(path=output_dir / "browser-05-provenance-task.png")

    page.locator("#panel-back").click()
    citation = page.locator("#panel .view-document .citation .item-text").filter(has_text=OUTLINE).first
    citation.click()
    cview = page.locator("#panel .view-citation")
    expect(cview.locator(".provenance blockquote mark")).to_have_count(1)
    expect(cview.locator(".provenance blockquote mark")).to_contain_text(OUTLINE[:4])
    page.screenshot(path=output_dir / "browser-06-provenance-citation.png")


def test_agency_view_and_expand(page, sync_api, output_dir):
    expect = sync_api.expect
    search_and_choose(page, expect, ZUNYI_SAMR, "agency")
    view = page.locator("#panel .view-agency")
    expect(view.locator(".entity-title")).to_have_text(ZUNYI_SAMR)
    lead_groups = view.locator(".groups-lead details.group")
    expect(lead_groups.first).to_be_visible()
    expect(lead_groups.filter(has_text=ZUNYI_PLAN)).to_have_count(1)
    assert view.locator(".groups-lead .task").count() >= 1
    expect(view.locator("h3").filter(has_text="参与任务")).to_be_visible()
    settle(page)
    page.screenshot(path=output_dir / "browser-07-agency.png")

    # clicking a node on the canvas expands it: its neighborhood is fetched and merged
    before = page.evaluate("() => window.policykg.cy.nodes().length")
    task_id = page.evaluate("() => window.policykg.cy.nodes('[kind = \"Task\"]').first().id()")
    assert task_id, "the agency's neighborhood should hold its tasks"
    settle(page)
    click_node(page, task_id)
    page.wait_for_function("(n) => window.policykg.cy.nodes().length > n", arg=before)
    wait_for_node(page, ZUNYI_PLAN)  # the task's document came with its neighborhood
    expect(page.locator("#panel .view-task .provenance mark")).to_have_count(1)
    settle(page)
    page.screenshot(path=output_dir / "browser-08-expanded.png")
