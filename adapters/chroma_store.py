"""The story index on Chroma: one collection per team, vectors computed by Earful.

A metadata filter on one big shared collection is ~80x slower than a collection per team
(MEASURED.md), and a collection per team also makes crossing teams impossible by
construction. Chroma's default embedding function downloads a model at run time, so every
call here passes its own vectors, and the collections carry an embedding function that
refuses to run.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # chromadb takes 0.5-2 s to import: only on first use, off the reply path
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

from core.errors import StoreUnavailable
from core.models import Story
from core.reading import Facet

_PREFIX = "earful_"
_SAFE_TEAM = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
# What the first naming made of a team it hashed; a team spelt like that is hashed too now.
_LEGACY_HASHED = re.compile(r"^h[0-9a-f]{32}$")
_ADD_BATCH = 4000  # below Chroma's maximum batch size (5,461 on this build)
_FACET_KEY = "facet_"


def _digest(team: str) -> str:
    return hashlib.sha256(team.encode()).hexdigest()


def collection_name(team: str, prefix: str = _PREFIX) -> str:
    """A valid Chroma collection name for ``team`` (3-512 of ``[a-zA-Z0-9._-]``), one per team.

    A plain team id (a Slack ``team_id``, ``local``) is used as it is, so its index is easy to
    find; any other team string is named by its whole SHA-256 after ``h.``. A dot never occurs in
    a plain id, so the two kinds of name cannot meet: no two teams share an index.
    """
    if _SAFE_TEAM.match(team) and not _LEGACY_HASHED.match(team):
        return f"{prefix}{team}"
    return f"{prefix}h.{_digest(team)}"


def legacy_collection_name(team: str, prefix: str = _PREFIX) -> str | None:
    """The name the first naming gave ``team`` when it differs from :func:`collection_name`:
    ``h`` and 32 hex digits of the hash, which a plain team id could also spell (so one old
    collection may hold the stories of two teams, each kept under its own ``team`` metadata)."""
    if _SAFE_TEAM.match(team) and not _LEGACY_HASHED.match(team):
        return None
    if _LEGACY_HASHED.match(team):
        return f"{prefix}{team}"
    return f"{prefix}h{_digest(team)[:32]}"


_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def remove_orphan_segments(sqlite_file: Path) -> list[str]:
    """Remove the vector segment directories beside an embedded Chroma's ``sqlite_file`` that
    its ``segments`` table no longer names: a dropped or rebuilt collection's
    ``data_level0.bin`` still holds every vector it had. Returns the names removed."""
    import shutil
    import sqlite3

    # Listed before the table is read: a segment's row exists before its directory, so a
    # directory made meanwhile (a new collection) is never taken for an orphan.
    listed = [e for e in sorted(sqlite_file.parent.iterdir()) if e.is_dir() and _SEGMENT_DIR.match(e.name)]
    with contextlib.closing(sqlite3.connect(sqlite_file, timeout=30)) as db:
        live = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
    removed = []
    for entry in listed:
        if entry.name not in live:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def open_persistent_client(path: Path) -> ClientAPI:
    """An embedded Chroma client storing under ``path``, with telemetry off."""
    import chromadb
    from chromadb.config import Settings

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(path), settings=Settings(anonymized_telemetry=False, allow_reset=True)
    )


def open_http_client(url: str) -> ClientAPI:
    """A client for a Chroma server (``chroma run``) at ``url``, with telemetry off."""
    from urllib.parse import urlparse

    import chromadb
    from chromadb.config import Settings

    parsed = urlparse(url)
    return chromadb.HttpClient(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or (443 if parsed.scheme == "https" else 8000),
        ssl=parsed.scheme == "https",
        settings=Settings(anonymized_telemetry=False),
    )


def _metadata(story: Story) -> dict[str, str | int | float | bool]:
    meta: dict[str, str | int | float | bool] = {
        "team": story.team,
        "interview_id": story.interview_id,
        "customer": story.customer,
        "question_id": story.question_id,
        "question": story.question,
        "section": story.section,
        "language": story.language,
        "channel": story.channel,
        "created_at": story.created_at.timestamp(),
    }
    if story.label is not None:
        meta["label"] = story.label
    # The evidence ledger; Chroma metadata values are scalars: one boolean key per facet.
    if story.act is not None:
        meta["act"] = story.act
    for facet in story.facets:
        meta[f"{_FACET_KEY}{facet}"] = True
    if story.spoken:
        meta["spoken"] = True
    return meta


def _vectors(vectors: Iterable[list[float]]) -> list[Sequence[float]]:
    """Vectors as Chroma's typed API takes them."""
    return list(vectors)


