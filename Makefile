# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
EXTRAS ?= dev            # CI: EXTRAS=dev,compare also installs PyTorch for the side-by-side tests
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test format docs bench images package clean

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

images: $(STAMP)   # the README's pictures, made by the project's own code
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

docs: $(STAMP)   # the docs site, strictly: a broken reference or page fails
	$(PY) -m pip install -q -e '.[docs]'
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict -q

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	cd benchmarks && ../$(PY) bench_scalar.py && ../$(PY) bench_flower.py && ../$(PY) bench_viz.py

clean:
	rm -rf $(VENV) build dist *.egg-info out
