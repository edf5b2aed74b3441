"""The HTML report's template: every value from a customer or a team is text, never markup."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.reports import MAX_THEMES, render_report
from core.persona import Persona, Quote
from core.quality import InterviewQuality
from core.themes import Theme, ThemeQuote

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_every_customer_and_team_value_is_escaped() -> None:
    quote = ThemeQuote(text=HOSTILE, customer=f"Customer-{HOSTILE}", interview_id="i1", answer_id="a1")
    theme = Theme(label=HOSTILE, customers=2, stories=3, occurrence_customers=1, quotes=(quote,))
    said = Quote(text=HOSTILE, question_id="q", answer_id="a1")
    persona = Persona(
        interview_id=HOSTILE,
        customer=HOSTILE,
        team="T1",
        role=(said,),
        frustrations=(said, said),
        workaround=said,
        their_words=(HOSTILE,),
    )
    quality = InterviewQuality.model_construct(score=71, parts=())  # only what the report shows
    page = render_report(HOSTILE, [theme], [persona], NOW, {HOSTILE: quality})
    assert "<script" not in page and "<img" not in page
    assert page.count("&lt;script&gt;") >= 8  # title, heading, chart, theme, quotes, persona...
    assert 'class="theme-bar"' in page and "Interview quality" in page and ">71</span>/100" in page
    assert "Generated 2026-03-01 09:30 UTC." in page


def test_an_empty_team_and_the_themes_left_out_are_said() -> None:
    page = render_report("T1", [], [], NOW)
    assert "No themes yet." in page and "None yet." in page and "<svg" not in page
    many = [Theme(label=f"theme {n}", customers=1, stories=1) for n in range(MAX_THEMES + 3)]
    page = render_report("T1", many, [], NOW)
    assert "3 smaller themes not shown" in page and page.count('class="theme"') == MAX_THEMES
