"""The test support package: what every suite and the benchmarks share (tests/README.md).

Portable (CPython, Pyodide, MicroPython; MicroPython's subset):
  config   EMULATOR_CONFIG, the pools and clients every suite's emulator has
  remote   ``fetch`` (HTTP from any runtime) and ``EmulatorInfo`` (ids, transport,
           the outbox, the clock, signed admin calls, all async)
  digest   SHA-1, SHA-256, HMAC;  totp  RFC 6238 codes;  sigv4  admin-call signatures
  common   PASSWORD, ``unique``, ``raises``
  seed     the original SDK README's 24 use cases, the one scenario source
CPython only:
  emulator ``EmulatorProcess`` (a child process, real HTTP) and ``InProcessEmulator``
           (the ASGI app in this process, through ``AsgiTransport``): one handle
  wire     urllib ``http``/``call``, ``ApiError``, the checking keep-alive ``Connection``
  load     the load and kill -9 runs (tests/emulator/test_load.py, ``scripts/bench``)

Importable as ``support`` under pytest (pyproject.toml's ``pythonpath``), in Pyodide
(tests/pyodide copies it in) and in MicroPython (tests/micropython/runner.mjs copies it
to /tests/support); the benchmarks import it as ``tests.support``. Nothing here is
imported at package import time, so MicroPython never compiles the CPython-only modules.
"""
