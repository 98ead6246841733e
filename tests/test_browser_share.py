"""The page a person can share and start from, in real headless Chromium (see test_browser.py):
the start view, URLs that reopen the same view (bookmarks, links, Back and Forward), the
中文/English switch with the ontology's labels, a readable 40-node neighbourhood, and an axe
accessibility check. Screenshots go to test-output/browser-1*.png.
"""

# ruff: noqa: F811  (test_browser's fixtures are imported by name, then requested by that name)
from __future__ import annotations

import urllib.parse

import pytest
from browser_helpers import IN_CI, get_json
from test_browser import (  # noqa: F401  (fixtures)
    OUTLINE,
    ZUNYI_PLAN,
    ZUNYI_SAMR,
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


def _shown(page) -> dict:
    """What the page shows, as the test compares it between two tabs."""
    return page.evaluate(
        """() => {
            const cy = window.policykg.cy;
            return {
                mode: document.body.dataset.mode,
                nodes: cy.nodes().map((n) => n.id()).sort(),
                selected: cy.$(':selected').map((n) => n.id()),
                panel: document.querySelector('#panel .entity-title')?.textContent || null,
                down: document.querySelector('#lineage-down')?.getAttribute('aria-pressed') || null,
            };
        }"""
    )


def _query(page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.url).query))


def _open(context, url: str, expect):
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    tab.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    tab.goto(url)
    expect(tab.locator("body[data-ready='true']")).to_have_count(1)
    return tab, problems


def test_start_view_lists_national_documents(page, sync_api, live_api, output_dir):
    expect = sync_api.expect
    expect(page.locator("body[data-start='ready']")).to_have_count(1)
    outline = page.locator("#start .start-doc").filter(has_text=OUTLINE)
    expect(outline).to_have_count(1)
    # the count shown is the API's: documents implementing the outline, transitively
    doc_id = outline.get_attribute("data-doc")
    lineage = get_json(live_api, "lineage/implementations", document=doc_id, depth="4")
    implementing = {e["document"]["id"] for e in lineage["entries"]}
    assert implementing, "the sample corpus has plans implementing the outline"
    assert outline.get_attribute("data-count") == str(len(implementing))
    expect(outline).to_contain_text(f"{len(implementing)} 份文件实施")
    national = {d["id"] for d in get_json(live_api, "documents", level="national", limit="100")}
    shown = set(page.locator("#start .start-doc").evaluate_all("(els) => els.map((e) => e.dataset.doc)"))
    assert shown and shown <= national
    page.screenshot(path=output_dir / "browser-10-start.png")

    outline.click()  # one click: the lineage tree
    expect(page.locator("body[data-mode='lineage']")).to_have_count(1)
    wait_for_node(page, ZUNYI_PLAN)
    assert _query(page) == {"view": "lineage", "node": doc_id, "dir": "implementations", "depth": "4"}


def test_bookmarked_urls_reopen_the_same_view(page, context, sync_api, live_api, output_dir):
    expect = sync_api.expect
    # a lineage view, reached by clicking
    page.locator("#start .start-doc").filter(has_text=OUTLINE).click()
    wait_for_node(page, ZUNYI_PLAN)
    expect(page.locator("#panel .view-document .entity-title")).to_contain_text(OUTLINE)
    page.locator("#btn-lineage-up").click()  # the zunyi plan is not selected: the outline's ancestors
    expect(page.locator("#lineage-up[aria-pressed='true']")).to_have_count(1)
    page.locator("#lineage-down").click()
    expect(page.locator("#lineage-down[aria-pressed='true']")).to_have_count(1)
    settle(page)
    original = _shown(page)
    tab, problems = _open(context, page.url, expect)
    expect(tab.locator("#panel .view-document .entity-title")).to_contain_text(OUTLINE)
    wait_for_node(tab, ZUNYI_PLAN)
    settle(tab)
    assert _shown(tab) == original
    tab.screenshot(path=output_dir / "browser-11-bookmarked-lineage.png")
    tab.close()
    assert not problems, problems

    # an explore view of an agency, reached by searching
    search_and_choose(page, expect, ZUNYI_SAMR, "agency")
    expect(page.locator("#panel .view-agency .entity-title")).to_have_text(ZUNYI_SAMR)
    settle(page)
    query = _query(page)
    assert query["view"] == "explore" and query["node"].startswith("agency:") and query["depth"] == "1"
    original = _shown(page)
    tab, problems = _open(context, page.url, expect)
    expect(tab.locator("#panel .view-agency .entity-title")).to_have_text(ZUNYI_SAMR)
    settle(tab)
    assert _shown(tab) == original
    tab.screenshot(path=output_dir / "browser-12-bookmarked-agency.png")
    tab.close()
    assert not problems, problems


