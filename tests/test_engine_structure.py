"""The engine is a stack, not a knot (issue 15): its import graph, read from the source with lazy
imports included, has no circle; it runs no generated code; it keeps no process-wide state but
the op registry; only value.py reads a node's slots; docs/engine.md lists every declaration flag."""

import ast
import types
from pathlib import Path

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn.function import FLAGS

ROOT = Path(tg.__file__).parent
SLOTS = {"_data", "_grad", "_op", "_in0", "_in1"}


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"))


def imports(name, path, tree):
    """The engine modules this one imports anywhere in its code (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            mod = f"{base}.{node.module}" if node.level and node.module else base if node.level else node.module
            found.add(mod)
            found |= {f"{mod}.{a.name}" for a in node.names}  # `from . import ops` names a module
    known = {n for n, _, _ in modules()}
    return {m for m in found if m in known and m != name}


def find_circle(graph):
    state, stack = {}, []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == "open":
                return stack[stack.index(m) :] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        state[n] = "done"
        stack.pop()
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def engine_graph():
    # a package's __init__ imports its own modules: that is the package, not a circle through it
    graph = {name: imports(name, path, tree) for name, path, tree in modules()}
    return {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}


def test_the_engine_has_no_import_circle():
    graph = engine_graph()
    assert graph["tinygrad_cn.value"] <= {"tinygrad_cn.messages", "tinygrad_cn.mode"}
    assert graph["tinygrad_cn.messages"] == set()
    assert find_circle(graph) is None, " -> ".join(find_circle(graph))


def test_the_circle_finder_finds_a_lazy_import_circle():
    tree = ast.parse("def f():\n    from .value import Value\n")
    deps = imports("tinygrad_cn.messages", ROOT / "messages.py", tree)
    graph = engine_graph()
    graph["tinygrad_cn.messages"] = deps  # as the landed code had it: describe() imported Value
    assert deps == {"tinygrad_cn.value"} and find_circle(graph) is not None


def test_the_engine_runs_no_generated_code():
    for name, _, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"exec", "eval", "compile"}, name
            assert not isinstance(node, ast.Global), f"{name}: a `global` statement"


def test_no_process_wide_mutable_state_but_the_registry():
    found = []
    for name, _, _ in modules():
        module = __import__(name, fromlist=["_"])
        for attr, value in vars(module).items():
            if attr.startswith("__") or isinstance(value, (types.ModuleType, type, types.FunctionType)):
                continue
            if isinstance(value, (dict, list, set, bytearray, np.ndarray)) and not (attr == "REGISTRY"):
                found.append(f"{name}.{attr}")
    assert found == []


def test_only_value_py_reads_a_nodes_slots():
    for name, _, tree in modules():
        if name == "tinygrad_cn.value":
            continue
        reads = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in SLOTS]
        assert reads == [], name


def test_docs_list_every_declaration_flag_and_who_reads_it():
    doc = (ROOT.parent / "docs" / "engine.md").read_text(encoding="utf-8")
    for flag in [*FLAGS, "effect", "forward", "backward"]:
        assert f"`{flag}`" in doc, flag


def test_a_declaration_is_checked():
    import pytest

    with pytest.raises(TypeError, match="unknown declaration.*elementwize"):

        class Typo(tg.Function, name="test_typo", elementwize=True):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g

    with pytest.raises(TypeError, match="infix must be a bool"):

        class BadFlag(tg.Function, name="test_bad_flag", infix="yes"):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g

    assert "test_typo" not in tg.REGISTRY and "test_bad_flag" not in tg.REGISTRY
