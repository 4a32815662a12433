"""The built docs site (make docs, which CI runs before the tests) opened from disk: every link and
picture on every page leads to a file that is there, every #anchor to an id on its page, and a
browser follows the navigation with no server."""

import os
import pathlib
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

SITE = pathlib.Path(__file__).resolve().parent.parent / "build" / "site"


@pytest.fixture(scope="module")
def pages():
    if not (SITE / "index.html").is_file():
        message = "没有 build/site，先运行 make docs / no build/site: run make docs first"
        if os.environ.get("TINYGRAD_CN_STRICT") == "1":
            pytest.fail(message + " (CI builds it)")
        pytest.skip(message)
    return {p: Page(p) for p in sorted(SITE.rglob("*.html")) if p.name != "404.html"}  # 404: a server's page


class Page(HTMLParser):
    """The links (a, link, img, script, iframe, source) and ids of one page."""

    def __init__(self, path):
        super().__init__()
        self.links, self.ids = [], set()
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "img", "script", "iframe", "source"):
                self.links.append(attrs[key])


def test_every_link_leads_to_a_file_on_disk(pages):
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # another site: not ours to check
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or SITE not in target.parents:
                broken.append(f"{path.relative_to(SITE)} -> {link}")  # a folder opens as a listing from disk
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(SITE)} -> {link} (no such anchor)")
    assert broken == []
    assert len(pages) >= 14  # home, 4 pages, 9 notebooks, API


def test_the_pages_say_what_they_should(pages):
    text = {p.relative_to(SITE).as_posix(): p.read_text(encoding="utf-8") for p in pages}
    assert not any("PosixPath(" in t for t in text.values())  # a notebook printing a path nobody can open
    assert "<iframe srcdoc=" in text["notebooks/01_computation_graph.html"]  # the quiz itself
    api = text["api.html"]
    for heading in ("tinygrad_cn.value.Value", "nn.models", "viz.steps", "viz.cli"):
        assert f'id="{heading}"' in api, heading
    assert "a.sigmoid()" in api and "a.leaky_relu(slope)" in api and "a @ b" in api  # Value's math methods


def test_a_browser_follows_the_navigation_from_disk(pages, browser):
    from selenium.webdriver.common.by import By

    browser.get((SITE / "index.html").as_uri())
    api = [a for a in browser.find_elements(By.CSS_SELECTOR, "a[href$='api.html']") if a.is_displayed()]
    browser.get(api[0].get_attribute("href")) if api else pytest.fail("no visible link to the API page")
    assert browser.current_url.endswith("api.html") and browser.find_element(By.ID, "tinygrad_cn.value.Value")
