# Shortcuts; the scripts are the real entry points (the README names scripts/demo and scripts/test).
.PHONY: setup test demo lint pyodide-test browser-test

setup:
	scripts/setup

test:
	scripts/test

demo:
	scripts/demo

lint: setup
	.venv/bin/ruff check .

pyodide-test: setup
	.venv/bin/python -m pytest tests/pyodide

browser-test: setup
	.venv/bin/python -m pytest tests/browser
