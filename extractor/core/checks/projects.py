"""A project's status, countries and places against the sentences that mention it."""

from __future__ import annotations

from extractor.core.checks.agreements import best_window, content_words
from extractor.core.checks.gazetteer import lexicon
from extractor.core.checks.places import Window, check_country, check_place
from extractor.core.checks.text import Text, supported, unsupported
from schemas.records import FieldCheck, Project

NAME_SHARE = 0.6


def project_windows(project: Project, doc: Text, windows: list[Window]) -> list[Window]:
    """The sentences that mention a project: its evidence, and where its name stands."""
    out = list(windows)
    for lo, _hi in doc.find_phrase(project.name):
        out.append(doc.sentence(lo))
    share, where = best_window(content_words(project.name), doc, reach=0)
    if share >= NAME_SHARE and where is not None:
        out.append(where)
    return out


def check_project(project: Project, doc: Text, windows: list[Window]) -> list[FieldCheck]:
    """Check a project's status, countries and places."""
    mentions = project_windows(project, doc, windows)
    out: list[FieldCheck] = []
    cue = lexicon().project_status[project.status.value]
    hit = next((m for lo, hi in mentions if (m := cue.search(doc.text, lo, hi)) is not None), None)
    if hit is not None:
        out.append(supported("status", hit.span(), doc.text, f"a cue of {project.status.value}"))
    else:
        out.append(
            unsupported(
                "status",
                f"no word of the stage {project.status.value} in the sentences that mention it",
            )
        )
    for i, code in enumerate(project.countries):
        out.append(check_country(f"countries[{i}]", code, doc, mentions))
    for i, place in enumerate(project.places):
        out.append(check_place(f"places[{i}]", place, doc))
    return out
