"""Gradient checking as the course does it (course 2, notation.md §8).

    dθ_approx[i] = (J(θ + ε eᵢ) − J(θ − ε eᵢ)) / (2ε)
    difference   = ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)

`gradcheck` checks a whole function; `check_graph` checks every op node of a
built graph on its own, so a wrong backward rule is found by name.
"""
import html
from dataclasses import dataclass, field

import numpy as np

from .autodiff import all_nodes, gradients, unbroadcast
from .function import run_alone
from .messages import bilingual, describe
from .mode import no_grad
from .value import Value, data_of, shape

FINE, BUG = 1e-7, 1e-3  # the course's thresholds


def relative_difference(numeric, analytic):
    numeric, analytic = np.ravel(numeric), np.ravel(analytic)
    denom = np.linalg.norm(numeric) + np.linalg.norm(analytic)
    return 0.0 if denom == 0 else float(np.linalg.norm(numeric - analytic) / denom)


def verdict(difference):
    """(zh, en) by the course's thresholds."""
    if difference <= FINE:
        return "正确", "fine"
    if difference < BUG:
        return "可疑，请再检查", "look again"
    return "有错误", "bug"


@dataclass
class GradcheckReport:
    difference: float                 # over all inputs together
    per_input: list                   # [(name, difference), ...]
    eps: float
    tol: float
    ok: bool = field(init=False)

    def __post_init__(self):
        self.ok = self.difference <= self.tol

    @property
    def verdict(self):
        return bilingual(*verdict(self.difference))

    def __str__(self):
        mark = "✓" if self.ok else "✗"
        lines = [f"梯度检验 / gradient check (ε = {self.eps:g}): difference = {self.difference:.3e}  "
                 f"{mark} {self.verdict}",
                 "  (≤ 1e-7 正确/fine · ≈ 1e-5 可疑/look again · ≥ 1e-3 有错误/bug)"]
        width = max([len(n) for n, _ in self.per_input] + [12])
        lines += [f"  {name:<{width}}  {d:.3e}  {bilingual(*verdict(d))}" for name, d in self.per_input]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        rows = "".join(f"<tr><td>{html.escape(n)}</td><td>{d:.3e}</td><td>{bilingual(*verdict(d))}</td></tr>"
                       for n, d in self.per_input)
        color = "green" if self.ok else "crimson"
        return (f"<div><b style='color:{color}'>梯度检验 / gradient check: difference = {self.difference:.3e} — "
                f"{self.verdict}</b><table><tr><th>输入 / input</th><th>difference</th><th></th></tr>{rows}</table>"
                f"<small>ε = {self.eps:g}; ≤ 1e-7 正确/fine, ≈ 1e-5 可疑/look again, ≥ 1e-3 有错误/bug</small></div>")


def _float64_leaf(x, i):
    if isinstance(x, Value):
        return Value(np.array(x.data, dtype=np.float64) if x.shape else float(x.data), label=x.label or f"inputs[{i}]")
    v = Value(x, label=f"inputs[{i}]")
    return Value(v.data.astype(np.float64), label=v.label) if v.shape else v


def _scalar_output(f, xs):
    y = f(*xs)
    if not isinstance(y, Value) or np.size(y.data) != 1:
        raise TypeError(bilingual("gradcheck: f 必须返回标量 Value（代价 J）",
                                  f"gradcheck: f must return a scalar Value (the cost J), got {y!r:.80}"))
    return y


def gradcheck(f, *inputs, eps=1e-7, tol=FINE):
    """Compare backward's dJ/dθ with two-sided differences of J = f(*inputs), in float64."""
    xs = [_float64_leaf(x, i) for i, x in enumerate(inputs)]
    analytic = gradients(_scalar_output(f, xs), xs)
    numeric = []
    with no_grad():
        for x in xs:
            if not x.shape:
                base = x._data
                x._data = base + eps; plus = _scalar_output(f, xs).item()
                x._data = base - eps; minus = _scalar_output(f, xs).item()
                x._data = base
                numeric.append((plus - minus) / (2 * eps))
                continue
            flat, out = x._data.reshape(-1), np.empty(x._data.size)
            for i in range(flat.size):
                base = flat[i]
                flat[i] = base + eps; plus = _scalar_output(f, xs).item()
                flat[i] = base - eps; minus = _scalar_output(f, xs).item()
                flat[i] = base
                out[i] = (plus - minus) / (2 * eps)
            numeric.append(out)
    per_input = [(describe(x), relative_difference(n, a)) for x, n, a in zip(xs, numeric, analytic)]
    total = relative_difference(np.concatenate([np.ravel(n) for n in numeric]),
                                np.concatenate([np.ravel(a) for a in analytic]))
    return GradcheckReport(total, per_input, eps, tol)


