"""Canonical persons across articles: full names, inflected forms, surnames and titles.

Rules (pure, explainable): full names (first name + surname) are one person when both tokens
match up to a Russian case ending (``extractor.consolidate.canonical.same_name``) or the first name is an
initial. A surname alone joins the only full name with that surname in the same article, else
the only one anywhere (of a compatible country); a bare title ("Глава государства") joins the
only head of state, or the only person, of its country. Ambiguous links are left apart and
reported as warnings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractor.consolidate import canonical as cn
from extractor.lexicon.titles import titles
from schemas.consolidated import Alias, Person, SourceRef
from schemas.records import ArticleExtraction

MentionKey = tuple[int, int, int]  # (article index, meeting index, participant index)


@dataclass
class _Mention:
    art: int
    meeting: int
    index: int
    raw: str
    role: str | None
    country: str | None
    tokens: list[str]  # personal-name tokens, titles and country words removed


@dataclass
class _PersonCluster:
    surname: str
    first: str | None
    mentions: list[tuple[_Mention, str]] = field(default_factory=list)  # (mention, alias rule)

    def countries(self) -> set[str]:
        return {m.country for m, _ in self.mentions if m.country}

    def titles(self) -> list[str]:
        return list(dict.fromkeys(m.role for m, _ in self.mentions if m.role))


def _name_tokens(raw: str) -> list[str]:
    out = []
    for tok in cn.words(raw):
        if not tok[:1].isupper() or titles().is_title_word(tok) or cn.country_of(tok):
            continue
        out.append(tok)
    return out


def _split_name(tokens: list[str]) -> tuple[str, str | None]:
    """(surname, first name) of name tokens: the last token with a surname suffix is the surname."""
    surname_at = max((i for i, t in enumerate(tokens) if cn.is_surname(t)), default=len(tokens) - 1)
    rest = [t for i, t in enumerate(tokens) if i != surname_at]
    return tokens[surname_at], (rest[0] if rest else None)


def _is_head_title(text: str | None) -> bool:
    heads = titles().head_of_state_titles
    return bool(text) and bool({cn.fold(w) for w in cn.words(text or "")} & heads)


def resolve_persons(
    extractions: Sequence[ArticleExtraction], warnings: list[str]
) -> tuple[list[Person], dict[MentionKey, str]]:
    """Canonical persons of every meeting participant, and the person id of each mention.

    Args:
        extractions: The articles, indexed as in the returned keys.
        warnings: Gets one line per mention left ambiguous.

    Returns:
        The persons, and ``{(article, meeting, participant): person id}`` for every participant.
    """
    mentions = [
        _Mention(a, m, i, p.name, p.role, p.country, _name_tokens(p.name))
        for a, ext in enumerate(extractions)
        for m, meeting in enumerate(ext.meetings)
        for i, p in enumerate(meeting.participants)
    ]
    clusters: list[_PersonCluster] = []
    full = [x for x in mentions if len(x.tokens) >= 2]
    # Full names with a real first name first, then those with initials, so initials find them.
    for mention in sorted(full, key=lambda x: "." in x.raw):
        surname, first = _split_name(mention.tokens)
        for c in clusters:
            if cn.same_name(c.surname, surname) and (
                c.first is None or first is None or cn.same_name(c.first, first)
            ):
                rule = "canonical" if not c.mentions else "inflection"
                c.mentions.append((mention, "initials" if "." in mention.raw else rule))
                break
        else:
            clusters.append(_PersonCluster(surname, first, [(mention, "canonical")]))

    for mention in (x for x in mentions if len(x.tokens) == 1):
        candidates = [c for c in clusters if cn.same_name(c.surname, mention.tokens[0])]
        _attach(mention, candidates, "surname", clusters, warnings)
    for mention in (x for x in mentions if not x.tokens):
        candidates = [
            c
            for c in clusters
            if mention.country is not None
            and mention.country in c.countries()
            and (not _is_head_title(mention.raw) or any(_is_head_title(t) for t in c.titles()))
            and any(
                cn.words(m.raw)[:1] != cn.words(mention.raw)[:1] or m.tokens for m, _ in c.mentions
            )
        ]
        _attach(mention, candidates, "title", clusters, warnings)
    return _persons_from(clusters, extractions)


def _attach(
    mention: _Mention,
    candidates: list[_PersonCluster],
    rule: str,
    clusters: list[_PersonCluster],
    warnings: list[str],
) -> None:
    """Join a partial mention to the only fitting person: in its article first, then anywhere."""
    local = [c for c in candidates if any(m.art == mention.art for m, _ in c.mentions)]
    for pool in (local, candidates):
        if mention.country:
            pool = [c for c in pool if not c.countries() or mention.country in c.countries()]
        if len(pool) == 1:
            pool[0].mentions.append((mention, rule))
            return
        if len(pool) > 1:
            names = ", ".join(sorted({c.mentions[0][0].raw for c in pool}))
            warnings.append(f"person «{mention.raw}» is ambiguous ({names}); kept apart")
            break
    surname = mention.tokens[0] if mention.tokens else mention.raw
    clusters.append(_PersonCluster(surname, None, [(mention, "canonical")]))


def _persons_from(
    clusters: list[_PersonCluster], extractions: Sequence[ArticleExtraction]
) -> tuple[list[Person], dict[tuple[int, int, int], str]]:
    persons: list[Person] = []
    ids: dict[tuple[int, int, int], str] = {}
    taken: set[str] = set()
    for c in clusters:
        forms = Counter(m.raw for m, _ in c.mentions if len(m.tokens) >= 2 and "." not in m.raw)
        name = forms.most_common(1)[0][0] if forms else c.mentions[0][0].raw
        pid = cn.unique_id(f"person:{cn.slug(name)}", taken)
        aliases: dict[str, str] = {}
        for m, rule in c.mentions:
            if m.raw != name and m.raw not in aliases:
                aliases[m.raw] = "inflection" if rule == "canonical" else rule
            ids[(m.art, m.meeting, m.index)] = pid
        sources = [
            cn.source_ref(
                extractions[m.art],
                f"meetings[{m.meeting}]",
                extractions[m.art].meetings[m.meeting].evidence,
            )
            for m, _ in c.mentions
        ]
        persons.append(
            Person(
                id=pid,
                name=name,
                aliases=[Alias(text=t, rule=r) for t, r in aliases.items()],
                titles=c.titles(),
                countries=sorted(c.countries()),
                sources=_dedupe_sources(sources),
            )
        )
    return persons, ids


def _dedupe_sources(sources: list[SourceRef]) -> list[SourceRef]:
    seen: dict[tuple[str, str], SourceRef] = {}
    for s in sources:
        seen.setdefault((s.sha256, s.record), s)
    return list(seen.values())
