# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
EXTRAS ?= dev            # CI: EXTRAS=dev,compare also installs PyTorch for the side-by-side tests
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test format docs docs-serve bench images package clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[$(strip $(EXTRAS))]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/computation_graph.py
	$(PY) examples/shallow_network.py

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

format: $(STAMP)   # what `make test` checks: ruff's lint fixes and its formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

images: $(STAMP)   # the README's and docs' pictures, made by the project's own code (the demo writes the same)
	$(PY) examples/computation_graph.py --readme-images docs/img

package: $(STAMP)   # wheel and sdist, checked by twine, installed into an empty venv and smoke-tested
	$(PY) -m pip install -q -e '.[package]'
	rm -rf dist build/pkg-venv
	$(PY) -m build -q --outdir dist . > /dev/null
	$(PY) -m twine check --strict dist/*
	$(PYTHON) -m venv build/pkg-venv
	build/pkg-venv/bin/pip install -q dist/*.whl
	cd build && pkg-venv/bin/python -c "from tinygrad_cn import Value; import nn, viz; \
	  a, b, c = Value(5.0), Value(3.0), Value(2.0); J = 3 * (a + b * c); J.backward(); \
	  assert (J.data, a.grad, b.grad, c.grad) == (33, 3, 6, 9) and '<svg' in viz.to_svg(J); \
	  assert nn.TwoLayerNet(2, 4, 1, seed=2).cost(*nn.datasets.planar_flower()).data > 0.69; print('wheel: ok')"

# The docs' notebooks run in kernels that log errors only (.jupyter/): no "Kernel is running over TCP" per notebook.
MKDOCS := NO_MKDOCS_2_WARNING=1 JUPYTER_CONFIG_DIR=.jupyter $(PY) -m mkdocs

docs: $(STAMP)   # the docs site in build/site, strictly (a broken reference or page fails); open build/site/index.html
	$(PY) -m pip install -q -e '.[docs]'
	$(MKDOCS) build --strict -q

docs-serve: $(STAMP)   # the docs site at http://127.0.0.1:8000, rebuilt on every change (search works here)
	$(PY) -m pip install -q -e '.[docs]'
	$(MKDOCS) serve

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	cd benchmarks && ../$(PY) bench_scalar.py && ../$(PY) bench_flower.py && ../$(PY) bench_viz.py

clean:
	rm -rf $(VENV) build dist *.egg-info out
