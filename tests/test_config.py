import pytest

from extractor.config import Settings
from extractor.errors import ConfigError


def test_auto_is_offline_without_a_key() -> None:
    assert Settings.from_env({}).resolved_backend() == "offline"


def test_auto_is_openai_with_a_key() -> None:
    assert Settings.from_env({"OPENAI_API_KEY": "k"}).resolved_backend() == "openai"


def test_explicit_backend_wins() -> None:
    env = {"OPENAI_API_KEY": "k", "EXTRACTOR_BACKEND": "offline"}
    assert Settings.from_env(env).resolved_backend() == "offline"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EXTRACTOR_BACKEND": "gpt"}, "EXTRACTOR_BACKEND"),
        ({"EXTRACTOR_MODE": "xml"}, "EXTRACTOR_MODE"),
        ({"EXTRACTOR_TIMEOUT": "soon"}, "EXTRACTOR_TIMEOUT"),
        ({"EXTRACTOR_CONCURRENCY": "0"}, "CONCURRENCY"),
        ({"EXTRACTOR_MAX_COST": "-1"}, "EXTRACTOR_MAX_COST"),
        ({"EXTRACTOR_MAX_COST": "lots"}, "EXTRACTOR_MAX_COST"),
        ({"EXTRACTOR_BATCH_POLL_SECONDS": "0"}, "EXTRACTOR_BATCH_POLL_SECONDS"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_key_is_not_in_the_repr() -> None:
    s = Settings.from_env({"OPENAI_API_KEY": "sk-secret-value"})
    assert "sk-secret-value" not in repr(s)


def test_settings_are_frozen() -> None:
    s = Settings.from_env({})
    with pytest.raises(AttributeError):
        s.model = "other"  # type: ignore[misc]


def test_scale_settings_come_from_the_environment() -> None:
    s = Settings.from_env(
        {
            "EXTRACTOR_MAX_COST": "2.5",
            "EXTRACTOR_PRICES": "prices.yaml",
            "EXTRACTOR_BATCH_POLL_SECONDS": "0.1",
        }
    )
    assert (s.max_cost, str(s.prices_file), s.batch_poll_seconds) == (2.5, "prices.yaml", 0.1)
    default = Settings.from_env({})
    assert (default.max_cost, default.prices_file, default.batch_poll_seconds) == (None, None, 30)
