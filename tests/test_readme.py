"""The README's promises that code can check: its opening commands, and the
settings table against the settings the service reads."""

from __future__ import annotations

import re
from pathlib import Path

from stance.cli import DEBUG_ENV
from stance.default_model import HOME_ENV
from stance.plugins import PLUGINS_ENV
from stance.service.config import APP_SETTINGS, ENV_PREFIX, SERVER_SETTINGS
from stance.default_plugins.encoder import BACKEND_ENV
from stance.embedding.backends import KEY_ENV, MODEL_ENV, URL_ENV
from stance.embedding.cache import CACHE_DIR_ENV, CACHE_MAX_ENV
from stance.embedding.embedder import PROGRESS_ENV

ENCODER_SETTINGS = {BACKEND_ENV, URL_ENV, MODEL_ENV, KEY_ENV, CACHE_DIR_ENV, CACHE_MAX_ENV, PROGRESS_ENV}

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced_commands() -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", README, re.DOTALL)


def test_readme_opens_with_the_main_job_then_the_ci_test_command():
    classify, tests = fenced_commands()[:2]
    seed = re.search(r"stance classify (\S+)$", classify).group(1)
    assert (ROOT / seed).is_file()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_lines[-1] == tests


def test_settings_table_lists_every_setting_and_only_those():
    rows = re.findall(r"^\| `(STANCE_[A-Z_]+)` \|", README, re.MULTILINE)
    expected = (
        {ENV_PREFIX + setting.name for setting in APP_SETTINGS + SERVER_SETTINGS}
        | {PLUGINS_ENV, HOME_ENV, DEBUG_ENV}
        | ENCODER_SETTINGS
    )
    assert len(rows) == len(set(rows))
    assert set(rows) == expected
