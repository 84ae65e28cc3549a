"""The one settings object, read from ASSISTANT_* environment variables and CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_MODEL = "all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Built once where the program starts and passed explicitly to whatever needs it."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", frozen=True, extra="ignore")

    sources_dir: Path = Field(Path("sources"), description="Folder of source documents to index.")
    index_dir: Path = Field(Path("index"), description="Folder the built index is written to and read from.")
    model: str = Field(
        BUNDLED_MODEL,
        description="Embedding model: the bundled all-MiniLM-L6-v2, a local sentence-transformers folder, "
        "or a model name already in the local Hugging Face cache (nothing is downloaded).",
    )
    actors_file: Path | None = Field(
        None,
        description="Aliases and merges of actors (JSON) added to the cast found in the sources themselves; "
        "defaults to actors.json in the sources folder when present.",
    )
    milvus_uri: str | None = Field(
        None, description="Keep the index's vectors and BM25 postings in Milvus instead of files in the index folder: "
        "a file path runs Milvus Lite inside the process (a development engine: small corpora and tests), "
        "http://host:19530 reaches a Milvus standalone or cluster. Needs the `scale` extra (pymilvus, milvus-lite).")
    milvus_token: str | None = Field(None, description="Credentials for the Milvus server (`user:password` or "
                                           "an API key); never written to the index or the logs.")
    milvus_prefix: str = Field("assistant", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$",
                               description="Start of the names of this index's Milvus collections and aliases "
                               "(several corpora can share one Milvus).")
    runtime: Literal["auto", "onnx", "onnx-int8", "torch"] = Field(
        "auto",
        description="How the model runs. `auto`: its ONNX export (made once with torch, checked against "
        "sentence-transformers), quantised to int8 per channel when its vectors stay within cosine 0.97 of the "
        "exact ones, builds the index and encodes questions (about 2x the speed of the exact export, and on "
        "twelve question sets the same figures within a question or two per set); else the exact export; "
        "without an export, sentence-transformers. An index already built with exact vectors is served as it "
        "is. `onnx`: exact everywhere; `onnx-int8`: int8 even where the check fails; `torch`: "
        "sentence-transformers.",
    )
    batching: bool = Field(True, description="Encode concurrent questions together in one model call (server "
                           "only; applies to batch-invariant models: exact ones, not int8).")
    answer_threads: int = Field(
        2, ge=1, le=64,
        description="Questions the server answers at once; more wait in line, first come first served. "
        "Most of an answer is Python under one interpreter lock: with two threads one encodes its question "
        "(outside the lock) while the other runs its Python, and more only queue on the lock (2 cores, 32 "
        "clients: 332 answers/s with 2 against 273 with 4, p99 152 against 183 ms; bench/README.md).")
    workers: int = Field(
        1, ge=1, le=32,
        description="Server processes answering on the one port (`serve --workers N`): most of an answer is Python "
        "under one interpreter lock, so on N cores N processes answer up to N times as many questions at once. "
        "Each holds its own copy of the index in memory; uploads and watch need 1 (one process changes the index).")
    cache_size: int = Field(1024, ge=0, description="Answers kept for repeated questions (0 turns the cache off).")
    top_k: int = Field(5, ge=1, le=20, description="Quotes returned per answer unless the request says otherwise.")
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted, in characters.")
    max_source_mb: float = Field(50.0, gt=0, description="Source files larger than this are skipped and reported.")
    api_key: str | None = Field(
        None, description="When set, every /api/* request must send it as `Authorization: Bearer <key>` or `X-API-Key`.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser (CORS is off when empty).")
    max_body_kb: int = Field(64, ge=1, description="Largest request body accepted, in KiB (larger: 413).")
    uploads: bool = Field(
        False, description="Let users add, replace and remove documents from the web page and the API while the "
        "server runs. Off by default: anyone who can reach the server could then change what it answers from "
        "(set ASSISTANT_API_KEY too when others can reach it).")
    max_upload_pages: int = Field(500, ge=1, description="Longest PDF accepted as an upload, in pages.")
    watch: bool = Field(False, description="`assistant serve --watch`: files dropped into the sources folder are "
                        "indexed and swapped in while the server runs.")
    host: str = Field("127.0.0.1", description="Address `assistant serve` binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port `assistant serve` listens on.")

    def actors_path(self) -> Path | None:
        if self.actors_file is not None:
            return self.actors_file
        candidate = self.sources_dir / "actors.json"
        return candidate if candidate.exists() else None
