"""Every word viz shows, in Chinese and English: one small table."""

WORDS = {
    "zh": {
        "legend": "图例",
        "forward": "前向：计算的值",
        "backward": "反向：导数 dJ/d·",
        "averaged": "J 是 m = {m} 个样本的平均：\n课程的 dZ、dA 是 m · dJ/dZ、m · dJ/dA",
        "param": "参数（求梯度）",
        "data": "数据（不求梯度）",
        "value": "中间结果",
        "op": "运算",
        "layer": "第 {n} 层",
        "cost": "代价",
        "collapsed": "共 {n} 个节点，已按层折叠（max_nodes={max}）",
        "truncated": "共 {n} 个节点，只画离输出最近的 {max} 个",
        "more": "… 另有 {n} 个节点",
        "nodes": "（{n} 个节点）",
        "bad": "✗ 反向规则与数值差分不符",
        "step": "第 {k}/{n} 步：{what}",
        "start": "前向计算完毕，尚未反向传播",
        "prev": "◀ 上一步",
        "next": "下一步 ▶",
        "title": "反向传播逐步演示",
        "quiz_title": "反向传播小测验",
        "ask": "{name} = ?",
        "check": "检查",
        "reveal": "显示答案",
        "right": "✓ 对了！",
        "wrong": "✗ 不对，再想想（或按“显示答案”）",
        "not_number": "请输入一个数",
        "quiz_help": "在框中输入导数，按回车检查；左右方向键翻页",
    },
    "en": {
        "legend": "legend",
        "forward": "forward: values",
        "backward": "backward: derivatives dJ/d·",
        "averaged": "J is the mean over m = {m} examples:\nthe course's dZ, dA are m · dJ/dZ, m · dJ/dA",
        "param": "parameter (gets a grad)",
        "data": "data (no grad)",
        "value": "intermediate value",
        "op": "operation",
        "layer": "layer {n}",
        "cost": "cost",
        "collapsed": "{n} nodes, collapsed by layer (max_nodes={max})",
        "truncated": "{n} nodes: only the {max} nearest the output are drawn",
        "more": "… {n} more nodes",
        "nodes": "({n} nodes)",
        "bad": "✗ backward disagrees with numerical differences",
        "step": "step {k}/{n}: {what}",
        "start": "forward pass done, no backward yet",
        "prev": "◀ back",
        "next": "next ▶",
        "title": "Backpropagation step by step",
        "quiz_title": "Backpropagation quiz",
        "ask": "{name} = ?",
        "check": "check",
        "reveal": "show answer",
        "right": "✓ right!",
        "wrong": "✗ not quite, think again (or press “show answer”)",
        "not_number": "please type a number",
        "quiz_help": "type the derivative in the box, Enter checks; arrow keys move between steps",
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
