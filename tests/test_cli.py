"""The command line, in process, on the tiny corpus and the seed corpus."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("index", "ask", "eval", "serve"):
        assert cmd in out


def test_bad_settings_and_missing_files_are_one_line_errors(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "nope.jsonl"), "--index", str(tmp_path / "i")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "nope.jsonl" in err and "Traceback" not in err


def test_invalid_setting_from_the_environment_is_named(monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_TOP_K", "500")
    assert main(["index", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "top_k" in err and "Traceback" not in err


@pytest.mark.e2e
def test_index_ask_and_eval_on_a_fresh_corpus(tmp_path, capsys):
    from pathlib import Path
    import shutil

    src = tmp_path / "sources"
    shutil.copytree(Path(__file__).parent / "fixtures" / "corpus", src)
    (src / "junk.bin.txt").write_bytes(b"\x00\x01binary")
    args = ["--sources", str(src), "--index", str(tmp_path / "index")]
    assert main(["index", "--quiet", *args]) == 0
    out = capsys.readouterr().out
    assert "indexed 2 documents" in out and "junk.bin.txt: binary" in out

    assert main(["ask", "What does the Beta Council think of the widget fund decision?", "--json", *args]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered"] and answer["quotes"]
    assert answer["quotes"][0]["source_id"] == "beta-response"

    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "a", "turns": ["Who rejected the widget fund?"]}) + "\n")
    out_file = tmp_path / "results.jsonl"
    assert main(["eval", str(questions), "--out", str(out_file), *args]) == 0
    [row] = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert row["id"] == "a" and "answered" in row and isinstance(row["results"], list)


def test_every_setting_is_documented_in_the_readme():
    from pathlib import Path

    from assistant.settings import Settings

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"`ASSISTANT_{name.upper()}`" in readme, name


@pytest.mark.parametrize("flags,problem", [
    (["--workers", "2", "--uploads"], "needs uploads and watch off"),
    (["--workers", "2", "--watch"], "needs uploads and watch off"),
    (["--workers", "0"], "workers"),
    (["--workers", "2", "MILVUS_LITE"], "cannot share a Milvus Lite file"),
])
def test_serve_refuses_workers_it_cannot_run_in_one_line(tmp_path, capsys, monkeypatch, flags, problem):
    if "MILVUS_LITE" in flags:
        flags = [f for f in flags if f != "MILVUS_LITE"]
        monkeypatch.setenv("ASSISTANT_MILVUS_URI", str(tmp_path / "store.db"))
    assert main(["serve", "--sources", str(tmp_path / "s"), "--index", str(tmp_path / "i"), *flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and problem in err and "Traceback" not in err
    assert not (tmp_path / "i").exists()  # refused before anything was built
