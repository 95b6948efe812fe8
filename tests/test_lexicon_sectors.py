"""The sector table (extractor/lexicon/data/sectors.json) and its one loader."""

import pytest

from extractor.lexicon.sectors import rules, sector_of


@pytest.mark.parametrize(
    ("title", "sector"),
    [
        ("Соглашение о сотрудничестве в сфере транспорта и энергетики", "транспорт"),
        ("соглашение о поставках электроэнергии", "энергетика"),
        ("соглашение о портовой инфраструктуре", "транспорт"),
        ("Паспорт проекта", None),  # "порт" only as a word of its own
        ("Договор о демаркации государственной границы", "граница"),
        ("Меморандум о взаимопонимании в области водных ресурсов", "водные ресурсы"),
        ("Программа культурно-гуманитарного сотрудничества", "культура"),
        ("дорожная карта по расширению товарооборота", "торговля"),  # a roadmap is no road
    ],
)
def test_the_first_sector_a_title_names(title: str, sector: str | None) -> None:
    assert sector_of(title) == sector


def test_every_rule_compiles_and_names_a_sector() -> None:
    assert len(rules()) > 40
    assert all(sector and not sector.startswith(" ") for _, sector in rules())
