"""The notebooks: each runs top to bottom in a real Jupyter kernel (nbclient + ipykernel), and the
repository keeps them without outputs (what a reader sees comes from running them)."""

import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook_per_lesson():
    names = [p.stem for p in NOTEBOOKS]
    assert len(names) >= 9 and names[0].startswith("01_computation_graph")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # the notebooks reach the examples as ../examples
    (tmp_path / "notebooks").mkdir()
    book = nbformat.read(path, as_version=4)
    NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path / "notebooks")}}
    ).execute()
    shown = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in shown if o.output_type == "error"]
    if path.stem == "01_computation_graph":  # the graph shows inline as SVG, no system Graphviz needed
        assert any("image/svg+xml" in o.get("data", {}) for o in shown)
        pages = [o["data"]["text/html"] for o in shown if "text/html" in o.get("data", {})]
        assert any("<iframe srcdoc=" in p for p in pages)  # the quiz inside the page, not a path to a file


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
