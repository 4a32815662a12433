"""Every word viz shows, in Chinese and English: one small table."""

WORDS = {
    "zh": {
        "legend": "图例",
        "forward": "前向：值",
        "backward": "反向：dJ/d·",
        "averaged": "J 是 m = {m} 个样本的平均：\n课程的 dZ、dA 是 m · dJ/dZ、m · dJ/dA",
        "param": "变量（求梯度）",  # a, b, c of the lecture are variables; W, b of a network too
        "data": "数据（无梯度）",
        "value": "中间结果",
        "op": "运算",
        "layer": "第 {n} 层",
        "cost": "代价",
        "collapsed": "共 {n} 个节点，已按层折叠（max_nodes={max}）",
        "truncated": "共 {n} 个节点，只画离输出最近的 {max} 个",
        "more": "… 另有 {n} 个节点",
        "nodes": "（{n} 个节点）",
        "bad": "✗ 反向规则与数值差分不符",
        "step_backward": "第 {k}/{n} 步：{what}",
        "step_forward": "第 {k}/{n} 步（前向）：{what}",
        "start": "前向计算完毕，尚未反向传播",
        "start_forward": "输入已给出：从左到右计算每个值",
        "prev": "◀ 上一步",
        "next": "下一步 ▶",
        "title": "反向传播逐步演示",
        "quiz_title": "反向传播小测验",
        "ask": "{name} = ?",
        "ask_shape": "{name} 的形状 = ?",
        "same_shape": "d{name} 与 {name} 形状相同：{shape}",
        "check": "检查",
        "reveal": "显示答案",
        "right": "✓ 对了！",
        "rounded": "✓ 对了（3 位有效数字即可；精确值 {exact}）",
        "wrong": "✗ 不对，再想想（或按“显示答案”）",
        "not_number": "请输入一个数、分数或算式，如 0.197、-1/9、1-0.25",
        "not_shape": "请输入形状，如 (4, 400)",
        "score": "得分 {right}/{asked}",
        "final": "完成！得分 {right}/{asked}，显示答案 {revealed} 个",
        "help": "可输入数、分数或算式（如 -1/9、1-0.25），3 位有效数字即可；回车检查，→ 下一步",
        "zoom_in": "＋",
        "zoom_out": "－",
        "fit": "适合窗口",
    },
    "en": {
        "legend": "legend",
        "forward": "forward: value",
        "backward": "backward: dJ/d·",
        "averaged": "J is the mean over m = {m} examples:\nthe course's dZ, dA are m · dJ/dZ, m · dJ/dA",
        "param": "variable (grad)",
        "data": "data (no grad)",
        "value": "intermediate",
        "op": "op",
        "layer": "layer {n}",
        "cost": "cost",
        "collapsed": "{n} nodes, collapsed by layer (max_nodes={max})",
        "truncated": "{n} nodes: only the {max} nearest the output are drawn",
        "more": "… {n} more nodes",
        "nodes": "({n} nodes)",
        "bad": "✗ backward disagrees with numerical differences",
        "step_backward": "step {k}/{n}: {what}",
        "step_forward": "step {k}/{n} (forward): {what}",
        "start": "forward pass done, no backward yet",
        "start_forward": "the inputs are given: compute each value, left to right",
        "prev": "◀ back",
        "next": "next ▶",
        "title": "Backpropagation step by step",
        "quiz_title": "Backpropagation quiz",
        "ask": "{name} = ?",
        "ask_shape": "shape of {name} = ?",
        "same_shape": "d{name} has the shape of {name}: {shape}",
        "check": "check",
        "reveal": "show answer",
        "right": "✓ right!",
        "rounded": "✓ right (3 significant digits are enough; exact {exact})",
        "wrong": "✗ not quite, think again (or press “show answer”)",
        "not_number": "please type a number, a fraction or an expression, e.g. 0.197, -1/9, 1-0.25",
        "not_shape": "please type a shape, e.g. (4, 400)",
        "score": "score {right}/{asked}",
        "final": "done! score {right}/{asked}, {revealed} revealed",
        "help": "a number, fraction or expression (-1/9, 1-0.25); 3 significant digits are enough; Enter checks, → next",
        "zoom_in": "+",
        "zoom_out": "−",
        "fit": "fit",
    },
}


def words(lang):
    if lang not in WORDS:
        raise ValueError(f"lang 只能是 / must be one of {sorted(WORDS)}, got {lang!r}")
    return WORDS[lang]


def scope_title(scope, lang):
    """'layer 2' -> '第 2 层' / 'layer 2'; 'cost' -> '代价' / 'cost'; others as they are."""
    w = words(lang)
    if scope.startswith("layer ") and scope[6:].isdigit():
        return w["layer"].format(n=scope[6:])
    return w["cost"] if scope == "cost" else scope