def test_back_and_forward(page, sync_api):
    expect = sync_api.expect
    page.locator("#start .start-doc").filter(has_text=OUTLINE).click()
    expect(page.locator("#lineage-down[aria-pressed='true']")).to_have_count(1)
    page.locator("#lineage-up").click()
    expect(page.locator("#lineage-up[aria-pressed='true']")).to_have_count(1)
    assert _query(page)["dir"] == "ancestors"

    page.go_back()
    expect(page.locator("#lineage-down[aria-pressed='true']")).to_have_count(1)
    assert _query(page)["dir"] == "implementations"
    wait_for_node(page, ZUNYI_PLAN)
    page.go_back()
    expect(page.locator("#start .start-doc").first).to_be_visible()
    assert _query(page) == {}
    assert page.evaluate("() => window.policykg.cy.nodes().length") == 0
    page.go_forward()
    expect(page.locator("body[data-mode='lineage']")).to_have_count(1)
    wait_for_node(page, ZUNYI_PLAN)


def test_language_switch_uses_the_ontology_labels(page, context, sync_api, live_api, output_dir):
    expect = sync_api.expect
    labels = get_json(live_api, "ontology/labels")
    search_and_choose(page, expect, OUTLINE, "doc")
    view = page.locator("#panel .view-document")
    expect(
        view.locator(".field dt").filter(has_text=labels["relations"]["HAS_JURISDICTION"]["zh"])
    ).to_have_count(1)

    page.locator("#lang").click()
    expect(page.locator("html[lang='en']")).to_have_count(1)
    assert _query(page)["lang"] == "en"
    legend = page.locator("#legend")
    for kind in ("Agency", "Task", "Target"):
        expect(legend).to_contain_text(labels["classes"][kind]["en"])
    expect(page.locator("#mode-explore")).to_have_text("Graph")
    expect(
        view.locator(".field dt").filter(has_text=labels["relations"]["HAS_JURISDICTION"]["en"])
    ).to_have_count(1)
    expect(view.locator("h3").filter(has_text=labels["classes"]["Target"]["en"])).to_have_count(1)
    page.locator("#btn-lineage-down").click()
    wait_for_node(page, ZUNYI_PLAN)
    edge_labels = page.evaluate("() => window.policykg.cy.edges().map((e) => e.data('label'))")
    english = {labels["relations"][r]["en"] for r in labels["relations"]}
    assert edge_labels and all(any(part in english for part in lab.split(" / ")) for lab in edge_labels)
    settle(page)
    page.screenshot(path=output_dir / "browser-13-english-lineage.png")

    # the language is part of the link
    tab, problems = _open(context, page.url, expect)
    expect(tab.locator("html[lang='en']")).to_have_count(1)
    expect(tab.locator("#lineage-down")).to_contain_text("Implementations")
    tab.close()
    assert not problems, problems
    page.locator("#lang").click()
    expect(page.locator("html[lang='zh-CN']")).to_have_count(1)
    expect(page.locator("#legend")).to_contain_text(labels["classes"]["Agency"]["zh"])
    assert "lang" not in _query(page)


def test_forty_node_neighbourhood_labels_do_not_overlap(page, sync_api, output_dir):
    expect = sync_api.expect
    search_and_choose(page, expect, ZUNYI_SAMR, "agency")
    expect(page.locator("#panel .view-agency")).to_be_visible()
    settle(page)
    # labels of documents and agencies always show; tasks and targets once zoomed in: measure
    # at a zoom where all of them are drawn
    page.evaluate("() => { const cy = window.policykg.cy; cy.zoom(1); cy.center(); }")
    result = page.evaluate(
        """() => {
            const boxes = window.policykg.cy.nodes().map((n) => n.boundingBox({ includeLabels: true }));
            let overlaps = 0;
            for (let i = 0; i < boxes.length; i += 1)
                for (let j = i + 1; j < boxes.length; j += 1) {
                    const a = boxes[i], b = boxes[j];
                    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps += 1;
                }
            return { nodes: boxes.length, overlaps };
        }"""
    )
    assert result["nodes"] >= 40, result
    # fCoSE with label sizes: none overlap in practice (README); a pair or two may touch
    assert result["overlaps"] <= 2, result
    page.screenshot(path=output_dir / "browser-14-forty-nodes.png")


def _axe(page) -> list[dict]:
    from policykg.api import build_static

    if not build_static.AXE.is_file():
        if IN_CI:
            pytest.fail("axe-core missing: run python api/build_static.py (npm ci)")
        pytest.skip("axe-core missing: run python api/build_static.py (npm ci)")
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(build_static.AXE))
    result = page.evaluate("() => window.axe.run(document, { resultTypes: ['violations'] })")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )


def test_accessibility_no_serious_violations(page, sync_api):
    expect = sync_api.expect
    expect(page.locator("body[data-start='ready']")).to_have_count(1)
    violations = _axe(page)
    assert not violations, "start view:\n" + _describe(violations)

    search_and_choose(page, expect, OUTLINE, "doc")
    expect(page.locator("#panel .view-document")).to_be_visible()
    settle(page)
    violations = _axe(page)
    assert not violations, "explore view:\n" + _describe(violations)

    page.locator("#btn-lineage-down").click()
    wait_for_node(page, ZUNYI_PLAN)
    page.locator("#lang").click()
    expect(page.locator("html[lang='en']")).to_have_count(1)
    violations = _axe(page)
    assert not violations, "lineage view, English:\n" + _describe(violations)
