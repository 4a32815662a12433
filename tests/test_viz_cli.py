"""python -m viz: whitelisted expressions, the lecture's table, exit code 2 and no file on bad input."""
import subprocess
import sys

import pytest

from viz.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "viz", *args], capture_output=True, text=True)


def test_lecture_expression_end_to_end(tmp_path):
    out, steps = tmp_path / "J.svg", tmp_path / "J.html"
    done = run("3*(a+b*c)", "a=5", "b=3", "c=2", "-o", str(out), "--steps", str(steps), "--lang", "en")
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[1:7]]
    assert rows == [["J", "33", "dJ", "=", "1"], ["v", "11", "dv", "=", "3"], ["a", "5", "da", "=", "3"],
                    ["u", "6", "du", "=", "3"], ["b", "3", "db", "=", "6"], ["c", "2", "dc", "=", "9"]]
    svg = out.read_text()
    assert "dv = 3" in svg and "legend" in svg and "<svg" in steps.read_text()


def test_functions_and_powers(capsys):
    assert main(["tanh(w*x + b) ** 2", "w=0.5", "x=2", "b=-1"]) == 0
    text = capsys.readouterr().out
    assert "dw = 0" in text and "dx = 0" in text      # tanh(0) = 0, so every derivative is 0


@pytest.mark.parametrize("args, words", [
    (["3*(a+"], "语法错误"),
    (["__import__('os')", "a=1"], "未知函数 __import__"),
    (["__import__('os').system('true')", "a=1"], "不允许的写法：Call"),
    (["a.real", "a=1"], "不允许的写法：Attribute"),
    (["[a, a]", "a=1"], "不允许的写法：List"),
    (["a if a else a", "a=1"], "不允许的写法：IfExp"),
    (["foo(a)", "a=1"], "unknown function foo"),
    (["a*b", "a=1"], "no value given for b"),
    (["a*2", "a=x"], "is not a number"),
    (["a*2", "a"], "NAME=VALUE"),
    (["2*3"], "needs at least one variable"),
    (["a*2", "a=1", "-o", "out.gif"], "unknown picture suffix"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    argv = args if "-o" in args else args + ["-o", "out.svg", "--steps", "out.html"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "错误 / error" in err
    assert list(tmp_path.iterdir()) == []


def test_help_is_bilingual():
    done = run("--help")
    assert done.returncode == 0 and "画出表达式的计算图" in done.stdout and "draw an expression" in done.stdout
