"""The notebooks: each runs top to bottom in a real Jupyter kernel (nbclient + ipykernel), and the
repository keeps them without outputs (what a reader sees comes from running them). Notebooks with
exercises run twice: as stored (every check says what is still to do) and with the course's solutions
put into the exercise cells (every check passes)."""

import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient

from nn.exercises import EXERCISES

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def exercises(book):
    """The exercise cells: tagged "exercise", with the exercise's name in the cell's metadata."""
    return [c for c in book.cells if c.cell_type == "code" and "exercise" in c.metadata.get("tags", [])]


WITH_EXERCISES = [p for p in NOTEBOOKS if exercises(nbformat.read(p, as_version=4))]


def run(book, tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # the notebooks reach the examples as ../examples
    (tmp_path / "notebooks").mkdir()
    NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path / "notebooks")}}
    ).execute()
    shown = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in shown if o.output_type == "error"]
    return shown, "".join(o.get("text", "") for o in shown if o.output_type == "stream")


# what the course-1 notebooks must print: the lectures' own numbers
LECTURE_NUMBERS = {
    "course1_week1_introduction": ["w = 160.0, b = -134.0", "ReLU'(6) = 1"],
    "course1_week2a_logistic_regression": [
        "n_x = 12288",
        "6.0 6.003  df/da = 3.0",
        "f(2.001) = 4.00400",
        "f(2.001) = 8.01201",
        "f(2) = 0.69315, f(2.001) = 0.69365",
        "J = 3v: 33.0 → 33.003",
        "dv = 3\nda = 3\ndu = 3\ndb = 6\ndc = 9",
    ],
    "course1_week2b_vectorization": ["[[94.9  0.   2.8 88.4]", "db1: (3, 1)"],
    "course1_week3_shallow_network": [
        "linear hidden layer: 47.0%   逻辑回归 / logistic regression: 47.0%",
        "the course's dZ[2]): True",
        "identical rows stay identical: True",
    ],
    "course1_week4_deep_network": ["L = 4", "n[4] = 1   W[4]: (1, 3)", "dA[0] = W[1]ᵀ dZ[1]: True"],
}


def test_there_is_a_notebook_per_lesson():
    names = [p.stem for p in NOTEBOOKS]
    assert len(names) >= 9 and names[0].startswith("01_computation_graph")
    assert set(LECTURE_NUMBERS) <= set(names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_every_exercise_is_in_one_notebook_unanswered_and_checked():
    names = []
    for path in WITH_EXERCISES:
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            if "exercise" in cell.metadata.get("tags", []):
                name = cell.metadata["exercise"]
                names.append(name)
                assert f"def {name}(" in cell.source and "raise NotImplementedError" in cell.source, name
                assert f'check("{name}", {name})' in cells[i + 1].source, name  # its check comes next
    assert sorted(names) == sorted(EXERCISES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    book = nbformat.read(path, as_version=4)
    shown, text = run(book, tmp_path)
    if path.stem == "01_computation_graph":  # the graph shows inline as SVG, no system Graphviz needed
        assert any("image/svg+xml" in o.get("data", {}) for o in shown)
        pages = [o["data"]["text/html"] for o in shown if "text/html" in o.get("data", {})]
        assert any("<iframe srcdoc=" in p for p in pages)  # the quiz inside the page, not a path to a file
    if path.stem == "04_shallow_network":  # the n_h table: each printed accuracy is the course's, or said to differ
        heading = next(c.source for c in book.cells if c.cell_type == "markdown" and "n_h table" in c.source)
        course = [float(x) for x in re.search(r"course: ([\d., ]+)", heading).group(1).split(",")]
        printed = re.findall(r"n_h = +(\d+): ([\d.]+)%", text)
        assert len(printed) == len(course) == 7
        for (n_h, got), want in zip(printed, course):
            assert float(got) == want or f"{float(got):g} for n_h = {n_h}" in heading, (n_h, got, want)
    for number in LECTURE_NUMBERS.get(path.stem, []):
        assert number in text, number
    n = len(exercises(book))  # as stored, every check says what is still to do, and none passes
    assert text.count("not written yet") == n and "all passed" not in text


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_notebook_with_the_solutions_passes_every_check(path, tmp_path):
    book = nbformat.read(path, as_version=4)
    for cell in exercises(book):
        name = cell.metadata["exercise"]
        cell.source = f"from nn.exercises import EXERCISES\n{name} = EXERCISES[{name!r}].solution"
    _, text = run(book, tmp_path)
    assert text.count("all passed") == len(exercises(book)) and "✗" not in text and "not written yet" not in text


def test_nn_in_jupyter_shows_a_clean_progress_bar_and_no_warning():
    book = nbformat.v4.new_notebook()
    book.cells = [
        nbformat.v4.new_code_cell("import nn"),
        nbformat.v4.new_code_cell(
            "X, Y = nn.datasets.planar_flower(m=40)\n"
            "costs = nn.TwoLayerNet(2, 2, 1, seed=1).fit(X, Y, 30, 0.5, progress=True)"
        ),
    ]
    NotebookClient(
        book, timeout=120, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"]
    ).execute()
    text = [str(o.get("text", "")) + str(o.get("data", "")) for c in book.cells for o in c.outputs]
    assert not any("IProgress" in t or "Warning" in t for t in text)  # tqdm.auto without ipywidgets warned here
    assert any("训练 / training" in t for t in text)  # the bar itself (text, or a widget with ipywidgets)
