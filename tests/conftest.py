"""Shared fixtures. In CI (.ci/run sets TINYGRAD_CN_STRICT=1) a missing system tool fails
the test instead of skipping it, so the system Graphviz and Chromium paths are really run."""

import os
import shutil
import sys
import threading

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))


def need(tool):
    """Skip plainly when a system tool is missing; fail instead when CI asked for strictness."""
    path = shutil.which(tool)
    if tool == "dot" and os.environ.get("TINYGRAD_CN_RENDERER") == "wasm":
        pytest.skip("这一轮只用 WebAssembly 版 Graphviz / this run uses the WebAssembly Graphviz only")
    if path is None:
        message = f"{tool} 未安装，跳过 / {tool} not installed: test skipped"
        if os.environ.get("TINYGRAD_CN_STRICT") == "1":
            pytest.fail(message + " (CI requires it)")
        pytest.skip(message)
    return path


def need_module(name):
    """Import an optional package, or skip plainly (fail instead when CI asked for strictness)."""
    try:
        return __import__(name)
    except ImportError:
        message = f"{name} 未安装，跳过（pip install -e '.[compare]'）/ {name} not installed: skipped"
        if os.environ.get("TINYGRAD_CN_STRICT") == "1":
            raise RuntimeError(message + " (CI requires it)") from None
        pytest.skip(message, allow_module_level=True)


@pytest.fixture
def no_system_dot(monkeypatch, tmp_path):
    """PATH without Graphviz's dot, so the WebAssembly renderer is used."""
    keep = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not os.path.exists(os.path.join(d, "dot"))]
    monkeypatch.setenv("PATH", os.pathsep.join(keep))
    assert shutil.which("dot") is None


@pytest.fixture
def lecture():
    from computation_graph import lecture_graph

    return lecture_graph()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    chromium, driver_path = need("chromium"), need("chromedriver")
    from selenium import webdriver

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,520",
        f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
    ):
        opts.add_argument(arg)
    b = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path), options=opts)
    b.set_window_size(1000, 520)
    yield b
    b.quit()


def attempt(fn, *args, **kwargs):
    """fn(...), or the TypeError/ValueError it raised, which must carry words in both languages
    (the " / " of messages.bilingual): what the fuzz tests allow out of any public function."""
    try:
        return fn(*args, **kwargs)
    except (TypeError, ValueError) as e:
        text = str(e)
        assert " / " in text, f"{type(e).__name__} without the bilingual words from {fn!r}: {text[:200]}"
        return e


def run_together(*calls):
    """Each call in a thread of its own, all started before any is awaited."""
    threads = [threading.Thread(target=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
