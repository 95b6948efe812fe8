"""The built wheel, installed into a fresh virtualenv outside the checkout, runs both backends.

The wheel is built from a copy of the sources with the build tools of this environment (no
network); the fresh virtualenv gets the wheel alone (``--no-deps``), and finds the runtime
dependencies through a ``.pth`` line naming this environment's site-packages, after its own. Both
runs start from a folder outside the checkout, so nothing can come from it: the prompt file, the
lexicons and the package itself must all be found in the virtualenv's site-packages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from evaluation.cassettes import CASSETTES, EXPECTED
from extractor.backends.offline import rules_version
from extractor.prompts import load_prompt
from schemas.records import ArticleExtraction
from tests.conftest import GOLD_REFERENCE_DAY

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
STEM = "001_d541d46272f33c54"
TEST_TOOLS = ("vcr", "pytest", "hypothesis", "playwright", "evaluation", "tests")

OFFLINE_CHECK = """
import json, sys
import extractor
from extractor.backends.offline import rules_version
from extractor.config import Settings
result = extractor.extract(sys.argv[1], settings=Settings.from_env())
print(json.dumps({
    "result": result.model_dump(mode="json"),
    "extractor": extractor.__file__,
    "rules_version": rules_version(),
    "test_tools": [m for m in TEST_TOOLS if m in sys.modules],
}))
""".replace("TEST_TOOLS", repr(TEST_TOOLS))

REPLAY_CHECK = """
import json, sys
import extractor
from extractor.prompts import load_prompt, shipped_prompts
import cassettes  # a copy of the project's vcrpy set-up, beside this script
with cassettes.make_vcr().use_cassette(sys.argv[2]) as cassette:
    result = extractor.extract(sys.argv[1], settings=cassettes.replay_settings())
    played = cassette.all_played
print(json.dumps({
    "result": result.model_dump(mode="json"),
    "extractor": extractor.__file__,
    "prompts": str(shipped_prompts()),
    "prompt_version": load_prompt().version,
    "played": played,
}))
"""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv outside the checkout with the freshly built wheel installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in ("extractor", "schemas"):
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", "../dist", "."],
        src,
    )
    (wheel,) = (tmp / "dist").glob("ca_extractor-*.whl")
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp)
    python = venv / "bin" / "python"
    run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], tmp)
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp
        ).strip()
    )
    # The runtime dependencies come from this environment, after the virtualenv's own packages.
    (site / "_runtime_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp), "PYTHONHASHSEED": "0"}
    env.update(PYTHONDONTWRITEBYTECODE="1", EXTRACTOR_TODAY=GOLD_REFERENCE_DAY, **extra)
    return env


def a_run_folder(installed: Path) -> Path:
    """A folder outside the checkout holding the seed article as ``seeds/<stem>.txt``."""
    where = installed.parent / "run"
    (where / "seeds").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "seeds" / f"{STEM}.txt", where / "seeds" / f"{STEM}.txt")
    assert not where.resolve().is_relative_to(ROOT)
    return where


def site_packages_of(venv: Path, module_file: str) -> None:
    path = Path(module_file).resolve()
    assert path.is_relative_to(venv.resolve()) and "site-packages" in path.parts, path
    assert not path.is_relative_to(ROOT), path


def test_the_offline_backend_runs_from_the_installed_wheel(installed: Path) -> None:
    where = a_run_folder(installed)
    (where / "offline_check.py").write_text(OFFLINE_CHECK, encoding="utf-8")
    env = clean_env(where, EXTRACTOR_BACKEND="offline", EXTRACTOR_DB=str(where / "x.db"))
    out = json.loads(
        run([str(installed / "bin/python"), "offline_check.py", f"seeds/{STEM}.txt"], where, env)
    )
    site_packages_of(installed, out["extractor"])
    assert out["test_tools"] == []  # the installed package imports no test tool
    # The same rules hash as the checkout: the wheel ships every rule file and lexicon.
    assert out["rules_version"] == rules_version()
    result = ArticleExtraction.model_validate(out["result"])
    assert result.backend == "offline" and result.metrics
    assert result.model.endswith(rules_version()[:16])


def test_the_cli_of_the_installed_wheel_extracts_offline(installed: Path) -> None:
    where = a_run_folder(installed)
    env = clean_env(where, EXTRACTOR_BACKEND="offline", EXTRACTOR_DB=str(where / "cli.db"))
    run([str(installed / "bin/extractor"), "extract", "seeds", "--out", "cli_out"], where, env)
    written = json.loads((where / "cli_out" / f"{STEM}.json").read_text(encoding="utf-8"))
    assert ArticleExtraction.model_validate(written).backend == "offline"


def test_the_llm_backend_runs_from_the_installed_wheel_through_a_cassette(installed: Path) -> None:
    where = a_run_folder(installed)
    shutil.copy(ROOT / "evaluation" / "cassettes.py", where / "cassettes.py")
    (where / "replay_check.py").write_text(REPLAY_CHECK, encoding="utf-8")
    args = [str(installed / "bin/python"), "replay_check.py", f"seeds/{STEM}.txt"]
    out = json.loads(run([*args, str(CASSETTES / f"{STEM}.yaml")], where, clean_env(where)))
    site_packages_of(installed, out["extractor"])
    site_packages_of(installed, out["prompts"])  # the prompt file shipped inside the wheel
    assert out["prompt_version"] == load_prompt().version
    assert out["played"], "every recorded exchange was replayed"
    result = ArticleExtraction.model_validate(out["result"])
    expected = json.loads((EXPECTED / f"{STEM}.json").read_text(encoding="utf-8"))
    assert result.model_dump(mode="json") == expected


def test_the_package_names_no_checkout_path_and_imports_no_test_tool() -> None:
    """Static twin of the runs above: no path out of the package, no dev dependency imported."""
    banned = re.compile(
        r"parents\[|\.parent\.parent|[\"']fixtures[/\"']|^\s*(import|from)\s+"
        r"(vcr|pytest|hypothesis|playwright|evaluation|tests)\b",
        re.MULTILINE,
    )
    offenders = {
        str(p.relative_to(ROOT)): banned.findall(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "extractor").rglob("*.py"))
        + sorted((ROOT / "schemas").rglob("*.py"))
        if banned.search(p.read_text(encoding="utf-8"))
    }
    assert offenders == {}
