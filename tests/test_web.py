"""The web pages in a real browser: Debian's chromium driven by Playwright, against `assistant serve`
on the seed corpus, at desktop (1280x900) and phone (390x844) sizes, with and without JavaScript.
Screenshots of every page go to test-output/; axe-core checks every page for accessibility."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

OUT = Path(__file__).resolve().parent.parent / "test-output"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BUYOUT = "What does the BMA think of the proposed GP buy-out fund?"
PREVENTION = "Did the government accept the 1% prevention shift?"


def open_page(browser, server, size=DESKTOP, **options):
    context = browser.new_context(base_url=server.url, viewport=size, is_mobile=size is PHONE, has_touch=size is PHONE,
                                  **options)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    return page


@pytest.fixture
def page(browser, server):
    pg = open_page(browser, server)
    yield pg
    pg.context.close()
    assert not pg.js_errors, f"JavaScript errors: {pg.js_errors}"


@pytest.fixture
def phone(browser, server):
    pg = open_page(browser, server, PHONE)
    yield pg
    pg.context.close()
    assert not pg.js_errors, f"JavaScript errors: {pg.js_errors}"


def shot(page, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)


def ask(page, question: str, number: int) -> None:
    page.locator("#question").fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
    page.locator(f"#turn-{number}").locator(".quote, .abstain, .error").first.wait_for()


def test_ask_follow_up_and_open_a_citation(page):
    page.goto("/")
    ask(page, BUYOUT, 1)
    first = page.locator("#turn-1")
    assert first.locator("blockquote").count() >= 3
    assert "BMA" in first.locator("figcaption").first.inner_text()
    assert parse_qs(urlsplit(page.url).query)["q"] == [BUYOUT]  # updated in place; the URL holds it

    page.get_by_label("Ask a follow-up").fill("And what about NHS Providers on HARPs?")
    page.keyboard.press("Enter")
    second = page.locator("#turn-2")
    second.locator(".quote, .abstain").first.wait_for()
    assert "NHS Providers" in second.inner_text()
    shot(page, "chat")

    quote_text = first.locator("blockquote p").first.inner_text()
    first.locator("a.viewsource").first.click()
    page.wait_for_url("**/sources/**#quote")
    mark = page.locator("mark#quote")
    mark.wait_for()
    assert " ".join(mark.inner_text().split()) == " ".join(quote_text.split())


def test_a_conversation_survives_reload_has_permalinks_and_can_start_again(page):
    page.goto("/")
    ask(page, BUYOUT, 1)
    ask(page, "And NHS Providers?", 2)
    page.reload()
    assert page.locator(".turn").count() == 2
    assert page.locator("#turn-2 .question").inner_text().endswith("And NHS Providers?")
    page.locator("#turn-1 a.permalink").click()
    page.wait_for_url("**#turn-1")
    assert page.locator(".turn").count() == 1
    page.get_by_role("link", name="New conversation").click()
    page.wait_for_load_state()
    assert page.locator(".turn").count() == 0 and page.get_by_label("Your question").is_visible()


FOUR_TURNS = ["What does NHS Providers say about HARPs?", "And the BMA?", "Why?", "What about the GP buy-out fund?"]


def test_quotes_far_below_the_best_are_shown_apart(browser, server):
    # WA Communications says less on HARPs than others: their words come after its own, apart, never as
    # equal answers
    pg = open_page(browser, server)
    pg.goto("/")
    ask(pg, "What does WA Communications say about HARPs?", 1)
    near = pg.locator("#turn-1 ol.quotes:not(.less-close) .tag.actor").all_text_contents()
    assert near and near[0] == "WA Communications"
    assert pg.locator("#turn-1 ol.less-close .quote").count() >= 1
    assert not pg.locator("#turn-1 .less-close-label").is_visible()  # folded behind "Show n more", after the close ones
    pg.locator("#turn-1 details.more summary").click()
    assert pg.locator("#turn-1 .less-close-label").is_visible()
    assert not pg.js_errors


def asked_in(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query).get("q", [])


def read_as(page, number: int) -> str:
    box = page.locator(f"#turn-{number} .readas")
    return box.inner_text() if box.count() else ""


def test_a_four_turn_conversation_stays_in_the_order_asked(browser, server):
    """Two follow-ups in a row: each is read against the turn before it (not an older one), and the
    URL, a reload, "Link to this answer", the export and "Back to the answer" all keep the order asked."""
    pg = open_page(browser, server)
    pg.goto("/")
    for i, question in enumerate(FOUR_TURNS, 1):
        ask(pg, question, i)
        assert asked_in(pg.url) == FOUR_TURNS[:i], f"the URL after turn {i}"
    readings = [read_as(pg, i) for i in range(1, 5)]
    assert readings[0] == ""  # a complete question is read as asked
    assert "BMA" in readings[1] and "HARPs" in readings[1] and "NHS Providers" not in readings[1]
    # "Why?" follows "And the BMA?": it is about the BMA on HARPs, in words, not keywords in brackets
    assert "BMA" in readings[2] and "HARPs" in readings[2] and "NHS Providers" not in readings[2]
    assert "BMA" in readings[3] and "buy-out" in readings[3] and "(" not in readings[3]
    near = pg.locator("#turn-1 ol.quotes:not(.less-close) .tag.actor").all_text_contents()
    assert near and set(near) == {"NHS Providers"}  # their own briefing fills the answer on them
    firsts = [pg.locator(f"#turn-{i} blockquote p").first.inner_text() for i in range(1, 5)]
    assert "BMA" in pg.locator("#turn-3 figcaption").first.inner_text()
    # a quote of turn 1 leads back to the whole conversation, as it stands now, at turn 1
    back = parse_qs(urlsplit(pg.locator("#turn-1 a.viewsource").first.get_attribute("href")).query)["back"][0]
    assert asked_in(back) == FOUR_TURNS and back.endswith("#turn-1")

    pg.reload()
    assert [pg.locator(f"#turn-{i} .question").inner_text().split(":", 1)[-1].strip() for i in range(1, 5)] == FOUR_TURNS
    assert [read_as(pg, i) for i in range(1, 5)] == readings
    assert [pg.locator(f"#turn-{i} blockquote p").first.inner_text() for i in range(1, 5)] == firsts

    assert asked_in(pg.locator("#turn-3 a.permalink").get_attribute("href")) == FOUR_TURNS[:3]
    with pg.expect_download() as download:
        pg.get_by_role("link", name="Export as Markdown").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    heads = [text.index(f"## {i}. {q}") for i, q in enumerate(FOUR_TURNS, 1)]
    assert heads == sorted(heads)
    for i, first in enumerate(firsts):  # each turn's first quote on screen is the first under its heading
        part = text[heads[i]:heads[i + 1] if i + 1 < len(heads) else len(text)]
        assert " ".join(first.split())[:80] in " ".join(part.split())

    pg.locator("#turn-3 a.viewsource").first.click()
    pg.wait_for_url("**/sources/**#quote")
    pg.get_by_role("link", name="Back to the answer").click()
    pg.wait_for_url(re.compile(r"#turn-3(-q-1)?$"))  # the quote left from (when the answer has several)
    assert asked_in(pg.url) == FOUR_TURNS  # the whole conversation, not cut at the turn left from
    assert pg.locator(".turn").count() == len(FOUR_TURNS)
    assert read_as(pg, 3) == readings[2]
    pg.context.close()
    assert not pg.js_errors


def test_copy_a_quote_with_its_citation_and_export_the_conversation(browser, server):
    pg = open_page(browser, server, permissions=["clipboard-read", "clipboard-write"])
    pg.goto("/")
    ask(pg, BUYOUT, 1)
    figure = pg.locator("#turn-1 figure").first
    quote = figure.locator("blockquote p").inner_text()
    figure.get_by_role("button", name=re.compile(r"^Copy quote")).click()
    pg.locator("#status", has_text="copied").wait_for()
    copied = pg.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"“{quote}”") and "BMA" in copied and "/sources/" in copied and "start=" in copied
    figure.get_by_role("button", name=re.compile("Markdown")).click()
    pg.locator("#status", has_text="Markdown").wait_for()
    assert pg.evaluate("navigator.clipboard.readText()").startswith("> ")
    with pg.expect_download() as download:
        pg.get_by_role("link", name="Export as Markdown").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"## 1. {BUYOUT}" in text and "> " in text and "/sources/" in text
    pg.context.close()
    assert not pg.js_errors


def test_viewer_centres_the_quote_and_steps_through_the_answer(page):
    page.goto("/")
    ask(page, BUYOUT, 1)
    page.locator("#turn-1 a.viewsource").nth(1).click()
    page.wait_for_url("**/sources/**#quote")
    mark = page.locator("mark#quote")
    mark.wait_for()
    box = mark.bounding_box()
    middle = box["y"] + box["height"] / 2
    assert 0.2 * DESKTOP["height"] < middle < 0.8 * DESKTOP["height"], "the quote is in the middle, context above"
    bar = page.locator(".viewer-bar")
    assert bar.locator(".viewer-title").is_visible() and "paragraph" in bar.locator(".where").inner_text()
    assert "Quote 2 of" in bar.inner_text()
    shot(page, "viewer")
    page.get_by_role("link", name="Next quote").click()
    page.wait_for_url("**#quote")
    assert "Quote 3 of" in page.locator(".viewer-bar").inner_text()
    page.get_by_role("link", name="Previous quote").click()
    page.get_by_role("link", name="Previous quote").click()
    expect(page.locator(".position")).to_contain_text("Quote 1 of")
    page.get_by_role("link", name="Back to the answer").click()
    page.wait_for_url("**#turn-1-q-1")  # back at the quote left from, on screen
    assert page.locator("#turn-1 blockquote").count() >= 3
    box = page.locator("#turn-1-q-1").bounding_box()
    assert box and 0 <= box["y"] < DESKTOP["height"]


def test_the_documents_page_and_asking_within_one_document(page):
    page.goto("/sources")
    rows = page.locator("table.documents tbody tr")
    assert rows.count() == 5
    assert all(w in rows.first.inner_text() for w in ("words", "passage"))
    shot(page, "documents")
    title = rows.first.locator("th a").inner_text()
    rows.first.get_by_role("link", name=re.compile("^Ask about this document")).click()
    page.wait_for_url("**/?source=*")
    chip = page.locator(".chip")
    assert title in chip.inner_text()
    ask(page, "What does this briefing say about prevention?", 1)
    captions = page.locator("#turn-1 .cite-full cite").all_text_contents()
    assert captions and all(title in c for c in captions), "every quote comes from that document"
    page.get_by_role("link", name=re.compile("^Remove the source filter")).click()
    page.wait_for_load_state()
    assert page.locator(".chip").count() == 0 and page.locator(".turn").count() == 1


def test_filters_in_the_chat_carry_over_to_follow_ups(page):
    page.goto("/")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Publisher").select_option("NHS Providers")
    ask(page, "What do they say about funding?", 1)
    publishers = page.locator("#turn-1 .cite-full cite").all_text_contents()
    assert publishers and all(p.startswith("NHS Providers") for p in publishers)
    ask(page, "And about prevention?", 2)
    publishers = page.locator("#turn-2 .cite-full cite").all_text_contents()
    assert all(p.startswith("NHS Providers") for p in publishers)
    assert parse_qs(urlsplit(page.url).query)["publisher"] == ["NHS Providers"]
    # New filters apply to the whole conversation: it is asked again under them.
    page.get_by_label("Publisher").select_option("BMA")
    page.locator("#question").fill("And the workforce?")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_url("**#turn-3")
    assert page.locator(".turn").count() == 3 and "BMA" in page.locator(".chip").inner_text()
    publishers = page.locator(".turn .cite-full cite").all_text_contents()
    assert publishers and all(p.startswith("BMA") for p in publishers)


def test_filters_in_force_read_as_one_line_while_folded(browser, server):
    # Issue 26: open filters took 270 of 900 px; in force, they stay folded as one line (and as chips above).
    for size in (DESKTOP, PHONE):
        pg = open_page(browser, server, size)
        pg.goto("/?publisher=NHS+Providers&actor=BMA&q=" + PREVENTION.replace(" ", "+"))
        summary = pg.locator("#ask details.filters summary")
        assert pg.locator("#ask details.filters").get_attribute("open") is None
        assert summary.inner_text() == "Filters: NHS Providers · BMA"
        assert summary.bounding_box()["height"] <= 48, "one line"
        assert pg.locator("#ask").bounding_box()["height"] < 0.2 * size["height"]
        summary.click()
        pg.locator("#ask select[name=actor]").select_option("")
        summary.click()
        assert summary.inner_text() == "Filters: NHS Providers"
        shot(pg, "filters-folded")
        pg.context.close()
        assert not pg.js_errors


def test_chat_works_without_javascript_and_lands_on_the_new_answer(browser, server):
    pg = open_page(browser, server, java_script_enabled=False)
    pg.goto("/")
    assert "Press Enter" not in pg.locator("#question-help").inner_text()
    pg.get_by_label("Your question").fill(PREVENTION)
    pg.get_by_role("button", name="Ask", exact=True).click()
    pg.wait_for_load_state()
    assert pg.locator("#turn-1 blockquote").count() >= 1
    pg.get_by_label("Ask a follow-up").fill("And the BMA?")
    pg.get_by_role("button", name="Ask", exact=True).click()
    pg.wait_for_url("**#turn-2")
    assert pg.locator(".turn").count() == 2
    assert "Read as" in pg.locator("#turn-2").inner_text()
    top = pg.locator("#turn-2").bounding_box()["y"]
    assert 0 <= top < DESKTOP["height"] / 2, "the page lands on the new answer"
    shot(pg, "chat-nojs")
    assert pg.get_by_role("link", name="New conversation").is_visible()
    pg.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_a_reader_asks_within_a_document_reads_the_quotes_and_comes_back(browser, server, size, js):
    """The whole path a reader takes, at both sizes, with and without JavaScript."""
    pg = open_page(browser, server, size, java_script_enabled=js)
    pg.goto("/sources")
    row = pg.locator("table.documents tbody tr").first
    title = row.locator("th a").inner_text()
    document = row.locator("th a").get_attribute("href")
    row.get_by_role("link", name=re.compile("^Ask about this document")).click()
    pg.wait_for_url("**/?source=*")
    ask(pg, "What does this briefing say about prevention?", 1)
    ask(pg, "And about funding?", 2)
    assert title in pg.locator(".chip").inner_text()
    for n in (1, 2):
        quotes = pg.locator(f"#turn-{n} blockquote")
        assert quotes.count() >= 1
        links = pg.locator(f"#turn-{n} a.viewsource")
        assert all(links.nth(i).get_attribute("href").startswith(document + "?") for i in range(links.count())), \
            "quotes come from that document only"
    pg.locator("#turn-2 a.viewsource").first.click()
    pg.wait_for_url("**#quote")
    assert title in pg.locator(".viewer-title").inner_text()
    pg.get_by_role("link", name="Back to the answer").click()
    pg.wait_for_url(re.compile(r"#turn-2(-q-1)?$"))
    pg.reload()
    assert pg.locator(".turn").count() == 2 and pg.locator(".chip").count() == 1
    pg.context.close()
    assert not pg.js_errors


def test_abstention_is_shown_as_such(page):
    page.goto("/")
    ask(page, "How do I renew my passport online?", 1)
    notice = page.locator("#turn-1 .abstain")
    said = notice.inner_text()
    # The refusal is said once, in bold, then why ("Nothing in them is close enough ...").
    assert said.count("do not answer") == 1 and "No answer in the sources" not in said, said
    assert notice.locator("strong").inner_text() == "The sources do not answer this question."
    assert len(said) > len("The sources do not answer this question.") + 10, said
    assert page.locator("#turn-1 blockquote").count() == 0


def test_a_misspelt_name_is_answered_as_meant_and_says_so(page):
    page.goto("/")
    ask(page, "What did the BMA say about the Hewit Review?", 1)
    expect(page.locator("#turn-1 .note")).to_contain_text("Read “Hewit” as “Hewitt”")
    expect(page.locator("#turn-1 .readas")).to_contain_text("What did the BMA say about the Hewitt Review?")
    assert page.locator("#turn-1 .quote").count() >= 1 and page.locator("#turn-1 .abstain").count() == 0
    shot(page, "suggestion")


def test_a_quote_that_runs_into_the_next_paragraph_shows_the_break(page):
    page.goto("/")
    ask(page, "Who is the chief executive of NHS Providers?", 1)
    first = page.locator("#turn-1 blockquote").first
    expect(first).to_contain_text("said:")
    text = first.inner_text()
    assert "said:\n" in text and "Ministers" in text.split("said:")[1]  # the break is shown, not collapsed
    # asked what he said, his quoted words lead, not the line introducing them: NHS Providers' position,
    # tagged with him as the one who speaks
    ask(page, "What did Sir Julian Hartley say about the government response?", 2)
    expect(page.locator("#turn-2 .tag.speaker").first).to_have_text("Julian Hartley")
    expect(page.locator("#turn-2 blockquote").first).not_to_contain_text("said:")


def test_a_comparison_names_the_actor_who_is_silent(page):
    page.goto("/")
    ask(page, "Compare the BMA and the CQC on HARPs.", 1)
    turn = page.locator("#turn-1")
    assert "no statement by CQC" in turn.locator(".note").inner_text()
    assert "BMA" in turn.locator("figcaption").first.inner_text()


def test_empty_question_is_refused_in_place(page):
    page.goto("/")
    page.get_by_role("button", name="Ask", exact=True).click()
    error = page.locator("#question-error")
    error.wait_for(state="visible")
    assert "type a question" in error.inner_text()
    assert page.locator(".turn").count() == 0


def test_example_questions_are_made_from_the_corpus_and_answered(page):
    page.goto("/")
    examples = page.locator(".examples a")
    assert examples.count() >= 2
    shot(page, "chat-empty")
    examples.first.click()
    page.wait_for_url("**#turn-1")
    assert page.locator("#turn-1 blockquote").count() >= 1


def test_a_repeated_question_says_it_came_from_the_cache(page):
    page.goto("/")
    ask(page, PREVENTION, 1)
    page.goto("/")
    ask(page, PREVENTION, 1)
    took = page.locator("#turn-1 .took").inner_text()
    assert "from the cache" in took and " 0 ms" not in took


CONTROLS = ("header a, nav a, button, select, summary, textarea, input, .actions a, .took a, .tools a, "
            ".chip-remove, .examples a, .documents a, .viewer-nav a")


def small_targets(page) -> list[str]:
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(e => e.offsetParent !== null && !e.closest('.skip'))
        .map(e => [e.textContent.trim().slice(0, 30) || e.tagName, e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([t, r]) => `${t} ${Math.round(r.width)}x${Math.round(r.height)}`)""", CONTROLS)


