"""SRP's client work under MicroPython: correct against pow, and the split it takes.

The figures printed (A ahead of the click, S and the rest on it) go to
benchmarks/micropython.md; the assertions are about results, not speed.
"""

import time

from pycognito_web import _platform, _srp
from pycognito_web.flows import sign_in


def _ms(start):
    return time.ticks_diff(time.ticks_us(), start) / 1000


def test_srp_split_and_results():
    first = time.ticks_us()
    a, big_a = sign_in.srp_pair(_platform.random_bytes(128))
    first_ms = _ms(first)  # includes the one-off fixed-base table
    start = time.ticks_us()
    a, big_a = sign_in.srp_pair(_platform.random_bytes(128))
    a_ms = _ms(start)
    start = time.ticks_us()
    plain = pow(2, a, _srp.N)
    plain_ms = _ms(start)
    assert big_a == plain
    big_b = pow(3, a + 12345, _srp.N)
    x = _srp.compute_x(0xABCDEF, "Abc123", "alice", "Passw0rd!")
    u = _srp.compute_u(big_a, big_b)
    start = time.ticks_us()
    s = _srp.compute_s(a, big_b, u, x)
    s_ms = _ms(start)
    start = time.ticks_us()
    base = (big_b - _srp.K * pow(2, x, _srp.N)) % _srp.N
    assert s == pow(base, a + u * x, _srp.N)
    s_plain_ms = _ms(start)
    start = time.ticks_us()
    key = _srp.authentication_key(a, big_a, big_b, 0xABCDEF, "Abc123", "alice", "Passw0rd!")
    _srp.claim_signature(key, "Abc123", "alice", "YmxvY2s=", _srp.timestamp(time.time()))
    key_ms = _ms(start)
    print(
        "SRP split (ms): first A with table %.0f, A %.0f (plain pow %.0f), S %.0f "
        "(plain pow %.0f), key+signature %.0f, rest %.0f"
        % (first_ms, a_ms, plain_ms, s_ms, s_plain_ms, key_ms, key_ms - s_ms)
    )
