"""A first name's nominative agrees with the case of the surname next to it."""

import pytest

from extractor.core.names import nominative, surname_cases


@pytest.mark.parametrize(
    ("surname", "case"),
    [("Арипова", "accs"), ("Арипову", "datv"), ("Ариповым", "ablt"), ("Арипов", "nomn")],
)
def test_the_cases_a_surname_stands_in(surname: str, case: str) -> None:
    assert case in surname_cases(surname)


def test_a_word_that_is_no_surname_has_no_case() -> None:
    assert surname_cases("Ташкент") == frozenset()


@pytest.mark.parametrize(
    ("token", "surname", "expected"),
    [
        ("Абдуллу", "Арипова", "Абдулла"),
        ("Абдуллу", "Арипову", "Абдулл"),  # the dative of a consonant stem, as the surname says
        ("Ильхаму", "Алиеву", "Ильхам"),
    ],
)
def test_a_first_name_takes_the_reading_in_the_surnames_case(
    token: str, surname: str, expected: str
) -> None:
    assert nominative(token, surname=False, cases=surname_cases(surname)) == expected
