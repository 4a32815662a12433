"""detect_anomaly(): stop at the first op whose forward or backward makes NaN or inf."""

import numpy as np

from .messages import bilingual, describe
from .mode import _SetMode
from .value import data_of


class AnomalyError(FloatingPointError, ValueError):
    """Raised inside detect_anomaly() at the op that first produced NaN or inf (a ValueError, so
    callers that catch bad-input errors catch it too)."""


def detect_anomaly():
    """Context manager: every op checks its output (forward) and the grads it returns (backward)."""
    return _SetMode("anomaly", True)


def check_finite(x, op, node, phase):
    raw = data_of(x)
    if np.all(np.isfinite(raw)):
        return
    bad = "NaN" if np.any(np.isnan(raw)) else "inf"
    where = {"forward": ("前向", "forward of"), "backward": ("反向", "backward of")}[phase]
    about = (
        f"→ {describe(node)}"
        if phase == "backward"
        else f"{describe(node)}, inputs " + ", ".join(describe(p) for p in node.inputs)
    )
    raise AnomalyError(
        bilingual(f"检测到异常：{where[0]} {op} 产生了 {bad}", f"anomaly: {where[1]} {op} produced {bad} ({about})")
    )