def test_on_a_phone_targets_are_large_citations_compact_and_the_question_box_in_reach(phone):
    phone.goto("/")
    ask(phone, BUYOUT, 1)
    ask(phone, "And NHS Providers?", 2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    box = phone.locator("#question").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], "the question box is on screen"
    figure = phone.locator("#turn-1 figcaption").first
    assert figure.locator(".cite-short").is_visible() and not figure.locator(".cite-full").is_visible()
    # a short title tells a publisher's documents apart; the whole one is in the viewer
    short = figure.locator(".cite-short").inner_text()
    full = figure.locator(".cite-full cite").inner_text()
    title = re.search(r"“([^”]*)”", short).group(1)
    assert title.rstrip("…") in full and len(title.split()) <= 6
    shot(phone, "chat")
    assert small_targets(phone) == []
    phone.locator("#turn-1 a.viewsource").first.click()
    phone.wait_for_url("**#quote")
    assert small_targets(phone) == []
    shot(phone, "viewer")
    for path in ("/sources", "/positions?topic=the+1%25+prevention+shift", "/positions", "/"):
        phone.goto(path)
        assert small_targets(phone) == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        shot(phone, {"/sources": "documents", "/": "chat-empty", "/positions": "positions-topics"}.get(path, "positions"))


def test_on_a_desktop_the_question_form_never_hides_the_focused_link(page):
    page.goto("/")
    ask(page, BUYOUT, 1)
    ask(page, PREVENTION, 2)
    page.locator("#turn-1 .question").click()
    hidden = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
            const f = document.getElementById('ask').getBoundingClientRect();
            return {inForm: !!e.closest('#ask'), bottom: r.bottom, top: r.top, formTop: f.top, text: e.textContent.trim().slice(0, 20)}; }""")
        if focused["inForm"]:
            break
        if focused["bottom"] > focused["formTop"] + 1 or focused["top"] < 0:
            hidden.append(focused)
    assert hidden == []


def test_stance_colours_match_and_dark_mode_follows_the_system(browser, server):
    pg = open_page(browser, server)
    pg.goto("/")
    ask(pg, PREVENTION, 1)
    chat = pg.evaluate("""() => { const t = document.querySelector('#turn-1 .stance');
        return [t.textContent.trim(), getComputedStyle(t).backgroundColor]; }""")
    pg.goto("/positions?topic=" + "the 1% prevention shift")
    table = pg.evaluate("""(stance) => { const t = [...document.querySelectorAll('.positions .stance')]
        .find(e => e.textContent.trim() === stance) || document.querySelector('.stance-' + stance);
        if (t) return getComputedStyle(t).backgroundColor;
        const probe = document.createElement('span'); probe.className = 'tag stance stance-' + stance;
        document.body.append(probe); return getComputedStyle(probe).backgroundColor; }""", chat[0])
    assert table == chat[1]
    pg.context.close()
    dark = open_page(browser, server, color_scheme="dark")
    dark.goto("/")
    rgb = [int(x) for x in re.findall(r"\d+", dark.evaluate("getComputedStyle(document.body).backgroundColor"))[:3]]
    assert sum(rgb) / 3 < 60, rgb
    shot(dark, "chat-dark")
    dark.context.close()


def test_positions_view_from_an_answer(page):
    page.goto("/")
    ask(page, PREVENTION, 1)
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
    # actors sorted by their stance: those for it, then the qualified, then those against, then the rest
    from assistant.answering.present import STANCE_ORDER

    stances = [rows.nth(i).locator(".stance").inner_text() for i in range(rows.count())]
    assert stances == sorted(stances, key=STANCE_ORDER.index)
    shot(page, "positions")


def test_who_said_what_opens_on_topics_and_gives_a_summary_dates_and_exports(page):
    # Issue 26: without a topic the page offers the corpus's topics and who states positions; with one, a
    # summary of stances first, the actors found saying nothing named, a date on every quote, one passage
    # under one actor, and exports with citations.
    page.goto("/positions")
    topics = page.locator(".topics a")
    assert topics.count() >= 3
    overview = page.locator(".overview li strong")
    assert overview.count() >= 3 and "BMA" in [overview.nth(i).inner_text() for i in range(overview.count())]
    shot(page, "positions-topics")
    first = topics.first.inner_text()
    topics.first.click()
    page.wait_for_url("**/positions?topic=*")
    assert page.locator("#topic").input_value() == first
    links = page.locator(".stance-summary a")
    assert links.count() >= 1
    for i in range(links.count()):  # each actor in the summary leads to their row
        row = page.locator(links.nth(i).get_attribute("href"))
        assert row.locator("th").inner_text() == links.nth(i).inner_text()
    figures = page.locator(".positions figure")
    assert figures.count() >= 1 and all(figures.nth(i).locator("time").count() == 1 for i in range(figures.count()))
    spans = page.evaluate("""() => [...document.querySelectorAll('.positions blockquote')].map(b => b.cite)""")
    assert len(spans) == len(set(spans))
    shot(page, "positions-summary")
    base = page.url.split("/positions")[0]
    for kind in ("Markdown", "CSV"):
        got = page.request.get(base + page.get_by_role("link", name=kind).get_attribute("href"))
        assert got.ok and len(got.text().splitlines()) > 2, kind


def test_quotes_after_the_first_three_fold_and_a_link_to_one_unfolds_it(browser, server):
    # Issue 26: two answers on a phone were about 4,900 px: quotes past the third fold behind "Show n more",
    # with or without JavaScript, and a link to a folded quote (the viewer's way back) opens the fold.
    for js in (True, False):
        pg = open_page(browser, server, PHONE, java_script_enabled=js)
        pg.goto("/?q=" + "Who welcomed fewer national targets?".replace(" ", "+"))
        quotes = pg.locator("#turn-1 li.quote")
        assert quotes.count() >= 4
        more = pg.locator("#turn-1 details.more")
        assert more.locator("summary").inner_text() == f"Show {quotes.count() - 3} more quote{'s' if quotes.count() > 4 else ''}"
        assert quotes.nth(2).is_visible() and not quotes.nth(3).is_visible()
        more.locator("summary").click()
        assert quotes.nth(3).is_visible()
        if js:
            pg.goto(pg.url.split("#")[0] + "#turn-1-q-4")  # as "Back to the answer" from quote 4 goes
            pg.reload()
            assert quotes.nth(3).is_visible()
            shot(pg, "folded")
        pg.context.close()
        assert not pg.js_errors


def test_who_said_what_works_without_javascript(browser, server):
    pg = open_page(browser, server, java_script_enabled=False)
    pg.goto("/positions")
    pg.locator(".topics a").first.click()
    pg.wait_for_url("**/positions?topic=*")
    assert pg.locator(".stance-summary li").count() >= 1 and pg.locator("table.positions tbody tr").count() >= 1
    pg.locator("#topic").fill("fewer national targets")
    pg.get_by_role("button", name="Compare").click()
    pg.wait_for_url("**topic=fewer+national+targets")
    assert "fewer national targets" in pg.locator("#summary-title").inner_text()
    got = pg.request.get(pg.get_by_role("link", name="CSV").get_attribute("href"))
    assert got.ok and got.text().startswith("topic,actor,stance,quote")
    pg.context.close()


def test_a_line_of_who_holds_what_links_to_their_quotes(page):
    # Issue 24: one line per actor above the quotes ("BMA: against · NHS Providers: cautious"), each link
    # going to that actor's first quote.
    page.goto("/")
    ask(page, "Compare the BMA and NHS Providers on fewer national targets.", 1)
    line = page.locator("#turn-1 .stances")
    links = line.get_by_role("link")
    assert links.count() >= 2
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    assert any(t.startswith("BMA: ") for t in texts) and any(t.startswith("NHS Providers: ") for t in texts)
    for i, t in enumerate(texts):
        actor = t.split(": ")[0]
        target = links.nth(i).get_attribute("href")
        quote = page.locator(target)
        assert quote.count() == 1 and actor in quote.locator(".tag.actor").inner_text()
    shot(page, "stance-line")
    links.nth(1).click()
    page.wait_for_url(f"**{links.nth(1).get_attribute('href')}")


def test_api_docs_render_offline(page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 6
    assert all(u.startswith(page.url.split("/docs")[0]) or u.startswith("data:") for u in requests), requests


# -- accessibility: axe-core on every page ---------------------------------------------------------

PAGES = {
    "chat-empty": "/",
    "chat-answer": "/?q=" + BUYOUT.replace(" ", "+") + "&q=And+NHS+Providers%3F",
    "chat-abstain": "/?q=How+do+I+renew+my+passport%3F",
    "viewer": None,  # a quote's link, found on the answer page
    "positions": "/positions?topic=the+1%25+prevention+shift",
    "positions-topics": "/positions",
    "documents": "/sources",
    "error": "/sources/no-such-document",
}


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, server, size, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pg = open_page(browser, server, size, color_scheme=scheme)
    report = {}
    for name, path in PAGES.items():
        if path is None:
            pg.goto(PAGES["chat-answer"])
            path = pg.locator("a.viewsource").first.get_attribute("href")
        pg.goto(path)
        pg.wait_for_load_state()
        violations = axe.run(pg).response["violations"]
        report[name] = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
                         "where": [n["target"] for n in v["nodes"][:3]]} for v in violations]
    OUT.mkdir(exist_ok=True)
    (OUT / f"axe-{scheme}-{size['width']}.json").write_text(json.dumps(report, indent=1))
    bad = {name: [v for v in vs if v["impact"] in ("serious", "critical")] for name, vs in report.items()}
    assert not any(bad.values()), bad
    pg.context.close()


def test_the_accessibility_check_finds_a_known_violation(browser, server):
    """The axe run above can fail: on a page with an unlabelled image and an unlabelled field it reports them."""
    from axe_playwright_python.sync_playwright import Axe

    pg = open_page(browser, server)
    pg.set_content('<html lang="en"><body><main><img src="x.png"><input type="text"></main></body></html>')
    found = {v["id"]: v["impact"] for v in Axe().run(pg).response["violations"]}
    assert found.get("image-alt") == "critical" and "label" in found
    pg.context.close()


def test_a_sixteen_turn_conversation_typed_into_the_page(browser, server):
    """A conversation typed turn by turn (tests/data/conversation16.json): after every turn the URL holds
    the questions in the order asked; every turn the sources do not answer is refused; the first quote
    is by one of the expected actors on at least 0.85 of the others (the issue's bar for a typed conversation)."""
    script = json.loads((Path(__file__).parent / "data" / "conversation16.json").read_text(encoding="utf-8"))["turns"]
    pg = open_page(browser, server)
    pg.goto("/")
    right, answerable, wrong = 0, 0, []
    for i, turn in enumerate(script, 1):
        ask(pg, turn["question"], i)
        assert asked_in(pg.url) == [t["question"] for t in script[:i]], f"the URL after turn {i}"
        box = pg.locator(f"#turn-{i}")
        if turn["actors"] is None:
            assert box.locator(".abstain").count() == 1, f"turn {i} should be refused: {turn['question']}"
            continue
        answerable += 1
        first = box.locator("figcaption .tag.actor").first
        actor = first.inner_text() if box.locator("figcaption .tag.actor").count() else None
        if actor in turn["actors"]:
            right += 1
        else:
            wrong.append((i, turn["question"], actor))
    assert right / answerable >= 0.85, wrong
    pg.reload()
    assert pg.locator(".turn").count() == len(script)
    pg.context.close()
    assert not pg.js_errors


def test_after_an_answer_the_keyboard_is_back_in_the_question_box_and_the_answer_is_announced(page):
    page.goto("/")
    ask(page, BUYOUT, 1)
    expect(page.locator("#question")).to_be_focused()
    expect(page.locator("#announce")).to_contain_text("Answer added: ")  # to a screen reader
    assert "quote" in page.locator("#announce").text_content()
    assert page.locator("#status").inner_text() == ""  # nothing crowds the form
    # Typed straight on, with no click: the keys go to the question box.
    page.keyboard.type("How do I renew my passport online?")
    page.keyboard.press("Enter")
    page.locator("#turn-2 .abstain").wait_for()
    expect(page.locator("#question")).to_be_focused()
    expect(page.locator("#announce")).to_contain_text("The sources do not answer this question.")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_long_paste_is_counted_not_cut(browser, server, device):
    pg = open_page(browser, server, PHONE if device == "phone" else DESKTOP)
    try:
        pg.goto("/")
        count = pg.locator("#question-count")
        pg.locator("#question").fill("x" * 500)
        expect(count).to_be_hidden()  # far from the limit: no counter
        pg.locator("#question").fill("What does the BMA think of the GP buy-out fund? " * 25)  # 1,199 after trimming
        assert len(pg.locator("#question").input_value()) == 1200  # nothing cut
        expect(count).to_be_visible()
        expect(count).to_have_text("1,199 of 1,000 characters: 199 too many.")
        pg.get_by_role("button", name="Ask", exact=True).click()
        expect(pg.locator("#question-error")).to_have_text(
            "Your question is 1,199 characters; the limit is 1,000. Shorten it to ask.")
        assert pg.locator(".turn").count() == 0
        pg.locator("#question").fill("What does the BMA think of the GP buy-out fund? " * 20)  # 959: near the limit
        expect(count).to_have_text("959 of 1,000 characters.")
        pg.screenshot(path=str(OUT / f"counter-{device}.png"))
    finally:
        pg.context.close()
    assert not pg.js_errors, f"JavaScript errors: {pg.js_errors}"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_arriving_the_page_says_what_is_loaded_and_asks_as_a_person_would(browser, server, size):
    pg = open_page(browser, server, size)
    try:
        pg.goto("/")
        loaded = pg.locator("#loaded")
        expect(loaded).to_be_visible()  # on a phone too, where the intro line is hidden
        publishers = {s["publisher"] for s in pg.request.get("/api/sources").json() if s["publisher"]}
        assert publishers and all(p in loaded.inner_text() for p in publishers), loaded.inner_text()
        assert re.search(r"^\d+ documents loaded, from .+, dated \d{4}", loaded.inner_text())
        examples = pg.locator(".examples a").all_inner_texts()
        assert examples and all(q.startswith("What does ") for q in examples)
        assert not any(re.match(r"What does [A-Z]{2,5} say", q) for q in examples), examples  # "the BMA"
        pg.screenshot(path=str(OUT / f"arrival-{'phone' if size is PHONE else 'desktop'}.png"), full_page=True)
    finally:
        pg.context.close()
    assert not pg.js_errors
