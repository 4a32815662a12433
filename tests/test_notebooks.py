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


def test_there_is_a_notebook_per_lesson():
    names = [p.stem for p in NOTEBOOKS]
    assert len(names) >= 9 and names[0].startswith("01_computation_graph")


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
    if path.stem == "04_shallow_network":  # the n_h table: each printed accuracy is the course's, or said to differ
        heading = next(c.source for c in book.cells if c.cell_type == "markdown" and "n_h table" in c.source)
        course = [float(x) for x in re.search(r"course: ([\d., ]+)", heading).group(1).split(",")]
        printed = re.findall(r"n_h = +(\d+): ([\d.]+)%", text)
        assert len(printed) == len(course) == 7
        for (n_h, got), want in zip(printed, course):
            assert float(got) == want or f"{float(got):g} for n_h = {n_h}" in heading, (n_h, got, want)
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
