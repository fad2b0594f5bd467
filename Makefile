# Conveniences for developers; the README's two commands (./run.sh, ./test.sh) need no make.
PY := .venv/bin/python
XVFB := $(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1600x1000x24")

.PHONY: run test lint screenshot bench

run:
	./run.sh

test:
	./test.sh

lint:
	$(PY) -m ruff check studio tests bench
	.venv/bin/lint-imports

# The README screenshot, rendered from the real app on the built-in example.
screenshot:
	$(XVFB) $(PY) -m studio gui --screenshot docs/screenshots/main-window.png

bench:
	$(PY) -m studio bench train --json