def assert_gradcheck(f, *inputs, eps=1e-7, tol=FINE):
    """For pytest: raise AssertionError with the report when difference > tol."""
    report = gradcheck(f, *inputs, eps=eps, tol=tol)
    if not report.ok:
        raise AssertionError("\n" + str(report))
    return report


# ---- one node at a time ----------------------------------------------------
@dataclass
class NodeCheck:
    node: Value
    op: str
    label: str
    differences: dict                 # input position -> relative difference

    @property
    def difference(self):
        return max(self.differences.values())

    def __str__(self):
        parts = ", ".join(f"{describe(self.node.inputs[i])}: {d:.2e}" for i, d in self.differences.items())
        return bilingual(f"{self.op} 节点 {self.label or '(无标签)'} 的 backward 与数值差分不符",
                         f"backward of {self.op} at {self.label or '(unlabeled)'} disagrees with "
                         f"numerical differences ({parts})")

    __repr__ = __str__


def check_node(node, eps=1e-6, max_entries=32, rng=None):
    """Check one op node's backward rule at its recorded inputs; return {input: difference}."""
    rng = rng or np.random.default_rng(0)
    fn, kwargs, inputs = node.fn, node.attrs, node.inputs
    raw = [data_of(p) for p in inputs]
    raw = [np.array(r, dtype=np.float64) if type(r) is not float else r for r in raw]

    def at(i, j, delta):
        """The op's own forward with entry j of input i moved by delta."""
        args = list(raw)
        if type(raw[i]) is float:
            args[i] = raw[i] + delta
        else:
            args[i] = raw[i].copy()
            args[i].reshape(-1)[j] += delta
        return np.asarray(run_alone(fn, inputs, args, kwargs)[0], dtype=np.float64)

    out, ctx = run_alone(fn, inputs, raw, kwargs)
    G = rng.standard_normal(shape(out)) if shape(out) else float(rng.standard_normal())
    grads = fn.backward(ctx, G)
    grads = grads if isinstance(grads, tuple) else (grads,)
    o0 = np.asarray(out, dtype=np.float64)
    result = {}
    for i, (p, g) in enumerate(zip(inputs, grads)):
        if g is None or not isinstance(p, Value) or not p.requires_grad:
            continue
        analytic = np.ravel(unbroadcast(g, raw[i], fn.name))
        size = int(np.size(raw[i]))
        picks = range(size) if size <= max_entries else rng.choice(size, max_entries, replace=False)
        numeric, kept = [], []
        for j in picks:
            op_, om = at(i, j, eps), at(i, j, -eps)
            central = float(np.sum(G * (op_ - om))) / (2 * eps)
            right, left = float(np.sum(G * (op_ - o0))) / eps, float(np.sum(G * (o0 - om))) / eps
            if abs(right - left) > 1e-2 * max(1.0, abs(central)):
                continue  # a kink (relu at 0): no derivative to compare with
            numeric.append(central)
            kept.append(analytic[j])
        if kept:
            result[i] = relative_difference(numeric, kept)
    return result


def check_graph(root, eps=1e-6, tol=1e-6, max_entries=32, seed=0):
    """Check each op node of the graph under `root` on its own; return the failing ones.

    Each failure names the op and the node's label, so a wrong rule in a custom op is
    found by name, not as "somewhere in the net". Inputs larger than `max_entries`
    are checked on a random sample of entries; points at a kink are skipped.
    """
    rng = np.random.default_rng(seed)
    failures = []
    with no_grad():
        for node in all_nodes(root):
            if node.is_leaf:
                continue
            diffs = check_node(node, eps, max_entries, rng)
            if any(d > tol for d in diffs.values()):
                failures.append(NodeCheck(node, node.op, node.label, diffs))
    return failures
