# coopanalysis: every target builds the virtualenv it needs first (nothing installed by hand).
#   make report     build every report from the bundled data (reports/index.html)
#   make test       the whole suite: lint, pytest, then the notebooks with nbval
#   make test-fast  lint and the tests not marked slow, over all cores: no kernel, report run, browser or chart rendering (about 1 min)
#   make lab        JupyterLab on the project kernel (.venv/bin/jupyter lab does the same)
#   make data       re-ingest data/raw into data/plan (applies data/corrections.yaml)
#   make figures    rebuild the chart gallery docs/figures/ from data/plan (PNG + SVG, reproducible)
#   make notebooks  re-execute the committed notebooks in place
#   make screenshots  render the index, checks, strategy 5 and volume 4 page in Chromium (1280, 390 px) to docs/screenshots/
#   make clean      remove reports/ and caches (never data/plan)
#   make lint       ruff over the package, tests and benchmarks (also run by make test)
#   make mutants    mutation testing of the modules where a silent error costs most (minutes)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := coopanalysis

.DEFAULT_GOAL := help
LAB_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.json

.PHONY: help report test test-fast lab lab-config data notebooks clean lint mutants figures screenshots

# Headless matplotlib for the test suite and the report command. Notebook kernels are not
# affected: the kernel spec pins the inline backend (see the stamp rule).
test test-fast report figures: export MPLBACKEND := Agg

help:
	@sed -n 's/^#   //p' Makefile

# (Re)build the environment when pyproject.toml changes: venv on first use, editable install
# with the test extra, and the Jupyter kernel inside the venv.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (coopanalysis)" \
		--env MPLBACKEND module://matplotlib_inline.backend_inline
	touch $@

# Jupyter started from the venv (`make lab`, or `.venv/bin/jupyter lab` by hand) opens notebooks
# on the project kernel; installed as root, it also starts as root (containers, CI machines),
# which Jupyter refuses unless told. Conda: `make lab-config VENV="$CONDA_PREFIX"`.
$(LAB_CONFIG): Makefile
	mkdir -p $(@D)
	root=""; if [ "$$(id -u)" -eq 0 ]; then root=', "ServerApp": {"allow_root": true}'; fi; \
	printf '{"MappingKernelManager": {"default_kernel_name": "%s"}%s}\n' '$(KERNEL)' "$$root" > $@.tmp
	mv $@.tmp $@

lab-config: $(LAB_CONFIG)

report: $(STAMP)
	$(BIN)/coopanalysis report data/plan --out reports

lint: $(STAMP)
	$(BIN)/ruff check .

mutants: $(STAMP)
	$(BIN)/python benchmarks/mutants.py

test: $(STAMP) $(LAB_CONFIG) lint
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; elif [ $$rc -ne 0 ]; then exit $$rc; fi
	@set -- notebooks/*.ipynb; \
	if [ ! -e "$$1" ]; then echo "nbval: no notebooks yet, skipped"; exit 0; fi; \
	sanitize=""; if [ -f notebooks/sanitize.cfg ]; then sanitize="--nbval-sanitize-with notebooks/sanitize.cfg"; fi; \
	echo "$(BIN)/python -m pytest --nbval notebooks/ $$sanitize --nbval-kernel-name $(KERNEL)"; \
	$(BIN)/python -m pytest --nbval notebooks/ $$sanitize --nbval-kernel-name $(KERNEL); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "nbval: no notebook cells collected"; exit 0; fi; exit $$rc

# The tests that start no kernel, report run or browser and render no chart (pytest -m "not slow";
# see docs/testing.md). make test runs them all.
test-fast: $(STAMP) $(LAB_CONFIG) lint
	$(BIN)/python -m pytest -m "not slow" -n auto

# Jupyter refuses to run as root unless told to (containers, CI machines): the config above
# says so when the venv was installed as root, this when it was installed by another user.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP) $(LAB_CONFIG)
	$(BIN)/jupyter lab $(LAB_ARGS)

data: $(STAMP)
	$(BIN)/coopanalysis ingest data/raw/cpd_action_plan_2560_2564.txt --out data/plan --corrections data/corrections.yaml

figures: $(STAMP)
	$(BIN)/python -m coopanalysis.charts.gallery data/plan docs/figures

notebooks: $(STAMP)
	@set -- notebooks/*.ipynb; if [ ! -e "$$1" ]; then echo "no notebooks to execute"; exit 0; fi; \
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=$(KERNEL) --ExecutePreprocessor.record_timing=False notebooks/*.ipynb

screenshots: export MPLBACKEND := Agg
screenshots: $(STAMP)
	$(BIN)/python tests/test_browser.py --screenshots docs/screenshots

clean:
	rm -rf reports/ mutants/ .pytest_cache/ .hypothesis/ build/
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints -o -name .pytest_cache \) -print0 \
		| xargs -0 rm -rf
