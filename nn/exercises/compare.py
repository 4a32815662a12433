"""Compare what a student's function returned with what it should return, item by item, and name
the first mistake in the course's words (a wrong shape, a missing 1/m, a sign, a transposed product,
a missing keepdims ...). Every message is Chinese first, English alongside."""

import numpy as np

from tinygrad_cn.messages import bilingual

RTOL, ATOL = 1e-6, 1e-9  # the engine and the formulas agree to ~1e-12; a real mistake is far off


def _close(a, b):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _as_numbers(got):
    """The student's item as a float array, or a hint saying why it is not one."""
    if type(got).__name__ == "Value":
        return None, bilingual("返回的是 Value，请返回数组：用 .data", "a Value was returned: return the array (.data)")
    if isinstance(got, (str, bytes, dict, set)) or got is None:
        return None, bilingual(
            f"应当是数（numpy 数组），却是 {type(got).__name__}",
            f"should be numbers (a numpy array), got {type(got).__name__}",
        )
    try:
        a = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None, bilingual(
            f"应当是数（numpy 数组），却是 {type(got).__name__}",
            f"should be numbers (a numpy array), got {type(got).__name__}",
        )
    return a, None


def _shape_hint(g, e):
    if e.ndim == 2 and g.shape == e.shape[::-1]:
        return bilingual(
            f"形状是 {g.shape}，应为 {e.shape}：转置了——检查乘积的顺序（dZ Xᵀ 而不是 X dZᵀ）或少了/多了 .T",
            f"shape {g.shape}, expected {e.shape}: transposed — check the product's order (dZ Xᵀ, not X dZᵀ) "
            f"or a missing/extra .T",
        )
    if e.ndim == 2 and g.ndim == 1 and g.size == e.size:
        return bilingual(
            f"形状是一维数组 {g.shape}，应为 {e.shape}：np.sum 加上 keepdims=True，或 reshape({e.shape[0]}, {e.shape[1]})",
            f"a one-dimensional array {g.shape}, expected {e.shape}: np.sum(..., keepdims=True) or "
            f"reshape({e.shape[0]}, {e.shape[1]})",
        )
    if e.ndim == 2 and e.shape[1] == 1 and g.ndim == 0:
        return bilingual(
            f"得到一个数，应为 {e.shape}：按行求和 np.sum(dZ, axis=1, keepdims=True)，不是对全部求和",
            f"a single number, expected {e.shape}: sum along the rows, np.sum(dZ, axis=1, keepdims=True), not over all",
        )
    if e.ndim == 0 and g.size == 1:
        return bilingual(
            f"形状是 {g.shape}，应为一个数：用 np.squeeze(...) 或 float(...)",
            f"shape {g.shape}, expected a single number: use np.squeeze(...) or float(...)",
        )
    return bilingual(f"形状是 {g.shape}，应为 {e.shape}", f"shape {g.shape}, expected {e.shape}")


def _value_hint(g, e, m):
    if not np.all(np.isfinite(g)):
        return False, bilingual(
            "出现了 nan 或 inf：log(0)？除以 0？exp 溢出？",
            "nan or inf appeared: log(0)? a division by 0? exp overflowing?",
        )
    if m > 1 and _close(g, e * m):
        return False, bilingual(
            f"大了 m = {m} 倍：缺少 1/m（成本函数是损失的平均）",
            f"{m} = m times too large: the factor 1/m is missing (the cost is the mean of the losses)",
        )
    if m > 1 and _close(g * m, e):
        return False, bilingual(
            f"小了 m = {m} 倍：多除了一次 m（课程的 dZ、dA 不含 1/m，只有 dW、db 含）",
            f"{m} = m times too small: an extra 1/m (the course's dZ, dA carry no 1/m; only dW and db do)",
        )
    if np.any(e != 0) and _close(g, -e):
        return False, bilingual("符号反了", "the sign is flipped")
    if e.ndim == 2 and e.shape[0] == e.shape[1] and _close(g, e.T):
        return False, bilingual("转置了：检查乘积的顺序或 .T", "transposed: check the product's order or a .T")
    i = tuple(int(k) for k in np.unravel_index(np.argmax(np.abs(g - e)), e.shape)) if e.ndim else ()
    at = f"在 {i} 处" if e.ndim else ""
    return True, bilingual(
        f"数值不对：{at}得到 {g[i]:.6g}，应为 {e[i]:.6g}",
        f"wrong values: {f'at {i} ' if e.ndim else ''}got {g[i]:.6g}, expected {e[i]:.6g}",
    )


def first_mistake(got, expected, m, path=()):
    """None when got matches expected everywhere, else (path, hint, plain) for the first item that does
    not: path the keys and indices that lead to it, plain True when the hint only says the values differ.
    Dicts are compared key by key, tuples and lists item by item, numbers with a tolerance; m (the
    examples) names a missing or extra 1/m."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            hint = bilingual(
                f"应当返回字典（键 {sorted(expected)}），却是 {type(got).__name__}",
                f"should return a dict (keys {sorted(expected)}), got {type(got).__name__}",
            )
            return path, hint, False
        for key, e in expected.items():
            if key not in got:
                return path, bilingual(f"缺少键 {key!r}", f"the key {key!r} is missing"), False
            found = first_mistake(got[key], e, m, (*path, key))
            if found:
                return found
        return None
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return (
                path,
                bilingual(
                    f"应当返回 {len(expected)} 项的元组或列表，却是 {type(got).__name__}",
                    f"should return a tuple or list of {len(expected)} items, got {type(got).__name__}",
                ),
                False,
            )
        if len(got) != len(expected):
            return (
                path,
                bilingual(f"有 {len(got)} 项，应为 {len(expected)} 项", f"{len(got)} items, expected {len(expected)}"),
                False,
            )
        for i, (g, e) in enumerate(zip(got, expected)):
            found = first_mistake(g, e, m, (*path, i))
            if found:
                return found
        return None
    if isinstance(expected, str):
        return None if got == expected else (path, bilingual(f"应为 {expected!r}", f"expected {expected!r}"), False)
    g, hint = _as_numbers(got)
    if hint:
        return path, hint, False
    e = np.asarray(expected, dtype=float)
    if g.shape != e.shape:
        return path, _shape_hint(g, e), False
    if _close(g, e) and np.all(np.isfinite(g) == np.isfinite(e)):
        return None
    plain, hint = _value_hint(g, e, m)
    return path, hint, plain


def item_at(value, path_items):
    """The item of a nested output at a path of keys/indices, or None when it is not there."""
    for k in path_items:
        try:
            value = value[k]
        except (KeyError, IndexError, TypeError):
            return None
    return value
