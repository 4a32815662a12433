"""An exercise: the course's reference solution, random cases, and a check that runs a student's
function on each case and compares every item it returns with the engine's autograd (gradients) or
the reference (everything else)."""

import copy
import inspect

import numpy as np

from tinygrad_cn.messages import bilingual

from .compare import first_mistake, item_at

SHAPE_WORDS = ("matmul", "aligned", "broadcast", "shapes")  # numpy's words when shapes do not fit
SHAPE_ADVICE = bilingual(
    "形状对不上：W[l] 是 (n[l], n[l−1])，A[l−1] 是 (n[l−1], m)，b[l] 是 (n[l], 1)；检查乘积的顺序和 .T",
    "the shapes do not fit: W[l] is (n[l], n[l−1]), A[l−1] (n[l−1], m), b[l] (n[l], 1); check the product's order and .T",
)


class CheckResult:
    """Truthy only when every case passed; `message` says so, or names the first mistake."""

    __slots__ = ("name", "passed", "message")

    def __init__(self, name, passed, message):
        self.name, self.passed, self.message = name, passed, message

    def __bool__(self):
        return self.passed

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"CheckResult({self.name!r}, passed={self.passed})"


def _describe(value):
    if isinstance(value, np.ndarray):
        return str(value.shape)
    if isinstance(value, (int, float, np.number)):
        return f"{value:.3g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return repr(value)
    return type(value).__name__


class Exercise:
    """name: the course's function name; solution: the reference with the course's signature;
    cases(rng): a list of argument tuples; expect(*args): what a right answer returns (by default the
    solution's; the engine's autograd where the answer is a gradient); outputs: names of the returned
    items; m(*args): the number of examples (names a missing 1/m); mistakes: (hint, wrong solution)
    pairs that name a known slip; advice: added to a plain 'wrong values'; seeded: np.random is seeded
    alike before the reference and the student's call (initializations)."""

    def __init__(self, name, solution, cases, expect=None, outputs=None, m=None, mistakes=(), advice="", seeded=False):
        self.name, self.solution, self.cases = name, solution, cases
        self.expect = expect or solution
        self.outputs, self.m, self.mistakes, self.advice, self.seeded = outputs, m, mistakes, advice, seeded
        self.arg_names = list(inspect.signature(solution).parameters)

    def __repr__(self):
        return f"Exercise({self.name!r})"

    def item_name(self, path):
        """How the item at path is named in a message: grads['dw'], cache[0], parameters['W1']."""
        if isinstance(self.outputs, str):
            head = self.outputs
        elif self.outputs and path and isinstance(path[0], int):
            head, path = self.outputs[path[0]], path[1:]
        else:
            head = "返回值/output"
        return head + "".join(f"[{k!r}]" for k in path)

    def _run(self, fn, args, seed):
        """fn(*copy of args), with np.random seeded when the exercise draws numbers."""
        args = copy.deepcopy(args)
        if self.seeded:
            np.random.seed(seed)
        with np.errstate(all="ignore"):
            return fn(*args)

    def _hint(self, args, seed, got, path, hint, plain):
        for known, wrong in self.mistakes:
            w = item_at(self._run(wrong, args, seed), path)
            g = item_at(got, path)
            if w is not None and g is not None and first_mistake(g, w, 1) is None:
                return known
        if self.advice and plain:
            return f"{hint}; {self.advice}"
        return hint

    def check(self, fn, quiet=False):
        """Run fn on every case; print and return the result (truthy only when all pass).
        A student's exception becomes the hint; it is never raised from here."""
        if not callable(fn):
            raise TypeError(
                bilingual(
                    f"check({self.name}) 需要一个函数，收到的是 {type(fn).__name__}",
                    f"check({self.name}) needs a function, got {type(fn).__name__}",
                )
            )
        state = np.random.get_state()  # the student's np.random is left as it was
        try:
            result = self._check(fn)
        finally:
            np.random.set_state(state)
        if not quiet:
            print(result.message)
        return result

    def _check(self, fn):
        cases = self.cases(np.random.default_rng(17))
        for n, args in enumerate(cases, 1):
            call = f"{self.name}({', '.join(f'{a} {_describe(v)}' for a, v in zip(self.arg_names, args))})"
            where = f"✗ {self.name}，例 {n} / case {n}: {call}"
            expected = self._run(self.expect, args, n)
            try:
                got = self._run(fn, args, n)
            except NotImplementedError:
                return CheckResult(
                    self.name,
                    False,
                    f"… {self.name}: "
                    + bilingual(
                        "还没写：把 raise NotImplementedError 换成你的代码",
                        "not written yet: replace raise NotImplementedError with your code",
                    ),
                )
            except Exception as exc:  # the student's mistake is the hint, never raised from check
                text = f"{type(exc).__name__}: {str(exc)[:300]}"
                message = f"{where}\n  " + bilingual("你的函数出错了", "your function raised") + f": {text}"
                if isinstance(exc, ValueError) and any(w in str(exc) for w in SHAPE_WORDS):
                    message += "\n  " + SHAPE_ADVICE
                return CheckResult(self.name, False, message)
            m = self.m(*args) if self.m else 1
            found = first_mistake(got, expected, m)
            if found:
                path, hint, plain = found
                hint = self._hint(args, n, got, path, hint, plain)
                return CheckResult(self.name, False, f"{where}\n  {self.item_name(path)}: {hint}")
        return CheckResult(
            self.name,
            True,
            f"✓ {self.name}: " + bilingual(f"全部通过（{len(cases)} 例）", f"all passed ({len(cases)} cases)"),
        )
