"""Course 1's assignments as exercises the engine checks.

    from nn.exercises import EXERCISES
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))
    EXERCISES["sigmoid"].check(sigmoid)      # prints ✓ sigmoid: 全部通过 / all passed; returns a truthy result

Each exercise holds `.solution` (the reference, with the course's signature) and `.check(fn)`, which
runs fn on several random cases and compares every item it returns with the engine's autograd (the
gradients) or the solution (everything else), naming the first mistake with a hint.
"""

from types import MappingProxyType

from tinygrad_cn.messages import bilingual

from . import week2, week3, week4
from .checking import CheckResult, Exercise

EXERCISES = MappingProxyType({e.name: e for e in (*week2.EXERCISES, *week3.EXERCISES, *week4.EXERCISES)})


def check(name, fn):
    """EXERCISES[name].check(fn), with a plain error for a name that is not an exercise."""
    if not isinstance(name, str) or name not in EXERCISES:
        raise ValueError(
            bilingual(
                f"没有名为 {name!r} 的练习；可选：{', '.join(EXERCISES)}",
                f"no exercise named {name!r}; there are: {', '.join(EXERCISES)}",
            )
        )
    return EXERCISES[name].check(fn)


__all__ = ["EXERCISES", "Exercise", "CheckResult", "check"]
