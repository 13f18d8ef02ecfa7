"""Benchmarks of pycognito-web side by side with its peers (see benchmarks/README.md).

Run them all with ``.venv/bin/python -m benchmarks`` (or ``scripts/bench``); ``--quick``
runs each once with minimal repetitions, which is what CI and
tests/test_benchmarks_run.py do to keep them working. They are measurements, not tests:
nothing here asserts a speed.
"""
