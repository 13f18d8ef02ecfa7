"""The original README's 24 use cases under MicroPython, against the emulator over fetch:
the scenarios of tests/support/seed.py, the same source CPython and Pyodide run."""

import sys

import mpy_support
from support import seed

# setattr on the module, not globals()[...] =: MicroPython's dir(module) does not see
# names added through globals() once the module's dict has grown.
_module = sys.modules[__name__]


def _test(scenario):
    async def run():
        await scenario(mpy_support.info())

    return run


# One harness test per scenario, named after it (the harness collects test_* names).
for _name, _scenario in seed.SCENARIOS:
    setattr(_module, "test_" + _name, _test(_scenario))
