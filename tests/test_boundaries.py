"""The package boundaries: nn, viz, examples and benchmarks read only the engine's public
surface (Value.fn/.inputs/.is_leaf/.grad_or_none/.attrs/.saved/...), never a `_` name of a
Value, a Function or a Context; nn and viz never import each other; formulas imports nothing
of the engine."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTSIDE = ["nn", "viz", "examples", "benchmarks", "tests"]
OWN = {"self", "cls"}  # a class's own private state is its business


def python_files(*folders):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def private_reads(path):
    """(line, text) of every `x._name` (not a dunder) where x is not self/cls, and every
    `from tinygrad_cn... import _name`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in OWN):
                found.append((node.lineno, ast.unparse(node)))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tinygrad_cn"):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name.startswith("_")]
    return found


@pytest.mark.parametrize("path", list(python_files(*OUTSIDE)), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_reads_across_the_engine_boundary(path):
    allowed = {"_repr_svg_", "_repr_html_", "_repr_mimebundle_", "_repr_png_"}  # Jupyter's protocol
    bad = [(line, text) for line, text in private_reads(path) if text.rsplit(".", 1)[-1] not in allowed]
    assert not bad, f"{path.relative_to(ROOT)} reads private names: {bad}"


def imports_of(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_one_direction_between_the_packages():
    for path in python_files("tinygrad_cn"):
        assert not {"nn", "viz"} & set(imports_of(path)), f"the engine imports nn or viz: {path}"
    for path in python_files("nn"):
        assert "viz" not in set(imports_of(path)), f"nn imports viz: {path}"
    for path in python_files("viz"):
        assert "nn" not in set(imports_of(path)), f"viz imports nn: {path}"
    assert "tinygrad_cn" not in set(imports_of(ROOT / "nn" / "formulas.py"))


def test_the_checker_sees_a_private_read(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("def f(v):\n    return v._grad, v.grad, self._x\nfrom tinygrad_cn.value import _NONE\n")
    assert sorted(private_reads(sample)) == [(2, "v._grad"), (3, "import _NONE")]
