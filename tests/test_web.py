"""The web chat in a real browser: Debian's chromium driven by Playwright, against `assistant serve`."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.url, viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_ask_follow_up_and_open_a_citation(page, tmp_path):
    page.goto("/")
    page.get_by_label("Your question").fill("What does the BMA think of the proposed GP buy-out fund?")
    page.get_by_role("button", name="Ask").click()
    first = page.locator("#turn-1")
    first.locator(".quote").first.wait_for()
    assert first.locator("blockquote").count() >= 3
    assert "BMA" in first.locator("figcaption").first.inner_text()
    assert page.url.endswith("/")  # updated in place, no page load

    page.get_by_label("Ask a follow-up").fill("And what about NHS Providers on HARPs?")
    page.keyboard.press("Enter")
    second = page.locator("#turn-2")
    second.locator(".quote, .abstain").first.wait_for()
    assert "NHS Providers" in second.inner_text()
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
    assert (tmp_path / "chat.png").stat().st_size > 10_000

    quote_text = first.locator("blockquote p").first.inner_text()
    first.locator("a.viewsource").first.click()
    page.wait_for_url("**/sources/**#quote")
    mark = page.locator("mark#quote")
    mark.wait_for()
    assert " ".join(mark.inner_text().split()) == " ".join(quote_text.split())
    box = mark.bounding_box()
    assert box is not None and -2 <= box["y"] < 900, "the highlighted quote is scrolled into view (sub-pixel rounding aside)"
    page.screenshot(path=str(tmp_path / "viewer.png"))


def test_abstention_is_shown_as_such(page):
    page.goto("/")
    page.get_by_label("Your question").fill("How do I renew my passport online?")
    page.get_by_role("button", name="Ask").click()
    notice = page.locator("#turn-1 .abstain")
    notice.wait_for()
    assert "No answer in the sources" in notice.inner_text()
    assert page.locator("#turn-1 blockquote").count() == 0


def test_a_comparison_names_the_actor_who_is_silent(page):
    page.goto("/")
    page.get_by_label("Your question").fill("Compare the BMA and the CQC on HARPs.")
    page.get_by_role("button", name="Ask").click()
    turn = page.locator("#turn-1")
    turn.locator(".quote").first.wait_for()
    assert "no statement by CQC" in turn.locator(".note").inner_text()
    assert "BMA" in turn.locator("figcaption").first.inner_text()


def test_empty_question_is_refused_in_place(page):
    page.goto("/")
    page.get_by_role("button", name="Ask").click()
    error = page.locator("#question-error")
    error.wait_for(state="visible")
    assert "type a question" in error.inner_text()
    assert page.locator(".turn").count() == 0


def test_chat_works_without_javascript(browser, server, tmp_path):
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Your question").fill("Did the government accept the 1% prevention shift?")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_load_state()
    assert page.locator("#turn-1 blockquote").count() >= 1
    page.get_by_label("Ask a follow-up").fill("And the BMA?")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_load_state()
    assert page.locator(".turn").count() == 2
    assert "Read as" in page.locator("#turn-2").inner_text()
    page.screenshot(path=str(tmp_path / "nojs.png"), full_page=True)
    context.close()


def test_readable_on_a_phone(browser, server):
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
    assert page.get_by_role("button", name="Ask").bounding_box()["width"] > 300
    context.close()


def test_who_said_what_view_from_an_answer(page, tmp_path):
    page.goto("/")
    page.get_by_label("Your question").fill("Did the government accept the 1% prevention shift?")
    page.get_by_role("button", name="Ask").click()
    page.locator("#turn-1 .quote").first.wait_for()
    page.get_by_role("link", name="Compare positions on this topic").click()
    page.wait_for_url("**/positions?topic=*")
    table = page.get_by_role("table")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() >= 2
    actors = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    assert "Government (DHSC)" in actors and len(set(actors)) == len(actors)
    gov = rows.nth(actors.index("Government (DHSC)"))
    assert gov.locator(".stance").inner_text() == "rejects"
    assert gov.locator("blockquote").count() >= 1
    page.screenshot(path=str(tmp_path / "positions.png"), full_page=True)


def test_api_docs_render_offline(page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 6
    assert all(u.startswith(page.url.split("/docs")[0]) or u.startswith("data:") for u in requests), requests
