"""Gradient checking as the course does it (course 2 week 1, notation.md §8).

    dθ_approx[i] = (J(θ + ε eᵢ) − J(θ − ε eᵢ)) / (2ε)
    difference   = ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)

A check never says "fine" without having compared something: an input that J does not
depend on (both gradients exactly zero) is "not checked". Where the true gradient is tiny,
the relative difference is all rounding noise, so an absolute floor is added: a two-sided
difference of J computed in float64 carries a rounding error of about u·|J|/ε per entry
(u = 2.2e-16, the machine epsilon), and an analytic gradient within NOISE times that of the
numeric one is as close as a finite difference can tell.

`gradcheck` checks a function of inputs; `gradcheck_parameters` checks a model's parameters in
place (W1, b1, W2, ... in the course's order); `gradgradcheck` checks second derivatives;
`check_graph` checks every op node of a built graph on its own, so a wrong rule is found by name.
"""

import html
import math
import numbers
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .autodiff import all_nodes, gradients, unbroadcast
from .function import run_alone
from .messages import bilingual, describe
from .mode import enable_grad, no_effects, no_grad
from .value import Value, data_of, need_value, shape, zeros_like

FINE, BUG = 1e-7, 1e-3  # the course's thresholds
U = float(np.finfo(np.float64).eps)
NOISE = 10.0  # how many rounding errors of a two-sided difference still count as agreement

VERDICTS = MappingProxyType(
    {
        "fine": "正确",
        "noise": "正确（在有限差分的噪声之内）",
        "look again": "可疑，请再检查",
        "bug": "有错误",
        "not checked": "未检验：两个梯度都恰好为 0，没有可比较的",
        "cannot tell": "无法判断：J 的舍入噪声盖过了梯度（请从 J 中减去大的常数，或检查 J 的量级）",
        "not finite": "无法检验：这里 J 或梯度不是有限数（NaN 或 inf），请换一个点",
        "kink": "无法检验：每个元素都在不可导点（折点，如 relu 在 0）上",
    }
)
EN = MappingProxyType(
    {
        "fine": "fine",
        "noise": "fine (within finite-difference noise)",
        "look again": "look again",
        "bug": "bug",
        "not checked": "not checked: both gradients are exactly 0, nothing was compared",
        "cannot tell": "cannot tell: J's rounding noise drowns the gradient (subtract J's large constant, or check J's size)",
        "not finite": "cannot check: J or a gradient is not finite here (NaN or inf); try another point",
        "kink": "cannot check: every entry sits at a kink (as relu at 0), where there is no derivative",
    }
)


LEGEND = bilingual(  # the rules `InputCheck.key` applies, in its order
    "difference ≤ {tol:g} 正确；否则每个 |Δ| 都在噪声下限 {noise:g}·u·|J|/ε 之内也正确；"
    "{tol:g} 到 {bug:g} 之间可疑；≥ {bug:g} 有错误",
    "difference ≤ {tol:g}: fine; else every |Δ| within the noise floor {noise:g}·u·|J|/ε: fine; "
    "between {tol:g} and {bug:g}: look again; ≥ {bug:g}: bug",
)


UNCHECKED = bilingual(
    "J 不依赖于未检验的输入：f 是否忽略了传给它的副本？检验模型请用 gradcheck_parameters(cost, "
    "model.named_parameters())",
    "J does not depend on the unchecked inputs: does f ignore the copies it is given? To check a "
    "model, use gradcheck_parameters(cost, model.named_parameters())",
)


def relative_difference(numeric, analytic):
    numeric, analytic = np.ravel(numeric), np.ravel(analytic)
    denom = np.linalg.norm(numeric) + np.linalg.norm(analytic)
    return 0.0 if denom == 0 else float(np.linalg.norm(numeric - analytic) / denom)


def course_verdict(difference):
    """'fine', 'look again' or 'bug' by the course's thresholds."""
    return "fine" if difference <= FINE else "look again" if difference < BUG else "bug"


