"""python -m viz "J = 3(a+bc)" a=5 b=3 c=2 -o J.svg [--lang en] [--steps J.html] [--quiz] [--walk both]

The expression is read with `ast` against a whitelist: numbers, names, + − × / ** (or ^),
parentheses, implicit multiplication as the lecture writes 3(a + bc) (after a number or ")",
and adjacent single letters that each have a value: bc is b·c), and the engine's one-input
elementwise ops (exp log tanh sigmoid relu leaky_relu softplus ..., read from its registry when
the command runs, so an op defined later is there too). "J = ..." names the output. Nothing is
evaluated as code. Every failure is one line in Chinese and English and exit code 2, and no file
is written (with --steps: both files or neither). A value given for a name the expression does
not use is a warning.
"""

import argparse
import ast
import io
import keyword
import math
import os
import re
import sys
import tokenize
from pathlib import Path

from tinygrad_cn import REGISTRY, Value
from tinygrad_cn.autodiff import all_nodes, topo_order
from tinygrad_cn.messages import bilingual
from tinygrad_cn.ops import div, power

from . import as_drawing, explore
from .graph import auto_names, num
from .renderer import FORMATS, render_bytes, write_atomic


def functions():
    """The scalar functions an expression may call: the registry's one-input elementwise ops,
    read now (not at import), so an op defined after `import viz` is usable."""
    return {op.method: op for op in REGISTRY.values() if op.method and op.elementwise and op.arity == 1}


BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: div,
    ast.Pow: power,
}  # div and power: IEEE results (inf, nan) even between numbers
OUTPUT = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)(.*)$", re.S)  # "J = 3(a+bc)": the output's name
MAX_CHARS, MAX_OPS, MAX_DEPTH = 400, 100, 40
LIMITS = bilingual(
    f"表达式最长 {MAX_CHARS} 个字符、{MAX_OPS} 个运算、嵌套 {MAX_DEPTH} 层",
    f"an expression has at most {MAX_CHARS} characters, {MAX_OPS} operations and {MAX_DEPTH} levels of nesting",
)


class ExprError(Exception):
    """A message for the user; exit code 2."""


def lecture_notation(expr):
    """'3(a+b*c)' -> '3*(a+b*c)', '(a)(b)' -> '(a)*(b)', 'b c' -> 'b*c', 'a^2' -> 'a**2'."""
    out, prev = [], None
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(expr).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return expr.replace("^", "**")  # the parser will say what is wrong
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        text = "**" if tok.string == "^" else tok.string
        word = tok.type == tokenize.NAME and not keyword.iskeyword(tok.string)
        starts_operand = word or tok.type == tokenize.NUMBER or text == "("
        ends_operand = prev is not None and (prev.type == tokenize.NUMBER or prev.string == ")")
        after_name = prev is not None and prev.type == tokenize.NAME and not keyword.iskeyword(prev.string)
        if (starts_operand and ends_operand) or (word and after_name):  # "a(" stays a call
            out.append("*")
        out.append(text)
        prev = tok
    return " ".join(out)


def parse(expr):
    if len(expr) > MAX_CHARS:
        raise ExprError(
            bilingual(
                f"表达式太长（{len(expr)} 个字符）：{LIMITS}", f"expression too long ({len(expr)} characters): {LIMITS}"
            )
        )
    try:
        tree = ast.parse(lecture_notation(expr), mode="eval").body
    except SyntaxError as e:
        raise ExprError(bilingual(f"表达式语法错误：{expr!r}", f"syntax error in expression: {e.msg}")) from None
    except (RecursionError, MemoryError, ValueError):  # pathological nesting; a NUL byte
        raise ExprError(bilingual(f"表达式无法解析：{LIMITS}", f"cannot read the expression: {LIMITS}")) from None
    ops = sum(isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Call)) for n in ast.walk(tree))
    if ops > MAX_OPS or depth(tree) > MAX_DEPTH:
        raise ExprError(bilingual(f"表达式太大：{LIMITS}", f"expression too large: {LIMITS}"))
    return tree