def _story(story_id: str, text: str, meta: dict[str, Any]) -> Story:
    return Story(
        id=story_id,
        team=str(meta["team"]),
        interview_id=str(meta["interview_id"]),
        customer=str(meta["customer"]),
        question_id=str(meta["question_id"]),
        question=str(meta.get("question", "")),
        section=str(meta["section"]),
        language=str(meta.get("language", "")),
        channel=str(meta.get("channel", "")),
        created_at=datetime.fromtimestamp(float(meta["created_at"]), UTC),
        text=text,
        label=meta.get("label"),
        act=str(meta["act"]) if meta.get("act") is not None else None,
        # In the reading's (Facet) order, whatever order the metadata keys come back in.
        facets=tuple(f.value for f in Facet if meta.get(f"{_FACET_KEY}{f.value}")),
        spoken=bool(meta.get("spoken")),
    )


def _unreachable(error: BaseException) -> bool:
    """Whether ``error`` means the Chroma server cannot be reached (a network failure in the
    HTTP client, or the client refusing to open because the server does not answer)."""
    if isinstance(error, ConnectionError | OSError):
        return True
    if type(error).__module__.startswith("httpx"):
        return True
    return isinstance(error, ValueError) and "Could not connect" in str(error)


def _where(
    section: str | None,
    since: datetime | None,
    language: str | None = None,
    act: str | None = None,
    facet: str | None = None,
) -> dict[str, Any] | None:
    conditions: list[dict[str, Any]] = []
    if section is not None:
        conditions.append({"section": section})
    if language is not None:
        conditions.append({"language": language})
    if act is not None:
        conditions.append({"act": act})
    if facet is not None:
        conditions.append({f"{_FACET_KEY}{facet}": True})
    if since is not None:
        conditions.append({"created_at": {"$gte": since.timestamp()}})
    if len(conditions) > 1:
        return {"$and": conditions}
    return conditions[0] if conditions else None


