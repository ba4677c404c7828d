"""One version: pyproject's (what a build and the installer are named by) is the package's
(what --version, O aplikaci, the error report and the backups' manifests say), and the newest
CHANGELOG section is about it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from apk_desktop import __version__

ROOT = Path(__file__).resolve().parent.parent


def test_the_package_version_is_the_projects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_the_newest_changelog_section_is_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.MULTILINE)
    assert versions[0] == __version__
    keyed = [tuple(int(part) for part in v.split(".")) for v in versions]
    assert keyed == sorted(keyed, reverse=True), "newest first"


def test_the_command_prints_the_version(tmp_path: Path) -> None:
    env = {"APK_DESKTOP_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "apk_desktop", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"APK Desktop {__version__}\n", "")
    assert list(tmp_path.iterdir()) == []  # nothing opened or created