def check_eps(eps, where):
    if (
        isinstance(eps, bool)
        or not isinstance(eps, (int, float, np.floating))
        or not 0 < eps < 1
        or not math.isfinite(eps)
    ):
        raise ValueError(
            bilingual(
                f"{where}: eps 必须是 0 与 1 之间的正数，收到 {eps!r}",
                f"{where}: eps must be a positive number below 1, got {eps!r}",
            )
        )


def check_setting(x, name, where, integer=False, least=0):
    """A checker's setting: tol ≥ 0 a real number; seed ≥ 0 and max_entries ≥ 1 integers."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, kind) or x != x or x < least or x == math.inf:
        what = ("整数", "an integer") if integer else ("实数", "a real number")
        raise (ValueError if isinstance(x, kind) and not isinstance(x, (bool, np.bool_)) else TypeError)(
            bilingual(
                f"{where}: {name} 必须是 ≥ {least} 的{what[0]}，收到 {x!r:.40}",
                f"{where}: {name} must be {what[1]} ≥ {least}, got {x!r:.40}",
            )
        )


UNCHECKABLE = ("not finite", "kink", "cannot tell")  # what says nothing about the rule itself


@dataclass
class InputCheck:
    """One input (or parameter) compared entry by entry."""

    name: str
    difference: float  # the course's relative difference
    max_error: float  # max |numeric − analytic|
    floor: float  # the rounding noise of the numeric gradient
    checked: bool  # False: both gradients exactly zero
    tol: float = FINE
    scale: float = 0.0  # the largest |entry| of the two gradients
    finite: bool = True  # False: J or a gradient is NaN or inf at this point
    kinks: int = 0  # entries left out: J's one-sided slopes differ there (relu at 0)
    compared: int = 1  # entries compared

    @property
    def key(self):
        if not self.finite:
            return "not finite"
        if not self.compared and self.kinks:
            return "kink"
        if not self.checked:
            return "not checked"
        if self.difference <= self.tol:
            return "fine"
        if self.max_error <= self.floor:
            # agreement within the noise proves something only where the noise is small beside the
            # gradient, or tiny anyway: a constant of 1e8 in J makes a floor that hides a 25% error
            return "noise" if self.floor <= max(0.1 * self.scale, FINE) else "cannot tell"
        return course_verdict(self.difference)

    @property
    def ok(self):
        return self.key in ("fine", "noise")

    @property
    def verdict(self):
        return bilingual(VERDICTS[self.key], EN[self.key])


@dataclass
class GradcheckReport:
    difference: float  # over all inputs together, as the course computes it
    per_input: list  # [InputCheck, ...]
    eps: float
    tol: float

    @property
    def ok(self):
        """Every input compared and found right (an unchecked input is not "fine")."""
        return bool(self.per_input) and all(c.ok for c in self.per_input)

    @property
    def key(self):
        keys = {c.key for c in self.per_input}
        if self.ok:
            return "fine" if self.difference <= self.tol else "noise"
        if keys == {"not checked"}:
            return "not checked"
        bad = [c for c in self.per_input if not c.ok and c.key != "not checked"]
        wrong = [c for c in bad if c.key not in UNCHECKABLE]
        if wrong:
            return course_verdict(max(c.difference for c in wrong))
        for key in UNCHECKABLE:  # nothing found wrong, but something could not be checked
            if any(c.key == key for c in bad):
                return key
        return "not checked"

    @property
    def verdict(self):
        return bilingual(VERDICTS[self.key], EN[self.key])

    @property
    def worst(self):
        """The input or parameter that is off the most (None when all are right)."""
        bad = [c for c in self.per_input if c.checked and not c.ok and c.key not in UNCHECKABLE]
        return max(bad, key=lambda c: c.difference).name if bad else None

    def __str__(self):
        mark = "✓" if self.ok else "✗"
        lines = [
            f"{bilingual('梯度检验', 'gradient check')} (ε = {self.eps:g}): difference = "
            f"{self.difference:.3e}  {mark} {self.verdict}",
            "  " + LEGEND.format(tol=self.tol, noise=NOISE, bug=BUG),
        ]
        width = max([len(c.name) for c in self.per_input] + [12])
        lines += [
            f"  {c.name:<{width}}  {c.difference:.3e}  max|Δ| {c.max_error:.1e} (floor {c.floor:.1e})  {c.verdict}"
            for c in self.per_input
        ]
        if self.worst:
            lines.append(f"  {bilingual('最可疑', 'most off')}: {self.worst}")
        if any(not c.checked for c in self.per_input):
            lines.append("  " + UNCHECKED)
        kinks = sum(c.kinks for c in self.per_input)
        if kinks:
            lines.append("  " + bilingual(f"{kinks} 个元素在折点上，未比较", f"{kinks} entries at a kink left out"))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        rows = "".join(
            f"<tr><td>{html.escape(c.name)}</td><td>{c.difference:.3e}</td>"
            f"<td>{c.max_error:.1e}</td><td>{html.escape(c.verdict)}</td></tr>"
            for c in self.per_input
        )
        color = "green" if self.ok else "crimson"
        return (
            f"<div><b style='color:{color}'>{bilingual('梯度检验', 'gradient check')}: difference = "
            f"{self.difference:.3e} — {html.escape(self.verdict)}</b><table><tr><th>{bilingual('输入', 'input')}"
            f"</th><th>difference</th><th>max |Δ|</th><th></th></tr>{rows}</table><small>ε = {self.eps:g}; "
            f"{html.escape(LEGEND.format(tol=self.tol, noise=NOISE, bug=BUG))}</small></div>"
        )


def _scalar_output(f, args, where="gradcheck"):
    y = f(*args)
    if not isinstance(y, Value) or np.size(y.data) != 1:
        raise TypeError(
            bilingual(
                f"{where}: f 必须返回标量 Value（代价 J）",
                f"{where}: f must return a scalar Value (the cost J), got {y!r:.80}",
            )
        )
    return y


@no_effects()
def _compare(evaluate, leaves, names, eps, tol):
    """Nudge each entry of each leaf in place (restored after), compare with backward. Without
    the ops' effects: checking a model never changes it (batch norm's running averages)."""
    check_eps(eps, "gradcheck")
    check_setting(tol, "tol", "gradcheck")
    with enable_grad():
        J = evaluate()
        analytic = gradients(J, leaves) if J.requires_grad else [zeros_like(x.data) for x in leaves]
    J0 = J.item()
    numeric, floors, kinks = [], [], []
    with no_grad():
        for x in leaves:
            base = x.data
            flat = np.array(base, dtype=np.float64).reshape(-1)
            out, floor, kink = np.empty(flat.size), np.empty(flat.size), np.zeros(flat.size, dtype=bool)
            try:
                for i in range(flat.size):
                    keep = flat[i]
                    flat[i] = keep + eps
                    x.data = flat.reshape(np.shape(base)) if np.ndim(base) else float(flat[0])
                    plus = evaluate().item()
                    flat[i] = keep - eps
                    x.data = flat.reshape(np.shape(base)) if np.ndim(base) else float(flat[0])
                    minus = evaluate().item()
                    flat[i] = keep
                    out[i] = (plus - minus) / (2 * eps)
                    floor[i] = NOISE * U * max(abs(plus), abs(minus)) / eps
                    # a kink: the slopes on the two sides differ, and by as much at a tenth of ε
                    # (a smooth J's differ by its curvature times ε, which shrinks with ε)
                    gap = abs((plus - J0) - (J0 - minus)) / eps
                    if gap > max(1e-2 * max(1.0, abs(out[i])), 10 * floor[i]):
                        kink[i] = _slope_gap(evaluate, x, flat, base, i, eps / 10, J0) > 0.5 * gap
            finally:
                x.data = base
            numeric.append(out)
            floors.append(floor)
            kinks.append(kink)
    checks = []
    analytic = [np.ravel(np.asarray(data_of(a), dtype=np.float64)) for a in analytic]
    for k, (n, a, fl) in enumerate(zip(numeric, analytic, floors)):
        finite = bool(np.all(np.isfinite(n)) and np.all(np.isfinite(a)) and math.isfinite(J0))
        keep = ~kinks[k] if finite else np.ones(n.size, dtype=bool)  # (NaN slopes are no kink)
        numeric[k], analytic[k], floors[k] = n[keep], a[keep], fl[keep]
    for k, (name, n, a, fl) in enumerate(zip(names, numeric, analytic, floors)):
        err = np.abs(n - a)
        checked = bool(np.any(n != 0) or np.any(a != 0))
        scale = float(max(np.abs(n).max(initial=0.0), np.abs(a).max(initial=0.0)))
        checks.append(
            InputCheck(
                name,
                relative_difference(n, a),
                float(err.max(initial=0.0)),
                float(fl.max(initial=0.0)),
                checked,
                tol,
                scale,
                bool(np.all(np.isfinite(err)) and math.isfinite(J0)),
                int(kinks[k].sum()) if n.size < kinks[k].size else 0,
                int(n.size),
            )
        )
    total = relative_difference(
        np.concatenate([np.ravel(n) for n in numeric] or [np.zeros(0)]),
        np.concatenate([np.ravel(a) for a in analytic] or [np.zeros(0)]),
    )
    return GradcheckReport(total, checks, eps, tol)


def _slope_gap(evaluate, x, flat, base, i, eps, J0):
    """|right slope − left slope| of J at entry i of x, with step eps (x restored by the caller)."""
    keep = flat[i]
    sides = []
    for step in (eps, -eps):
        flat[i] = keep + step
        x.data = flat.reshape(np.shape(base)) if np.ndim(base) else float(flat[0])
        sides.append(evaluate().item())
    flat[i] = keep
    return abs((sides[0] - J0) - (J0 - sides[1])) / eps


def _float64_leaf(x, i):
    if isinstance(x, Value):
        data = np.array(x.data, dtype=np.float64) if x.shape else float(x.data)
        return Value(data, label=x.label if isinstance(x.label, str) and x.label else f"inputs[{i}]")
    v = Value(x, label=f"inputs[{i}]")
    return Value(v.data.astype(np.float64), label=v.label) if v.shape else v


def gradcheck(f, *inputs, eps=1e-7, tol=FINE):
    """Compare backward's dJ/dθ with two-sided differences of J = f(*inputs), in float64.

    f gets fresh float64 copies of the inputs; a Value given keeps its own data."""
    if not callable(f):
        raise TypeError(
            bilingual("gradcheck: 第一个参数必须是函数 f", "gradcheck: the first argument must be a function f")
        )
    if not inputs:
        raise ValueError(bilingual("gradcheck: 至少要有一个输入", "gradcheck: give at least one input"))
    check_eps(eps, "gradcheck")
    xs = [_float64_leaf(x, i) for i, x in enumerate(inputs)]
    return _compare(lambda: _scalar_output(f, xs), xs, [describe(x) for x in xs], eps, tol)


def gradcheck_parameters(cost, named_parameters, eps=1e-7, tol=2e-7):
    """The course's check of a whole model: `cost()` rebuilds J from the parameters' current data;
    `named_parameters` is [(name, Value), ...] in the course's order (W1, b1, W2, ...). Each entry
    is nudged in place and restored; the report names the parameter that is off. As in the course's
    assignment, a difference under 2e-7 is fine."""
    if not callable(cost):
        raise TypeError(
            bilingual(
                "gradcheck_parameters: cost 必须是函数（无参数，返回 J）",
                "gradcheck_parameters: cost must be a function (no arguments, returning J)",
            )
        )
    try:
        named = list(named_parameters)
    except TypeError:  # not a list of pairs at all (None, a number, a 0-d array)
        named = []
    if not named or not all(
        isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], Value) for item in named
    ):
        raise TypeError(
            bilingual(
                "gradcheck_parameters: 需要 [(名字, Value), ...]", "gradcheck_parameters: needs [(name, Value), ...]"
            )
        )
    from .messages import course_name

    return _compare(
        lambda: _scalar_output(cost, (), "gradcheck_parameters"),
        [p for _, p in named],
        [f"{course_name(n)} {p.shape}" for n, p in named],
        eps,
        tol,
    )


def gradgradcheck(f, *inputs, eps=1e-6, tol=1e-6, seed=0):
    """Second derivatives: backward of backward (create_graph=True) against two-sided differences
    of the first derivative, along a random direction u: d/dθ ⟨u, ∇J(θ)⟩ (PyTorch's gradgradcheck)."""
    check_eps(eps, "gradgradcheck")
    check_setting(seed, "seed", "gradgradcheck", integer=True)
    xs = [_float64_leaf(x, i) for i, x in enumerate(inputs)]
    rng = np.random.default_rng(seed)
    us = [rng.standard_normal(x.shape) if x.shape else float(rng.standard_normal()) for x in xs]

    def directional():
        with enable_grad():
            J = _scalar_output(f, xs, "gradgradcheck")
            grads = gradients(J, xs, create_graph=True)
        s = Value(0.0, requires_grad=False)
        for g, u in zip(grads, us):
            s = s + (g * u).sum() if isinstance(g, Value) else s + float(np.sum(g * u))
        return s

    return _compare(directional, xs, [describe(x) for x in xs], eps, tol)


def assert_gradcheck(f, *inputs, eps=1e-7, tol=FINE):
    """For pytest: raise AssertionError with the report unless every input was checked and fine."""
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
    differences: dict  # input position -> relative difference
    status: str = "wrong"  # "wrong" or "not checkable"
    why: str = ""

    @property
    def wrong(self):
        return self.status == "wrong"

    @property
    def difference(self):
        return max(self.differences.values(), default=float("nan"))

    def __str__(self):
        name = self.label if isinstance(self.label, str) and self.label else None
        if not self.wrong:
            return bilingual(
                f"{self.op} 节点 {name or '(无标签)'} 无法检验：{self.why}",
                f"{self.op} at {name or '(unlabeled)'} cannot be checked: {self.why}",
            )
        parts = ", ".join(f"{describe(self.node.inputs[i])}: {d:.2e}" for i, d in self.differences.items())
        return bilingual(
            f"{self.op} 节点 {name or '(无标签)'} 的 backward 与数值差分不符",
            f"backward of {self.op} at {name or '(unlabeled)'} disagrees with "
            f"numerical differences ({parts}){self.why}",
        )

    __repr__ = __str__


def _analytic(g, like, fn, p):
    """A rule's grad for input p, flat, in float64; a grad that is no real number or array is refused."""
    try:
        out = np.ravel(np.asarray(unbroadcast(data_of(g), like, fn.name), dtype=np.float64))
    except (TypeError, AttributeError) as e:
        out = e
    except ValueError as e:  # unbroadcast's own refusal keeps its words
        if " / " in str(e):
            raise
        out = e
    if isinstance(out, Exception) or out.size != np.size(like):
        raise TypeError(
            bilingual(
                f"{fn.name}.backward 对 {describe(p)} 返回了 {type(g).__name__}：梯度必须是实数或实数数组",
                f"{fn.name}.backward returned a {type(g).__name__} for {describe(p)}: a grad must be a real "
                "number or array of the input's shape",
            )
        )
    return out


def check_node(node, eps=1e-6, max_entries=32, rng=None, tol=1e-6):
    """Check one op node's backward rule at its recorded inputs; None when right, else a NodeCheck."""
    rng = rng or np.random.default_rng(0)
    fn, kwargs, inputs = node.fn, node.attrs, node.inputs
    raw = [data_of(p) for p in inputs]
    raw = [np.array(r, dtype=np.float64) if type(r) is not float else r for r in raw]

    def at(args):
        return np.asarray(run_alone(fn, inputs, args, kwargs)[0], dtype=np.float64)

    def moved(i, j, delta):
        """The op's own forward with entry j of input i moved by delta."""
        args = list(raw)
        if type(raw[i]) is float:
            args[i] = raw[i] + delta
        else:
            args[i] = raw[i].copy()
            args[i].reshape(-1)[j] += delta
        return at(args)

    out, ctx = run_alone(fn, inputs, raw, kwargs)
    o0 = np.asarray(out, dtype=np.float64)
    if not np.array_equal(o0, at(list(raw)), equal_nan=True):
        return NodeCheck(
            node,
            node.op,
            node.label,
            {},
            "not checkable",
            bilingual("前向是随机的（两次结果不同）", "its forward is random (two runs differ)"),
        )
    G = rng.standard_normal(shape(out)) if shape(out) else float(rng.standard_normal())
    grads = fn.backward(ctx, G)
    grads = grads if isinstance(grads, tuple) else (grads,)
    result, none_for, compared = {}, [], False
    for i, (p, g) in enumerate(zip(inputs, grads)):
        if not isinstance(p, Value) or not p.requires_grad:
            continue
        size = int(np.size(raw[i]))
        picks = range(size) if size <= max_entries else rng.choice(size, max_entries, replace=False)
        analytic = np.zeros(size) if g is None else _analytic(g, raw[i], fn, p)
        numeric, kept, floor = [], [], 0.0
        for j in picks:
            op_, om = moved(i, j, eps), moved(i, j, -eps)
            central = float(np.sum(G * (op_ - om))) / (2 * eps)
            right, left = float(np.sum(G * (op_ - o0))) / eps, float(np.sum(G * (o0 - om))) / eps
            if abs(right - left) > 1e-2 * max(1.0, abs(central)):
                continue  # a kink (relu at 0): no derivative to compare with
            numeric.append(central)
            kept.append(analytic[j])
            floor = max(floor, NOISE * U * float(np.sum(np.abs(G * op_)) + np.sum(np.abs(G * om))) / (2 * eps))
        if not kept:
            continue
        compared = True
        numeric, kept = np.array(numeric), np.array(kept)
        if not (np.all(np.isfinite(numeric)) and np.all(np.isfinite(kept))):
            return NodeCheck(
                node,
                node.op,
                node.label,
                {},
                "not checkable",
                bilingual("这里有 NaN 或 inf，没有可比较的数", "NaN or inf here: there is nothing to compare"),
            )
        if g is None and np.any(np.abs(numeric) > floor):
            none_for.append(i)
        d = relative_difference(numeric, kept)
        if d > tol and np.max(np.abs(numeric - kept)) > floor:
            result[i] = d
    if none_for:
        names = ", ".join(describe(inputs[i]) for i in none_for)
        return NodeCheck(
            node,
            node.op,
            node.label,
            result or {i: 1.0 for i in none_for},
            "wrong",
            bilingual(
                f"；backward 对可导的输入 {names} 返回了 None",
                f"; backward returned None for differentiable input {names}",
            ),
        )
    if result:
        return NodeCheck(node, node.op, node.label, result)
    if not compared and any(isinstance(p, Value) and p.requires_grad for p in inputs):
        return NodeCheck(
            node,
            node.op,
            node.label,
            {},
            "not checkable",
            bilingual("每个输入都在不可导点（折点）上", "every entry sits at a kink"),
        )
    return None


def check_graph(root, eps=1e-6, tol=1e-6, max_entries=32, seed=0):
    """Check each op node of the graph under `root` on its own; return those that are wrong
    (`.status == "wrong"`) or cannot be checked (`"not checkable"`: a random forward, every entry
    at a kink). An empty list means every node was compared and is right.

    Each entry names the op and the node's label, so a wrong rule in a custom op is found by
    name, not as "somewhere in the net". Inputs larger than `max_entries` are checked on a random
    sample of entries; entries at a kink are skipped.
    """
    need_value(root, "check_graph")
    check_eps(eps, "check_graph")
    check_setting(tol, "tol", "check_graph")
    check_setting(max_entries, "max_entries", "check_graph", integer=True, least=1)
    check_setting(seed, "seed", "check_graph", integer=True)
    rng = np.random.default_rng(seed)
    found = []
    with no_grad():
        for node in all_nodes(root):
            if not node.is_leaf:
                result = check_node(node, eps, max_entries, rng, tol)
                if result is not None:
                    found.append(result)
    return found
