"""MkDocs hook: the API page's table of Value's math methods, read from the op registry when the
site is built (each op's declaration adds its method to Value, so no source file lists them)."""

WRITTEN = {  # how each Python operator is written on Values a and b
    "add": "a + b",
    "sub": "a - b",
    "mul": "a * b",
    "truediv": "a / b",
    "pow": "a ** b",
    "matmul": "a @ b",
    "neg": "-a",
    "abs": "abs(a)",
    "getitem": "a[index]",
}
MARKER = "<!-- value-methods -->"


def value_methods():
    import nn  # noqa: F401  (nn declares ops of its own)
    from tinygrad_cn import REGISTRY

    rows = [
        "| 写法 / on a Value | 运算 op | 图中 / drawn | 说明 / what |",
        "|---|---|---|---|",
    ]
    for name, op in REGISTRY.items():
        if op.__module__.split(".")[0] not in ("tinygrad_cn", "nn"):
            continue  # an op a test or a notebook defined
        uses = [f"`{WRITTEN[op.operator]}`"] if op.operator in WRITTEN else []
        if op.method:
            args = ["b", "c"][: (op.arity or 1) - 1] + list(op.attrs)  # other inputs, then attributes
            uses.append(f"`a.{op.method}({', '.join(args)})`")
        if uses:
            what = (op.__doc__ or "").strip().split("\n")[0]
            cells = [" · ".join(uses), f"`{name}`", op.symbol, what]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, **_):
    return markdown.replace(MARKER, value_methods()) if MARKER in markdown else markdown
