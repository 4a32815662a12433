# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
EXTRAS ?= dev            # CI: EXTRAS=dev,compare also installs PyTorch for the side-by-side tests
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench images clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[$(strip $(EXTRAS))]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/computation_graph.py
	$(PY) examples/shallow_network.py

test: $(STAMP)
	$(PY) -m pytest

images: $(STAMP)   # the README's pictures, made by the project's own code
	$(PY) examples/computation_graph.py --readme-images docs/img

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	cd benchmarks && ../$(PY) bench_scalar.py && ../$(PY) bench_flower.py && ../$(PY) bench_viz.py

clean:
	rm -rf $(VENV) build *.egg-info out