class ChromaStoryStore:
    """:class:`core.ports.StoryStore` on a Chroma client (embedded or server).

    Takes a client, or an ``opener`` that opens one on first use (so a process that never
    touches the index never pays for importing chromadb). ``prefix`` names this store's
    collections; a second index of the same stories (other vectors, e.g. multilingual ones)
    uses another prefix on the same client (see :meth:`sibling`)."""

    def __init__(
        self,
        client: ClientAPI | None = None,
        *,
        opener: Callable[[], ClientAPI] | None = None,
        sqlite_file: Path | None = None,
        prefix: str = _PREFIX,
    ) -> None:
        if (client is None) == (opener is None):
            raise ValueError("pass a client or an opener")
        self._opener = opener
        self._opened = client
        # The embedded client's own database: vacuumed after an erasure (see _rebuild).
        self._sqlite_file = sqlite_file
        self._open_lock = threading.Lock()
        self._prefix = prefix
        self._collections: dict[str, Collection] = {}
        self._legacy_checked: set[str] = set()

    def sibling(self, prefix: str) -> ChromaStoryStore:
        """Another story index on the same Chroma client (opened when either first needs it)
        whose collections use ``prefix``. Neither prefix may start with the other, or resetting
        one would drop the other."""
        if prefix.startswith(self._prefix) or self._prefix.startswith(prefix):
            raise ValueError(f"prefix {prefix!r} overlaps {self._prefix!r}")
        return ChromaStoryStore(opener=lambda: self._client, prefix=prefix, sqlite_file=self._sqlite_file)

    @property
    def _client(self) -> ClientAPI:
        if self._opened is None:
            with self._open_lock:
                if self._opened is None and self._opener is not None:
                    self._opened = self._opener()
        assert self._opened is not None
        return self._opened

    def _collection(self, team: str, create: bool = True) -> Collection | None:
        name = collection_name(team, self._prefix)
        if name in self._collections:
            return self._collections[name]
        if self._move_legacy(team):
            create = True  # the team's stories are in its own collection now
        if create:
            found = self._client.get_or_create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, metadata={"team": team}
            )
        else:
            try:
                found = self._client.get_collection(name)
            except Exception as error:
                if _unreachable(error):
                    raise  # a server that is down is not an absent collection (erasure relies on it)
                return None
        self._collections[name] = found
        return found

    def _move_legacy(self, team: str) -> bool:
        """Move ``team``'s stories out of the collection the first naming gave it (and drop that
        collection once no team's stories are left in it). Runs once per team and process;
        True when stories were moved. ``earful reindex`` also drops old collections."""
        legacy = legacy_collection_name(team, self._prefix)
        if legacy is None or team in self._legacy_checked:
            return False
        try:
            old = self._client.get_collection(legacy)
        except Exception as error:
            if _unreachable(error):
                raise
            self._legacy_checked.add(team)
            return False
        moved = False
        while True:
            page = old.get(where={"team": team}, include=["embeddings", "documents", "metadatas"],
                           limit=_ADD_BATCH)  # fmt: skip
            if not page["ids"]:
                break
            fresh = self._client.get_or_create_collection(
                collection_name(team, self._prefix),
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"team": team},
            )
            stored = page["embeddings"]
            if stored is None:  # asked for above: Chroma returns them
                raise StoreUnavailable(f"the story index returned no vectors for {legacy}")
            fresh.upsert(
                ids=page["ids"],
                embeddings=_vectors(list(map(float, v)) for v in stored),
                documents=page["documents"],
                metadatas=page["metadatas"],
            )
            old.delete(ids=page["ids"])
            moved = True
        if old.count() == 0:
            with contextlib.suppress(Exception):  # another worker dropped it first
                self._client.delete_collection(legacy)
        self._legacy_checked.add(team)
        return moved

    async def _run(self, fn: Any, *args: Any) -> Any:
        def attempt() -> Any:
            # Imported here, in the worker thread: the first import of chromadb takes ~1 s, which
            # on the event loop would stall every conversation.
            from chromadb.errors import NotFoundError

            try:
                return fn(*args)
            except NotFoundError:
                # Another worker rebuilt the collection (erasure): forget cached handles, retry once.
                self._collections.clear()
                return fn(*args)

        try:
            return await asyncio.to_thread(attempt)
        except Exception as error:
            if _unreachable(error):
                raise StoreUnavailable(f"the story index is unavailable: {error}") from error
            raise

    async def add(self, stories: Sequence[Story], vectors: Sequence[Sequence[float]]) -> None:
        by_team: dict[str, list[int]] = {}
        for position, story in enumerate(stories):
            by_team.setdefault(story.team, []).append(position)

        def add() -> None:
            for team, positions in by_team.items():
                collection = self._collection(team)
                assert collection is not None
                for start in range(0, len(positions), _ADD_BATCH):
                    chunk = positions[start : start + _ADD_BATCH]
                    collection.upsert(
                        ids=[stories[i].id for i in chunk],
                        embeddings=_vectors(list(vectors[i]) for i in chunk),
                        documents=[stories[i].text for i in chunk],
                        metadatas=[_metadata(stories[i]) for i in chunk],
                    )

        await self._run(add)

    async def search(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
        language: str | None = None,
        act: str | None = None,
        facet: str | None = None,
    ) -> list[tuple[Story, float]]:
        where = _where(section, since, language, act, facet)

        def query() -> list[tuple[Story, float]]:
            collection = self._collection(team, create=False)
            if collection is None:
                return []
            result = collection.query(
                query_embeddings=_vectors([list(vector)]),
                n_results=k,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
            ids = result["ids"][0]
            documents = (result["documents"] or [[]])[0]
            metadatas = (result["metadatas"] or [[]])[0]
            distances = (result["distances"] or [[]])[0]
            return [
                (_story(i, doc or "", dict(meta or {})), 1.0 - float(dist))
                for i, doc, meta, dist in zip(ids, documents, metadatas, distances, strict=True)
            ]

        found: list[tuple[Story, float]] = await self._run(query)
        return found

    async def search_vectors(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
        language: str | None = None,
        act: str | None = None,
        facet: str | None = None,
    ) -> list[tuple[str, float, Sequence[float]]]:
        where = _where(section, since, language, act, facet)

        def query() -> list[tuple[str, float, Sequence[float]]]:
            collection = self._collection(team, create=False)
            if collection is None:
                return []
            # No documents or metadata here: loading them for every candidate costs more than
            # the nearest-neighbour search itself (5 ms against 1.6 ms for 48 of 100,000).
            result = collection.query(
                query_embeddings=_vectors([list(vector)]),
                n_results=k,
                where=where,
                include=["distances", "embeddings"],
            )
            ids = result["ids"][0]
            distances = (result["distances"] or [[]])[0]
            embeddings = result["embeddings"]
            # The stored vectors stay as the arrays Chroma returns: converting 40 x 384 numbers to
            # Python floats would cost a millisecond per search for nothing.
            rows: Iterable[Any] = embeddings[0] if embeddings is not None else [[] for _ in ids]  # numpy rows
            return [(i, 1.0 - float(dist), row) for i, dist, row in zip(ids, distances, rows, strict=True)]

        found: list[tuple[str, float, Sequence[float]]] = await self._run(query)
        return found

    async def get(self, team: str, ids: Sequence[str]) -> list[Story]:
        def get() -> list[Story]:
            collection = self._collection(team, create=False)
            if collection is None or not ids:
                return []
            result = collection.get(ids=list(ids), include=["documents", "metadatas"])
            documents = result["documents"] or []
            metadatas = result["metadatas"] or []
            by_id = {
                i: _story(i, doc or "", dict(meta or {}))
                for i, doc, meta in zip(result["ids"], documents, metadatas, strict=True)
            }
            return [by_id[i] for i in ids if i in by_id]

        found: list[Story] = await self._run(get)
        return found

    async def vectors(self, team: str, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these stories (those that exist), by id."""

        def lookup() -> dict[str, list[float]]:
            collection = self._collection(team, create=False)
            if collection is None or not ids:
                return {}
            result = collection.get(ids=list(ids), include=["embeddings"])
            embeddings = result["embeddings"]
            if embeddings is None:
                return {}
            return {
                i: [float(x) for x in vector] for i, vector in zip(result["ids"], embeddings, strict=True)
            }

        found: dict[str, list[float]] = await self._run(lookup)
        return found

    async def has_language_other_than(self, team: str, language: str) -> bool:
        """Whether any story of ``team`` is in a language other than ``language``."""

        def probe() -> bool:
            collection = self._collection(team, create=False)
            if collection is None:
                return False
            elsewhere: dict[str, Any] = {"language": {"$ne": language}}
            found = collection.get(where=elsewhere, limit=1, include=[])
            return bool(found["ids"])

        other: bool = await self._run(probe)
        return other

    async def delete_interviews(self, team: str, interview_ids: Sequence[str]) -> int:
        def delete() -> int:
            collection = self._collection(team, create=False)
            if collection is None or not interview_ids:
                return 0
            chosen: dict[str, Any] = {"interview_id": {"$in": list(interview_ids)}}
            ids = collection.get(where=chosen, include=[])["ids"]
            if ids:
                collection.delete(ids=ids)
                self._rebuild(team, collection)
            return len(ids)

        removed: int = await self._run(delete)
        return removed

    def _rebuild(self, team: str, collection: Collection) -> None:
        """Copy what is left into a fresh collection: deleting by id leaves the text in Chroma's
        write-ahead log and the vectors in its index files (MEASURED.md), dropping the whole
        collection removes them. Should this stop half-way, `earful reindex` rebuilds the team
        from the system of record."""
        kept: dict[str, list[Any]] = {"ids": [], "embeddings": [], "documents": [], "metadatas": []}
        while True:
            page = collection.get(
                include=["embeddings", "documents", "metadatas"], limit=_ADD_BATCH, offset=len(kept["ids"])
            )
            if not page["ids"]:
                break
            kept["ids"].extend(page["ids"])
            kept["embeddings"].extend([list(map(float, v)) for v in page["embeddings"]])  # type: ignore[union-attr]
            kept["documents"].extend(page["documents"] or [])
            kept["metadatas"].extend(page["metadatas"] or [])
        name = collection_name(team, self._prefix)
        self._collections.pop(name, None)
        self._client.delete_collection(name)
        fresh = self._collection(team)
        assert fresh is not None
        for start in range(0, len(kept["ids"]), _ADD_BATCH):
            end = start + _ADD_BATCH
            fresh.add(**{key: values[start:end] for key, values in kept.items()})
        self._vacuum()

    def _vacuum(self) -> None:
        """Even with its rows gone, deleted text stays readable in the free pages of the
        embedded client's SQLite file until they are reused, and a dropped collection's vector
        files can stay in a segment directory nothing refers to any more: rewrite the file and
        remove those directories. (A Chroma server's files are its operator's: docs/scale.md.)"""
        if self._sqlite_file is None or not self._sqlite_file.exists():
            return
        import sqlite3

        with contextlib.closing(sqlite3.connect(self._sqlite_file, isolation_level=None, timeout=30)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("VACUUM")
        remove_orphan_segments(self._sqlite_file)

    async def reset(self, team: str | None = None) -> None:
        def reset() -> None:
            if team is not None:
                self._move_legacy(team)  # so that none of its stories stay behind in an old name
            names = (
                [collection_name(team, self._prefix)]
                if team is not None
                else [c.name for c in self._client.list_collections() if c.name.startswith(self._prefix)]
            )
            for name in names:
                self._collections.pop(name, None)
                # Absent already: nothing to reset (the exception type differs by mode).
                with contextlib.suppress(Exception):
                    self._client.delete_collection(name)
            self._vacuum()  # a dropped collection's segment files go too

        await self._run(reset)

    async def count(self, team: str) -> int:
        def count() -> int:
            collection = self._collection(team, create=False)
            return 0 if collection is None else collection.count()

        total: int = await self._run(count)
        return total
