"""python -m viz "3*(a+b*c)" a=5 b=3 c=2 -o J.svg [--lang en] [--steps J.html]

The expression is read with `ast` against a whitelist: numbers, names, + − × / **,
parentheses and the engine's one-input elementwise ops (exp log tanh sigmoid relu
leaky_relu ..., read from its registry). Nothing is evaluated as code.
"""
import argparse
import ast
import operator
import sys
from pathlib import Path

from tinygrad_cn import REGISTRY, Value
from tinygrad_cn.autodiff import topo_order
from tinygrad_cn.messages import bilingual
from tinygrad_cn.value import data_of

from . import explore, render
from .graph import num
from .renderer import FORMATS

FUNCTIONS = {op.method: op for op in REGISTRY.values()  # one input, entry by entry: a scalar's function
             if op.method and op.elementwise and op.arity == 1}
BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
          ast.Div: operator.truediv, ast.Pow: operator.pow}
INTERMEDIATE = "uvwpqrstkhgfe"  # the lecture names its intermediates u, v, ...


class ExprError(Exception):
    """A message for the user; exit code 2."""


def parse(expr):
    try:
        return ast.parse(expr, mode="eval").body
    except SyntaxError as e:
        raise ExprError(bilingual(f"表达式语法错误：{expr!r}", f"syntax error in expression: {e.msg}")) from None


def build(tree, values):
    """Evaluate the whitelisted tree on Values; intermediates get the lecture's names u, v, …"""
    free = iter(c for c in INTERMEDIATE if c not in values)

    def name(v):
        if isinstance(v, Value) and not v.label:
            v.label = next(free, "")
        return v

    def ev(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                raise ExprError(bilingual(f"{node.id} 是函数，请写成 {node.id}(x)", f"{node.id} is a function: write {node.id}(x)"))
            if node.id not in values:
                raise ExprError(bilingual(f"缺少 {node.id} 的值：请加上 {node.id}=数值",
                                          f"no value given for {node.id}: add {node.id}=NUMBER"))
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            return name(BINARY[type(node.op)](ev(node.left), ev(node.right)))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            x = ev(node.operand)
            return name(-x) if isinstance(node.op, ast.USub) else x
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            fn = FUNCTIONS.get(node.func.id)
            if fn is None:
                raise ExprError(bilingual(f"未知函数 {node.func.id}，可用：{', '.join(FUNCTIONS)}",
                                          f"unknown function {node.func.id}; allowed: {', '.join(FUNCTIONS)}"))
            args = [ev(a) for a in node.args]
            if not 1 <= len(args) <= 1 + len(fn.attrs):
                raise ExprError(bilingual(f"{node.func.id} 的参数个数不对", f"wrong number of arguments to {node.func.id}"))
            x = args[0] if isinstance(args[0], Value) else Value(args[0], requires_grad=False)
            extra = [float(data_of(a)) for a in args[1:]]
            return name(fn.call(x, *extra))
        raise ExprError(bilingual(f"不允许的写法：{type(node).__name__}（只能用数字、名字、+ - * / **、括号和 "
                                  f"{', '.join(FUNCTIONS)}）",
                                  f"not allowed: {type(node).__name__} (only numbers, names, + - * / **, "
                                  f"parentheses and {', '.join(FUNCTIONS)})"))

    root = ev(tree)
    if not isinstance(root, Value) or not root.requires_grad:
        raise ExprError(bilingual("表达式里至少要有一个变量", "the expression needs at least one variable"))
    if root.label in INTERMEDIATE or not root.label:
        root.label = "J"
    return root


def parse_assignments(pairs):
    values = {}
    for pair in pairs:
        key, eq, text = pair.partition("=")
        if not eq or not key.isidentifier():
            raise ExprError(bilingual(f"参数应写成 名字=数值，收到 {pair!r}", f"arguments must be NAME=VALUE, got {pair!r}"))
        try:
            values[key] = Value(float(text), label=key)
        except ValueError:
            raise ExprError(bilingual(f"{key} 的值不是数：{text!r}", f"the value of {key} is not a number: {text!r}")) from None
    return values


def table(root):
    rows = [f"{'节点 node':<10}{'值 value':>12}   导数 dJ/dvar"]
    for n in reversed(topo_order(root)):
        if n.label:
            rows.append(f"{n.label:<10}{num(n.data):>12}   d{n.label} = {num(n.grad)}")
    return "\n".join(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="python -m viz",
        description="画出表达式的计算图并反向传播 / draw an expression's computation graph and backprop it",
        epilog='例 / example: python -m viz "3*(a+b*c)" a=5 b=3 c=2 -o J.svg --steps J.html')
    ap.add_argument("expr", help="表达式 / expression, e.g. \"3*(a+b*c)\"")
    ap.add_argument("values", nargs="*", metavar="NAME=VALUE", help="变量的值 / values of the variables")
    ap.add_argument("-o", "--output", help="输出文件：.svg .png .pdf .dot / picture to write")
    ap.add_argument("--lang", choices=["zh", "en"], default="zh", help="图例语言 / legend language")
    ap.add_argument("--steps", help="逐步演示页面 .html / write the step-by-step page")
    args = ap.parse_args(argv)
    try:
        if args.output and Path(args.output).suffix.lstrip(".").lower() not in FORMATS:
            raise ExprError(bilingual(f"不认识的文件后缀：{args.output}",
                                      f"unknown picture suffix: {args.output} (use {', '.join(FORMATS)})"))
        root = build(parse(args.expr), parse_assignments(args.values))
        root.backward()
    except ExprError as e:
        print(f"错误 / error: {e}", file=sys.stderr)
        return 2
    print(table(root))
    try:  # each file is drawn whole in memory, then written at once
        if args.output:
            print(f"\n图 / picture: {render(root, args.output, lang=args.lang)}")
        if args.steps:
            print(f"逐步演示 / steps: {explore(root, args.steps, lang=args.lang)}")
    except RuntimeError as e:
        print(f"错误 / error: {e}", file=sys.stderr)
        return 2
    return 0
