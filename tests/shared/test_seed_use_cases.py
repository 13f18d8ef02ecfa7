"""The original README's 24 use cases (tests/support/seed.py, the one scenario source),
against the emulator: on CPython in-process and over real HTTP, inside Pyodide over
fetch. MicroPython runs the same scenarios (tests/micropython/mpy_test_seed.py)."""

import sys

import pytest
from support import seed

IN_PYODIDE = sys.platform == "emscripten"
PATHS = ["http"] if IN_PYODIDE else ["in-process", "http"]


@pytest.fixture(params=PATHS)
def seed_emulator(request):
    """The emulator each scenario runs against: in-process, or over HTTP."""
    if request.param == "http":
        return request.getfixturevalue("emulator_http_info")
    return request.getfixturevalue("emulator_info")


@pytest.mark.parametrize(
    "scenario", [f for _, f in seed.SCENARIOS], ids=[n for n, _ in seed.SCENARIOS]
)
async def test_seed_use_case(seed_emulator, scenario):
    await scenario(seed_emulator)


def covered(name):
    """The use-case numbers a scenario's name lists ("use_cases_14_15_18_to_22_...")."""
    words = name.split("_")[2:]
    numbers = []
    for i, word in enumerate(words):
        if word.isdigit():
            if i >= 2 and words[i - 1] == "to" and words[i - 2].isdigit():
                numbers.extend(range(int(words[i - 2]) + 1, int(word) + 1))
            else:
                numbers.append(int(word))
    return numbers


def test_the_scenarios_cover_all_24_use_cases():
    assert covered("use_cases_14_15_18_to_22_devices") == [14, 15, 18, 19, 20, 21, 22]
    found = set()
    for name, _ in seed.SCENARIOS:
        found.update(covered(name))
    assert found == set(range(1, 25)), sorted(set(range(1, 25)) - found)