def depth(tree):
    """Nesting depth of an ast, without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


def build(tree, values, output=None):
    """Evaluate the whitelisted tree on Values; the output is `output` (or J), every other
    unnamed node takes the name pictures, explorer and quiz give it (u, v, … in order)."""
    fns = functions()

    def letters(name):
        """bc -> b·c when b and c each have a value (and bc has none), as the lecture writes it."""
        if name not in values and len(name) > 1 and all(ch in values and ch not in fns for ch in name):
            out = values[name[0]]
            for ch in name[1:]:
                out = out * values[ch]
            return out
        return None

    def ev(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            try:
                return float(node.value)
            except OverflowError:
                return math.inf
        if isinstance(node, ast.Name):
            if node.id in fns:
                raise ExprError(
                    bilingual(f"{node.id} 是函数，请写成 {node.id}(x)", f"{node.id} is a function: write {node.id}(x)")
                )
            product = letters(node.id)
            if product is not None:
                return product
            if node.id not in values:
                missing = [ch for ch in node.id if ch not in values] if len(node.id) > 1 else [node.id]
                hint = (
                    ("", "")
                    if len(missing) in (0, len(node.id))
                    else (
                        f"（或 {', '.join(missing)} 的值，读作乘积）",
                        f" (or for {', '.join(missing)}, to read it as a product)",
                    )
                )
                raise ExprError(
                    bilingual(
                        f"缺少 {node.id} 的值{hint[0]}：请加上 {node.id}=数值",
                        f"no value given for {node.id}{hint[1]}: add {node.id}=NUMBER",
                    )
                )
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            return BINARY[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            x = ev(node.operand)
            return -x if isinstance(node.op, ast.USub) else x
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            name = node.func.id
            if name not in fns and len(node.args) == 1 and (name in values or letters(name) is not None):
                return ev(ast.Name(name)) * ev(node.args[0])  # a(b + c): a product, as on the blackboard
            fn = fns.get(name)
            if fn is None:
                raise ExprError(
                    bilingual(
                        f"未知函数 {name}，可用：{', '.join(fns)}",
                        f"unknown function {name}; allowed: {', '.join(fns)}",
                    )
                )
            args = [ev(a) for a in node.args]
            if not 1 <= len(args) <= 1 + len(fn.attrs) or any(isinstance(a, Value) for a in args[1:]):
                raise ExprError(bilingual(f"{name} 的参数个数不对", f"wrong number of arguments to {name}"))
            x = args[0] if isinstance(args[0], Value) else Value(args[0], requires_grad=False)
            return fn.call(x, *args[1:])
        raise ExprError(
            bilingual(
                f"不允许的写法：{type(node).__name__}（只能用数字、名字、+ - * / ** ^、括号和 {', '.join(fns)}）",
                f"not allowed: {type(node).__name__} (only numbers, names, + - * / ** ^, "
                f"parentheses and {', '.join(fns)})",
            )
        )

    root = ev(tree)
    if not isinstance(root, Value) or not root.requires_grad:
        raise ExprError(bilingual("表达式里至少要有一个变量", "the expression needs at least one variable"))
    if not root.is_leaf:
        root.label = output or ("J" if "J" not in values else "J′")  # a variable may be called J: the output is then J′
    for node, name in auto_names(all_nodes(root)).items():
        node.label = name
    return root


def split_output(expr):
    """'J = 3(a+bc)' -> ('J', ' 3(a+bc)'); '3(a+bc)' -> (None, '3(a+bc)')."""
    m = OUTPUT.match(expr)
    if not m:
        return None, expr
    if not m.group(1).isascii():
        raise ExprError(
            bilingual(f"输出名应为英文字母：{m.group(1)!r}", f"the output's name must be ASCII: {m.group(1)!r}")
        )
    return m.group(1), m.group(2)


def unused(root, values):
    """The names given a value that the expression does not use."""
    used = {id(n) for n in all_nodes(root)}
    return [k for k, v in values.items() if id(v) not in used]


def parse_assignments(pairs):
    values = {}
    for pair in pairs:
        key, eq, text = pair.partition("=")
        if not eq or not key.isidentifier() or not key.isascii():
            raise ExprError(
                bilingual(f"参数应写成 名字=数值，收到 {pair!r}", f"arguments must be NAME=VALUE, got {pair!r}")
            )
        if key in functions():
            raise ExprError(bilingual(f"{key} 是函数名，不能作变量", f"{key} is a function's name, not a variable"))
        try:
            values[key] = Value(float(text), label=key)
        except ValueError:
            raise ExprError(
                bilingual(f"{key} 的值不是数：{text!r}", f"the value of {key} is not a number: {text!r}")
            ) from None
    return values


def table(root):
    rows = [f"{'节点 node':<10}{'值 value':>12}   导数 dJ/dvar"]
    for n in reversed(topo_order(root)):
        if n.label:
            rows.append(f"{n.label:<10}{num(n.data):>12}   d{n.label} = {num(n.grad)}")
    return "\n".join(rows)


def check_target(path, suffixes):
    """Refuse a file we could not write, before anything is drawn or written."""
    if not path:
        raise ExprError(bilingual("输出文件名为空", "the output file name is empty"))
    p = Path(path)
    if p.suffix.lstrip(".").lower() not in suffixes:
        raise ExprError(
            bilingual(f"不认识的文件后缀：{path}", f"unknown picture suffix: {path} (use {', '.join(suffixes)})")
        )
    if len(p.name.encode("utf-8", "surrogateescape")) > 255:
        raise ExprError(bilingual("文件名太长", f"the file name is too long for the file system: {p.name[:40]}…"))
    folder = p.parent if str(p.parent) else Path(".")
    try:
        if p.is_dir():
            raise ExprError(bilingual(f"{path} 是文件夹", f"{path} is a folder, not a file"))
        if not folder.is_dir():
            raise ExprError(bilingual(f"文件夹不存在：{folder}", f"no such folder: {folder}"))
    except OSError as e:
        raise ExprError(bilingual(f"无法写入 {path}", f"cannot write {path}: {e.strerror}")) from None
    if not os.access(folder, os.W_OK):
        raise ExprError(bilingual(f"文件夹不可写：{folder}", f"the folder is not writable: {folder}"))


def write_all(files):
    """Write every (path, bytes) or none: a later failure removes what this call wrote."""
    done = []
    try:
        for path, data in files:
            old = Path(path).read_bytes() if Path(path).is_file() else None
            write_atomic(Path(path), data)
            done.append((path, old))
    except (OSError, ValueError) as e:
        for path, old in done:
            if old is None:
                Path(path).unlink(missing_ok=True)
            else:
                write_atomic(Path(path), old)
        raise ExprError(str(e)) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one bilingual line and exit 2, not argparse's English usage dump
        print(f"{bilingual('错误', 'error')}: {bilingual('命令行参数不对', message)}", file=sys.stderr)
        raise SystemExit(2)


def main(argv=None):
    ap = _Parser(
        prog="python -m viz",
        description="画出表达式的计算图并反向传播 / draw an expression's computation graph and backprop it. " + LIMITS,
        epilog='例 / example: python -m viz "J = 3(a+bc)" a=5 b=3 c=2 -o J.svg --steps J.html --quiz',
    )
    ap.add_argument(
        "expr", help='表达式，可写 J = 3(a+bc)、a^2；bc 即 b·c / expression, e.g. "J = 3(a+bc)", a^2; bc is b·c'
    )
    ap.add_argument("values", nargs="*", metavar="NAME=VALUE", help="变量的值 / values of the variables")
    ap.add_argument("-o", "--output", help="输出文件：.svg .png .pdf .dot / picture to write")
    ap.add_argument("--lang", choices=["zh", "en"], default="zh", help="图例语言 / legend language")
    ap.add_argument("--steps", help="逐步演示页面 .html / write the step-by-step page")
    ap.add_argument("--quiz", action="store_true", help="逐步页面作为小测验 / make the step page a quiz")
    ap.add_argument(
        "--walk",
        choices=["forward", "backward", "both"],
        help="逐步页面走哪一遍：前向、反向或两遍（小测验默认两遍）/ which pass the step page walks (a quiz: both)",
    )
    try:
        args = ap.parse_args(_shield(sys.argv[1:] if argv is None else list(argv)))
        return run(args)
    except SystemExit as e:  # --help (0), or _Parser.error (2), said its line already
        return e.code if isinstance(e.code, int) else 2
    except ExprError as e:
        print(f"{bilingual('错误', 'error')}: {e}", file=sys.stderr)
        return 2
    except (RecursionError, MemoryError):
        print(f"{bilingual('错误', 'error')}: {LIMITS}", file=sys.stderr)
        return 2


OPTIONS = {
    "-o": True,
    "--output": True,
    "--lang": True,
    "--steps": True,
    "--quiz": False,
    "--walk": True,
    "-h": False,
    "--help": False,
}  # each option main declares, and whether a value follows it


def _shield(argv):
    """An expression that starts with a minus ("-a+b") is not an option: wrap it in parentheses."""
    after_value = False
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if after_value:
            after_value = False
            continue
        name = arg.split("=", 1)[0]
        known = [o for o in OPTIONS if o == name or (name.startswith("--") and len(name) > 2 and o.startswith(name))]
        if arg.startswith("-") and not known:
            argv[i] = f"({arg})"
            break
        after_value = "=" not in arg and any(OPTIONS[o] for o in known)
    return argv


def run(args):
    if args.output is not None:
        check_target(args.output, FORMATS)
    if args.steps is not None:
        check_target(args.steps, ("html",))
    try:
        output, expr = split_output(args.expr)
        values = parse_assignments(args.values)
        if output in values:
            raise ExprError(
                bilingual(f"{output} 既是输出又是输入", f"{output} is both the output and an input: use another name")
            )
        root = build(parse(expr), values, output)
        root.backward()
    except (TypeError, ValueError) as e:  # an op refused its inputs
        raise ExprError(str(e)) from None
    print(table(root))
    extra = unused(root, values)
    if extra:
        print(
            bilingual(
                f"注意：表达式没有用到 {', '.join(extra)}，给出的值被忽略",
                f"note: the expression does not use {', '.join(extra)}; the value given is ignored",
            ),
            file=sys.stderr,
        )
    bad = [n.label or n.op for n in topo_order(root) if not math.isfinite(n.data) or not math.isfinite(n.grad)]
    if bad:
        print(
            bilingual(
                f"注意：{', '.join(bad)} 的值或导数不是有限数（inf/nan，按 IEEE 规则计算）",
                f"note: the value or derivative of {', '.join(bad)} is not finite (inf/nan, by IEEE rules)",
            ),
            file=sys.stderr,
        )
    files = []  # every file is drawn whole in memory first, then all are written
    try:
        if args.output:
            files.append(
                (
                    args.output,
                    render_bytes(
                        as_drawing(root, "render", lang=args.lang).source, Path(args.output).suffix.lstrip(".").lower()
                    ),
                )
            )
        if args.steps:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                page = explore(root, Path(tmp) / "steps.html", lang=args.lang, quiz=args.quiz, walk=args.walk)
                files.append((args.steps, page.read_bytes()))
    except (RuntimeError, ValueError) as e:
        raise ExprError(str(e)) from None
    write_all(files)
    for path, _ in files:
        print(f"{bilingual('写出', 'wrote')}: {path}")
    return 0
