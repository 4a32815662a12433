"""Error and report wording: Chinese first, English alongside, course notation.

Imports nothing of the engine: it reads a node through its public attributes (label, op, shape),
so every module may use it and none is imported back."""

import re

_LAYERED = re.compile(r"^(d?[A-Za-z]+)(\d+)$")


def bilingual(zh, en):
    return f"{zh} / {en}"


def course_name(label):
    """'W2' -> 'W[2]', 'dZ1' -> 'dZ[1]', 'A0' -> 'A[0]'; other labels unchanged."""
    label = label if isinstance(label, str) else repr(label)
    m = _LAYERED.match(label)
    return f"{m.group(1)}[{m.group(2)}]" if m else label


def shape_of(x):
    return getattr(x, "shape", ())


def describe(x):
    """How an operand is named in messages: 'W[2] (1, 4)', 'tanh(·) (4, 400)', 'constant ()'."""
    if hasattr(x, "requires_grad") and hasattr(x, "label"):  # a node
        op = getattr(x, "op", "")
        name = course_name(x.label) or (f"{op}(·)" if op else "value")
    else:
        name = "常数/constant"
    return f"{name} {shape_of(x)}"
