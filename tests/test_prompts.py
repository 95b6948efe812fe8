from pathlib import Path

import pytest

from extractor.prompts import PromptError, load_prompt


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    return tmp_path


def test_project_prompt_loads_with_its_version() -> None:
    prompt = load_prompt("extract")
    assert prompt.version
    assert prompt.variables == ("article",)
    assert "{{ article }}" in prompt.user
    assert [m["role"] for m in prompt.messages()] == ["system", "user"]


def test_undeclared_variable_is_a_named_error(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        '---\nversion: "1"\nvariables: [article]\n---\n## system\nx {{ lang }}\n## user\n{{ article }}\n',
    )
    with pytest.raises(PromptError, match="lang"):
        load_prompt("p", d)


def test_missing_version_is_an_error(tmp_path: Path) -> None:
    d = write(tmp_path, "---\nvariables: [article]\n---\n## system\nx\n## user\n{{ article }}\n")
    with pytest.raises(PromptError, match="version"):
        load_prompt("p", d)


def test_missing_section_is_an_error(tmp_path: Path) -> None:
    d = write(tmp_path, '---\nversion: "1"\nvariables: [article]\n---\n## user\n{{ article }}\n')
    with pytest.raises(PromptError, match="system"):
        load_prompt("p", d)


def test_missing_context_value_is_a_named_error() -> None:
    with pytest.raises(PromptError, match="article"):
        load_prompt("extract").check_context({"text": "..."})


def test_missing_prompt_file_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="nope.md"):
        load_prompt("nope", tmp_path)
