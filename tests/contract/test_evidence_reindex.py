"""An index built before stories carried their evidence gets it through ``earful reindex``
(the indexer reads the answers stored without a reading), on real embedded Chroma."""

from __future__ import annotations

from pathlib import Path

from fakes import FakeAnswerReader, HashingEmbedder, MemorySessionStore
from insight_data import answers_for, reading

from adapters.chroma_store import ChromaStoryStore, open_persistent_client
from core.stories import StoryIndexer, StorySearch

STORY = "Last Tuesday the export failed and I retyped forty invoices into a spreadsheet by hand."
HABIT = "Every month I export the invoices into a spreadsheet and fix them by hand."
WISH = "I would pay for a tool that exports invoices into a spreadsheet for me."


async def test_reindex_gives_an_old_index_the_evidence_filters(tmp_path: Path) -> None:
    rows = [("frustration", "hardest", "What's hard?", None, text) for text in (STORY, HABIT, WISH)]
    old = [
        a.model_copy(update={"customer": f"c{i}", "pseudonym": f"Customer-{i}", "interview_id": f"i{i}"})
        for i, a in enumerate(answers_for("x", rows, readings={}))
    ]
    assert all(a.reading is None for a in old)  # stored before answers were read
    sessions, embedder = MemorySessionStore(), HashingEmbedder()
    await sessions.add_answers(old)
    stories = ChromaStoryStore(open_persistent_client(tmp_path / "chroma"))
    # The old way: no reader, so no act and no facets in the index.
    assert await StoryIndexer(sessions, embedder, stories).drain() == 3
    search = StorySearch(embedder, stories)
    assert await search.search("T1", "invoices spreadsheet", act="story") == []

    reader = FakeAnswerReader(
        {
            STORY: reading("story", problem=STORY, occurrence=STORY, workaround=STORY),
            HABIT: reading("general", frequency=HABIT, workaround=HABIT),
            WISH: reading("hypothetical", cost=WISH),
        }
    )
    assert await StoryIndexer(sessions, embedder, stories, reader=reader).reindex("T1") == 3
    assert sorted(call[0] for call in reader.calls) == sorted([STORY, HABIT, WISH])
    [real] = await search.search("T1", "invoices spreadsheet", act="story")
    assert real.story.text == STORY and real.story.act == "story"
    workarounds = await search.search("T1", "invoices spreadsheet", facet="workaround")
    assert {hit.story.text for hit in workarounds} == {STORY, HABIT}
    assert await search.search("T1", "invoices spreadsheet", act="story", facet="cost") == []
    # Reopened from disk, the metadata is there.
    again = StorySearch(embedder, ChromaStoryStore(open_persistent_client(tmp_path / "chroma")))
    [imagined] = await again.search("T1", "invoices spreadsheet", act="hypothetical")
    assert imagined.story.text == WISH and imagined.story.facets == ("cost",)
