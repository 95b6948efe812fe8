"""An agreement's title, kind, status, parties and period against the sentences that state it.

The status needs a cue of that status in the sentence of one of its mentions or just before it
(a list of signed documents opens with "подписаны"); the parties must be named there, or be the
countries of the people of a meeting in the article (inferred), or at least be named in it.
"""

from __future__ import annotations

import bisect
import re

from extractor.core.checks.dates import check_period
from extractor.core.checks.gazetteer import lexicon
from extractor.core.checks.places import Window, check_country
from extractor.core.checks.text import Text, inferred, supported, unsupported
from schemas.records import Agreement, FieldCheck

# Share of a title's content words that must stand within a few sentences of each other.
TITLE_SHARE = 0.6
_CONTENT = re.compile(r"[А-Яа-яЁёA-Za-z]{4,}")
_STOP = frozenset("между также этого этой этих всех которые который рамках части".split())


def content_words(title: str) -> list[str]:
    """The words of a title or name that carry its meaning (four letters and more)."""
    return [w for w in _CONTENT.findall(title) if w.lower() not in _STOP]


def best_window(words: list[str], doc: Text, reach: int = 1) -> tuple[float, Window | None]:
    """The largest share of ``words`` found within ``2 * reach + 1`` sentences, and its span.

    The span runs from the first to the last word found in that run of sentences.
    """
    if not words:
        return 0.0, None
    starts = doc.sentence_starts
    seen: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for k, w in enumerate(words):
        for hit in doc.find(w):
            where = seen.setdefault(bisect.bisect_right(starts, hit.start) - 1, {})
            where.setdefault(k, []).append((hit.start, hit.end))
    best, span = 0.0, None
    for i in sorted(seen):
        got: dict[int, tuple[int, int]] = {}
        # the centre sentence first, then its neighbours: the span stays tight
        for j in sorted(range(i - reach, i + reach + 1), key=lambda j: abs(j - i)):
            for k, found in seen.get(j, {}).items():
                got.setdefault(k, found[0] if j >= i else found[-1])
        share = len(got) / len(words)
        here = (min(h[0] for h in got.values()), max(h[1] for h in got.values()))
        if share > best or (share == best and span and here[1] - here[0] < span[1] - span[0]):
            best, span = share, here
    return best, span


def check_agreement(
    agreement: Agreement,
    doc: Text,
    own: list[Window],
    leads: list[Window],
    party_rule: dict[str, str],
) -> list[FieldCheck]:
    """Check an agreement's title, kind, status, parties and period.

    Args:
        agreement: The record (evidence already grounded).
        doc: The article.
        own: The sentences of its grounded evidence.
        leads: The same with the sentences before each (a list opened by "подписаны:"): read
            for the status only when its own sentences state none.
        party_rule: Countries implied by the people of the article's meetings -> the reason.
    """
    out: list[FieldCheck] = []
    windows = own + leads
    share, where = best_window(content_words(agreement.title), doc)
    if share >= TITLE_SHARE and where is not None:
        out.append(supported("title", where, doc.text, f"{share:.0%} of its words"))
    else:
        out.append(
            unsupported(
                "title",
                f"at most {share:.0%} of the words of «{agreement.title}» stand together in the "
                "article",
            )
        )
    if not windows and where is not None:
        own = [doc.sentence(where[0])]
        windows = [*own, (doc.sentences_before(where[0], 1), where[1])]
    lex = lexicon()
    title_window = (
        [(doc.sentence(where[0])[0], doc.sentence(where[1] - 1)[1])]
        if where is not None and share >= TITLE_SHARE
        else []
    )
    out.append(
        _cue_check(
            "kind",
            agreement.kind.value,
            lex.agreement_kinds,
            agreement.title,
            doc,
            [*title_window, *windows],
        )
    )
    # A sentence that states a status of its own is read alone ("договорились рассмотреть"
    # after "подписали" is still under consideration); a bare list item reads its list's lead.
    states_own = any(
        c.search(doc.text, lo, hi) for c in lex.agreement_status.values() for lo, hi in own
    )
    status_windows = own if states_own else windows
    out.append(
        _cue_check("status", agreement.status.value, lex.agreement_status, "", doc, status_windows)
    )
    for i, code in enumerate(agreement.parties):
        check = check_country(f"parties[{i}]", code, doc, windows, party=True)
        if check.status.value != "supported" and code in party_rule:
            check = inferred(f"parties[{i}]", party_rule[code])
        out.append(check)
    if agreement.period is not None:
        out.append(check_period("period", agreement.period, doc))
    return out


def _cue_check(
    path: str,
    value: str,
    cues: dict[str, re.Pattern[str]],
    title: str,
    doc: Text,
    windows: list[Window],
) -> FieldCheck:
    cue = cues.get(value)
    if cue is None:
        return inferred(path, f"{value}: no cue is defined for it")
    for lo, hi in windows:
        m = cue.search(doc.text, lo, hi)
        if m is not None:
            return supported(path, m.span(), doc.text, f"a cue of {value}")
    if title and (m := cue.search(title)) is not None:
        return inferred(path, f"the title says «{m.group(0)}»")
    others = [
        f"{k} («{m.group(0)}»)"
        for k, c in cues.items()
        if k != value
        for lo, hi in windows[:1]
        if (m := c.search(doc.text, lo, hi)) is not None
    ]
    instead = f"; the sentence reads as {', '.join(others)}" if others else ""
    return unsupported(path, f"no cue of {value} where the text states it{instead}")
