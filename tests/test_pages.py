"""The HTML pages in process, on the tiny corpus: conversations in the URL, filters, the documents
list, the viewer's answer navigation, copy texts and the Markdown export. (The browser tests in
test_web.py drive the same pages in chromium on the seed corpus.)"""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from assistant.answering.answer import open_assistant
from assistant.web.app import create_app
from assistant.answering.conversation import MAX_TURNS, Conversation, scope_of
from assistant.answering.examples import as_topic, example_questions

FUND = "What does Beta Council think of the widget fund decision?"


@pytest.fixture
def assistant(tiny_settings, fake_embedder):
    return open_assistant(tiny_settings, embedder=fake_embedder, log=lambda m: None)


@pytest.fixture
def client(tiny_settings, assistant):
    with TestClient(create_app(tiny_settings, assistant), raise_server_exceptions=False) as c:
        yield c


def quotes_in(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<blockquote[^>]*><p>(.*?)</p></blockquote>", page, re.DOTALL)]


def test_a_conversation_round_trips_through_its_url():
    conv = Conversation(("First?", "And second?"), publisher="Beta Council", actor="Alpha")
    url = conv.url(turn=1)
    parts = urlsplit(url)
    assert parts.fragment == "turn-1"
    again = Conversation.from_params(_multi(parse_qs(parts.query)))
    assert again == Conversation(("First?",), publisher="Beta Council", actor="Alpha")
    long = Conversation(tuple(f"q{i}?" for i in range(MAX_TURNS))).asking("last?")
    assert len(long.questions) == MAX_TURNS and long.questions[-1] == "last?" and long.questions[0] == "q1?"


class _multi(dict):
    def getlist(self, key):
        return self.get(key, [])

    def get(self, key, default=None):  # parse_qs gives lists; filters are single values
        value = dict.get(self, key, default)
        return value[0] if isinstance(value, list) and key != "q" else value


def test_filters_resolve_to_sources_and_actors_and_unknown_ones_are_reported(assistant):
    docs = assistant.index.documents
    canonical = assistant.actors.canonical
    s = scope_of(Conversation(publisher="Beta Council"), docs, canonical)
    assert s.sources == ("beta-response",) and s.labels == {"publisher": "Beta Council"} and not s.dropped
    s = scope_of(Conversation(source="alpha", publisher="Beta Council"), docs, canonical)
    assert s.sources == ("alpha",) and "publisher" not in s.labels and s.dropped  # a contradiction is said
    s = scope_of(Conversation(source="nope", actor="Nobody Known"), docs, canonical)
    assert s.sources == () and s.actors == () and len(s.dropped) == 2


def test_the_chat_page_shows_the_conversation_its_url_holds(client):
    r = client.get("/", params=[("q", FUND), ("q", "And Alpha Health Trust?")])
    assert r.status_code == 200
    assert 'id="turn-1"' in r.text and 'id="turn-2"' in r.text
    assert html.escape(FUND, quote=False) in r.text or FUND.replace("'", "&#39;") in r.text
    # the permalink of turn 1 holds only its question
    link = html.unescape(re.search(r'class="permalink" href="([^"]+)"', r.text).group(1))
    assert parse_qs(urlsplit(link).query)["q"] == [FUND] and link.endswith("#turn-1")


def test_the_no_js_form_redirects_to_the_new_answer(client):
    r = client.post("/", data={"history": FUND, "question": "And Alpha Health Trust?", "publisher": ""},
                    follow_redirects=False)
    assert r.status_code == 303
    target = r.headers["location"]
    assert target.endswith("#turn-2")
    assert parse_qs(urlsplit(target).query)["q"] == [FUND, "And Alpha Health Trust?"]
    page = client.get(target)
    assert 'id="turn-2"' in page.text


def test_the_no_js_form_refuses_an_empty_question_and_keeps_the_conversation(client):
    r = client.post("/", data={"history": FUND, "question": "   "})
    assert r.status_code == 422
    assert "Your question is empty" in r.text and 'id="turn-1"' in r.text
    assert "Select Ask to send" in r.text and "Press Enter" not in r.text  # the hint matches the no-JS path


def test_a_publisher_filter_limits_quotes_and_shows_a_removable_chip(client, assistant):
    r = client.get("/", params={"q": "What is said about the widget fund?", "publisher": "Beta Council"})
    quotes = quotes_in(r.text)
    assert quotes, "the filtered question is answered"
    beta = assistant.index.documents["beta-response"].text
    assert all(q in beta for q in quotes)
    chip = re.search(r'class="chip-remove" href="([^"]+)"', r.text)
    assert chip and "publisher" not in html.unescape(chip.group(1))
    assert 'option value="Beta Council" selected' in r.text  # the form carries the filter to follow-ups


def test_an_unknown_filter_is_named_not_silently_applied(client):
    r = client.get("/", params={"q": FUND, "source": "no-such-doc"})
    assert r.status_code == 200 and "no-such-doc" in html.unescape(r.text) and "is ignored" in r.text


def test_the_documents_page_lists_every_source_with_a_way_to_ask_within_it(client, assistant):
    r = client.get("/sources")
    assert r.status_code == 200
    for d in assistant.index.documents.values():
        assert f'href="/sources/{d.id}"' in r.text and html.escape(d.title) in r.text
        assert f'href="/?source={d.id}"' in r.text
    assert "Beta Council" in r.text and "2024-03" in r.text and "words" in r.text and "passage" in r.text


def test_the_viewer_steps_through_an_answers_quotes_and_links_back(client):
    answer = client.post("/api/answer", json={"question": FUND, "top_k": 3}).json()
    assert len(answer["quotes"]) >= 2
    page = client.get("/", params={"q": FUND}).text
    links = [html.unescape(u) for u in re.findall(r'class="viewsource" href="([^"]+)"', page)]
    second = client.get(links[1])
    assert "Quote 2 of" in second.text and "Back to the answer" in second.text
    prev = html.unescape(re.search(r'class="prev" href="([^"]+)"', second.text).group(1))
    first = client.get(prev)
    assert "Quote 1 of" in first.text and 'class="prev"' not in first.text
    back = html.unescape(re.search(r'class="back" href="([^"]+)"', second.text).group(1))
    assert back.startswith("/?q=") and back.endswith("#turn-1-q-2")  # the quote left from
    assert 'id="turn-1-q-2"' in client.get(back.split("#")[0]).text
    assert html.unescape(re.search(r'class="back" href="([^"]+)"', first.text).group(1)).endswith("#turn-1-q-1")
    assert "paragraph" in second.text.lower()  # the place is said as a reader counts it


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil"])
def test_the_viewer_never_links_back_off_site(client, back):
    text = client.get("/api/sources/alpha").json()["text"]
    r = client.get("/sources/alpha", params={"start": 0, "end": 10, "back": back})
    assert r.status_code == 200 and "Back to the answer" not in r.text
    assert len(text) > 10


def test_copy_texts_and_the_export_quote_verbatim_with_their_citation(client):
    page = client.get("/", params={"q": FUND}).text
    plain = [html.unescape(t) for t in re.findall(r'data-copy-text="([^"]*)"', page)]
    marked = [html.unescape(t) for t in re.findall(r'data-copy-md="([^"]*)"', page)]
    quotes = quotes_in(page)
    assert plain and len(plain) == len(quotes) == len(marked)
    for text, md, q in zip(plain, marked, quotes):
        assert text.startswith(f"“{q}”") and "http://testserver/sources/" in text
        assert "Beta Council" in text or "Alpha Health Trust" in text
        assert md.startswith("> ") and "](http://testserver/sources/" in md
    export = client.get("/export.md", params={"q": FUND})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/markdown")
    assert "attachment" in export.headers["content-disposition"]
    assert f"## 1. {FUND}" in export.text
    cited = re.findall(r"\[[^\]]+\]\(http://testserver/sources/([^?]+)\?([^)#]+)", export.text)
    assert len(cited) == len(quotes)
    for (source_id, query), q in zip(cited, quotes):
        where = parse_qs(query)
        text = client.get(f"/api/sources/{source_id}").json()["text"]
        assert text[int(where["start"][0]):int(where["end"][0])] == q
        assert f"> {q.split()[0]}" in export.text
    # the line of who holds what, as the page shows it above the quotes
    shown = re.search(r'<p class="stances">(.*?)</p>', page, re.S)
    if shown:
        words = [html.unescape(w) for w in re.findall(r'<a [^>]*>([^<]*)</a>', shown.group(1))]
        assert "Who holds what: " + " · ".join(words) in export.text
    else:
        assert "Who holds what" not in export.text


def test_example_questions_come_from_the_corpus_and_are_answered(assistant):
    examples = example_questions(assistant)
    for q in examples:
        a = assistant.ask(q)
        assert a.answered and a.quotes[0].actor and a.quotes[0].actor in q
    assert as_topic("Theme 6: Finance and funding") == "finance and funding"
    assert as_topic("NHS capital") == "NHS capital" and as_topic("What next?") == ""


def test_the_question_box_follows_the_length_setting(tiny_settings, fake_embedder):
    settings = tiny_settings.model_copy(update={"max_question_chars": 2500})
    assistant = open_assistant(settings, embedder=fake_embedder, log=lambda m: None)
    with TestClient(create_app(settings, assistant)) as c:
        page = c.get("/").text
    assert 'data-max="2500"' in page and "Up to 2,500 characters" in page
    assert "maxlength" not in page.split('id="question"')[1].split(">")[0]  # a long paste is not cut


def test_without_javascript_a_question_over_the_limit_is_kept_and_measured(client):
    long = "What does the BMA think of the GP buy-out fund? " * 25
    r = client.post("/", data={"question": long})
    assert r.status_code == 422
    assert f"is {len(long.strip())} characters; the limit is" in r.text
    assert long.strip()[:200] in r.text  # the draft is given back whole


def test_a_cached_answer_says_so(client):
    client.get("/", params={"q": FUND})
    again = client.get("/", params={"q": FUND}).text
    assert "from the cache" in again and " 0 ms" not in again


def test_the_line_of_who_holds_what_takes_each_actors_closest_stated_stance():
    # Issue 24: "BMA: against · NHS Providers: cautious"; an actor's description does not outvote their stated
    # stance, and the link goes to the quote that states it; far quotes and a line of descriptions say nothing.
    from assistant.answering.present import stance_line
    from assistant.answering.quotes import Quote

    def q(actor, stance, close=True):
        return Quote("t", 0, 1, "t", 0, 1, "s", "T", "P", "", "", 1.0, actor, stance, 0, close=close)

    got = stance_line([q("Guild", "describes"), q("Council", "concerned"), q("Guild", "opposes"),
                       q("Guild", "supports"), q("Union", "welcomes", close=False)])
    assert got == [("Guild", "against", "opposes", 3), ("Council", "cautious", "concerned", 2)]
    assert stance_line([q("Guild", "describes"), q("Council", "describes")]) == []


def test_a_reloaded_conversation_shows_everything_the_live_turn_showed(client):
    # The page rendered from the URL (reload, a shared link, no JavaScript) includes each turn as the live
    # fragment does: the line of who holds what, and "Ask instead" for a misspelt name.
    page = client.get("/", params={"q": [FUND, "What does Beta Councel think of pensions?"]}).text
    assert page.count('class="stances"') >= 1
    assert "Ask instead" in page


def test_the_empty_chat_says_what_is_loaded(client, assistant):
    """How many documents, every publisher and the span of their dates, outside the filter menus; gone
    once a question is asked."""
    page = client.get("/").text
    loaded = page.split('id="loaded">')[1].split("</p>")[0]
    docs = assistant.index.documents.values()
    assert f"{len(docs)} documents loaded" in loaded
    assert all(d.publisher in loaded for d in docs if d.publisher)
    assert 'href="/sources"' in loaded
    assert 'id="loaded"' not in client.get("/", params={"q": FUND}).text


def test_example_questions_name_bodies_as_a_sentence_does():
    from assistant.answering.examples import as_named

    assert as_named("LGA") == "the LGA"
    assert as_named("Lantern Review") == "the Lantern Review"
    assert as_named("Treasury Committee (Commons)") == "the Treasury Committee (Commons)"
    assert as_named("Lamp Guild") == "the Lamp Guild"
    # The head noun comes before "of", "for", "and" or a comma; a one-word Parliament or Congress stays bare.
    assert as_named("Guild of Lamplighters") == "the Guild of Lamplighters"
    assert as_named("Lamp Office for Standards") == "the Lamp Office for Standards"
    assert as_named("Lamplighters Congress") == "the Lamplighters Congress"
    assert as_named("Dr Jane Roe, Lamp Council") == "Dr Jane Roe, Lamp Council"
    for bare in ("The Lamp Trust", "Rural Lamplighters", "Jane Roe", "Parliament", "Families for Lanterns"):
        assert as_named(bare) == bare


def test_who_said_what_without_a_topic_offers_topics_and_who_speaks(client, assistant):
    from assistant.web.pages import topics_of

    page = client.get("/positions")
    assert page.status_code == 200
    vocal = [a for a, n in assistant.index.summary["stated"].items() if n > 1]
    assert vocal and "Who states positions here" in page.text
    assert all(f"<li><strong>{html.escape(a)}</strong>: " in page.text for a in vocal)
    for topic in topics_of(assistant):  # every topic offered has positions to compare
        assert f">{html.escape(topic)}</a>" in page.text and assistant.positions(topic).entries


def test_who_said_what_exports_every_quote_verbatim_with_its_citation(client):
    topic = "the national widget fund"
    api = client.get("/api/positions", params={"topic": topic}).json()
    assert api["answered"] and api["positions"]
    page = client.get("/positions", params={"topic": topic}).text
    assert 'class="stance-summary"' in page and "/positions.csv?topic=the+national+widget+fund" in page
    md = client.get("/positions.md", params={"topic": topic})
    table = client.get("/positions.csv", params={"topic": topic})
    assert md.status_code == table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert len(rows) == sum(len(p["quotes"]) for p in api["positions"])
    for r in rows:
        text = client.get(f"/api/sources/{r['source_id']}").json()["text"]
        assert text[int(r["start"]):int(r["end"])] == r["quote"] and r["url"].startswith("http")
        assert f"## {r['actor']}: " in md.text and r["title"] in md.text
    for path in ("/positions.md", "/positions.csv"):
        assert client.get(path).status_code == 422
        assert client.get(path, params={"topic": "x" * 5000}).status_code == 422


def test_a_phone_citation_keeps_the_first_words_of_the_title():
    from assistant.answering.present import short_title

    assert short_title("Lamp Guild response") == "Lamp Guild response"
    assert short_title("Lamp Guild response to the consultation on winter lanterns") == "Lamp Guild response to the consultation…"
    assert short_title("") == ""


def test_a_document_without_a_publisher_is_cited_by_its_title_not_its_id():
    from assistant.answering.present import citation_markdown, citation_text, short_citation
    from assistant.answering.quotes import Quote

    q = Quote("Bees need hedges.", 0, 17, "Bees need hedges.", 0, 17, "thornbury-beekeepers-f4c43f",
              "Thornbury Beekeepers' statement", "", "2025-03-01", "", 1.0, None, None, 0)
    for line in (citation_text(q, "http://x/s"), citation_markdown(q, "http://x/s"), short_citation(q)):
        assert "Thornbury Beekeepers" in line and "f4c43f" not in line.replace("http://x/s", ""), line
    untitled = Quote("Bees.", 0, 5, "Bees.", 0, 5, "notes-1", "", "", "", "", 1.0, None, None, 0)
    assert "notes-1" in citation_text(untitled, "http://x/s") and "notes-1" in short_citation(untitled)


def test_the_summary_of_stances_puts_each_word_once():
    from assistant.answering.answer import PositionEntry
    from assistant.answering.present import stance_groups

    entries = [PositionEntry(a, s, []) for a, s in (("Guild", "supports"), ("Council", "opposes"), ("Trust", "welcomes"),
                                                     ("Board", "concerned"), ("Roe", "rejects"))]
    assert stance_groups(entries) == [("for", "supports", ["Guild", "Trust"]), ("cautious", "concerned", ["Board"]),
                                      ("against", "opposes", ["Council", "Roe"])]
