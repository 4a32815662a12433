"""README as a newcomer reads it: every python snippet runs verbatim, every picture it shows is in
the repository, and nothing links outside it."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SNIPPETS = [s for page in PAGES for s in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)]


@pytest.mark.parametrize("code", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_every_snippet_runs_verbatim(code, tmp_path):
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pictures_and_links_stay_inside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        assert not target.startswith("/") and "://" not in target, target
        assert (page.parent / target).exists(), f"{page.name} links to a missing {target}"
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (page.parent / image).read_bytes()[:4] == b"\x89PNG"


def test_the_readme_pictures_are_made_by_the_projects_code(tmp_path):
    sys.path.insert(0, str(ROOT / "examples"))
    from computation_graph import readme_images

    made = readme_images(str(tmp_path))
    assert [p.name for p in made] == ["lecture_J.png", "side_by_side.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in made)


def test_the_demo_writes_the_docs_pictures(tmp_path):
    sys.path.insert(0, str(ROOT / "examples"))
    from computation_graph import main, pictures

    main(str(tmp_path))
    assert all((tmp_path / name).read_bytes()[:4] == b"\x89PNG" for name in pictures())  # what make images draws
    docs = [p for page in PAGES for p in re.findall(r"!\[[^\]]*\]\((?:docs/)?img/([^)]+)\)", page.read_text("utf-8"))]
    assert set(docs) == set(pictures())  # every picture README and docs show, and only those
