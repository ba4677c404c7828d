"""The user guide: every chapter, link and picture resolves; the screenshot script makes every
picture the guide shows; the guide is found in a checkout and inside an installed package."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from apk_desktop import guide, paths

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide"
SCRIPT = GUIDE.parent / "guide_screenshots.py"


def test_every_link_picture_and_f1_place_of_the_guide_resolves() -> None:
    assert guide.problems(GUIDE) == []


def test_every_picture_the_guide_shows_exists() -> None:
    shown = guide.referenced_images(GUIDE)
    assert len(shown) >= 15
    assert all((GUIDE / name).is_file() for name in shown)


def test_the_screenshot_script_makes_every_picture_the_guide_shows() -> None:
    spec = importlib.util.spec_from_file_location("guide_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shown = {name.removeprefix("img/") for name in guide.referenced_images(GUIDE)}
    assert shown <= set(script.SHOTS)
    committed = {p.name for p in (GUIDE / guide.IMAGE_FOLDER).glob("*.png")}
    assert committed == set(script.SHOTS)  # none forgotten, none left over


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the guide to break."""
    folder = tmp_path / "guide"
    shutil.copytree(GUIDE, folder)
    return folder


def _append(folder: Path, file: str, text: str) -> None:
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_broken_chapter_link_is_found(copy: Path) -> None:
    _append(copy, "index.md", "\n[Kapitola](07-neexistuje.md)\n")
    assert guide.problems(copy) == ["index.md: 07-neexistuje.md does not exist"]


def test_a_missing_picture_is_found(copy: Path) -> None:
    (copy / "img" / "zalohy.png").unlink()
    assert guide.problems(copy) == ["05-zalohy-a-obnova.md: img/zalohy.png does not exist"]


def test_a_link_to_a_missing_heading_is_found(copy: Path) -> None:
    _append(copy, "index.md", "\n[Zálohy](05-zalohy-a-obnova.md#neni-tu)\n")
    assert guide.problems(copy) == ["index.md: no heading for 05-zalohy-a-obnova.md#neni-tu"]


def test_a_renamed_heading_that_f1_opens_is_found(copy: Path) -> None:
    path = copy / "01-prvni-spusteni.md"
    text = path.read_text(encoding="utf-8").replace("## Tým asistentů", "## Asistenti")
    path.write_text(text, encoding="utf-8")
    assert guide.problems(copy) == [
        "F1 on assistants: no heading #tým-asistentů in 01-prvni-spusteni.md"
    ]


def test_a_chapter_left_out_of_the_contents_is_found(copy: Path) -> None:
    (copy / "07-navic.md").write_text("# Navíc\n", encoding="utf-8")
    (copy / "06-pro-it.md").unlink()
    found = guide.problems(copy)
    assert "chapter 06-pro-it.md is missing" in found
    assert "07-navic.md is not listed in guide.CHAPTERS" in found


def test_headings_are_named_as_github_names_them() -> None:
    assert guide.heading_anchor("Nastavení projektu a logo EU") == "nastavení-projektu-a-logo-eu"
    assert guide.heading_anchor("Přehled: co čeká na vyřízení") == "přehled-co-čeká-na-vyřízení"


def test_links_in_code_are_not_links() -> None:
    text = "`[a](b.md)` a\n```\n![x](y.png)\n```\n[c](d.md)"
    assert [r.target for r in guide.references(text, "x.md")] == ["d.md"]


def test_guide_dir_in_a_checkout_is_docs_guide() -> None:
    assert paths.guide_dir() == GUIDE


def test_guide_dir_prefers_the_copy_inside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "apk_desktop"
    (package / "_guide").mkdir(parents=True)
    (package / "_guide" / "index.md").write_text("# Příručka\n", encoding="utf-8")
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    assert paths.guide_dir() == package / "_guide"
    (package / "_guide" / "index.md").unlink()
    with pytest.raises(FileNotFoundError):
        paths.guide_dir()
