"""SRP's client work under MicroPython: correct against pow, and the split it takes.

Two paths: the host's BigInt (``_platform.host_pow``, what a browser or Node gives) and
MicroPython's own windowed arithmetic (what a page whose CSP forbids ``Function()`` gets).
The figures printed go to benchmarks/micropython.md; the assertions are about results,
not speed.
"""

import time

from pycognito_web import _platform, _srp
from pycognito_web.flows import sign_in


def _ms(start):
    return time.ticks_diff(time.ticks_us(), start) / 1000


def _split(label):
    first = time.ticks_us()
    a, big_a = sign_in.srp_pair(_platform.random_bytes(128))
    first_ms = _ms(first)  # the windowed path builds its fixed-base table here
    start = time.ticks_us()
    a, big_a = sign_in.srp_pair(_platform.random_bytes(128))
    a_ms = _ms(start)
    start = time.ticks_us()
    plain = pow(2, a, _srp.N)
    plain_ms = _ms(start)
    assert big_a == plain, label
    big_b = pow(3, a + 12345, _srp.N)
    x = _srp.compute_x(0xABCDEF, "Abc123", "alice", "Passw0rd!")
    u = _srp.compute_u(big_a, big_b)
    start = time.ticks_us()
    s = _srp.compute_s(a, big_b, u, x)
    s_ms = _ms(start)
    start = time.ticks_us()
    base = (big_b - _srp.K * pow(2, x, _srp.N)) % _srp.N
    assert s == pow(base, a + u * x, _srp.N), label
    s_plain_ms = _ms(start)
    start = time.ticks_us()
    key = _srp.authentication_key(a, big_a, big_b, 0xABCDEF, "Abc123", "alice", "Passw0rd!")
    _srp.claim_signature(key, "Abc123", "alice", "YmxvY2s=", _srp.timestamp(time.time()))
    key_ms = _ms(start)
    print(
        "SRP split, %s (ms): first A %.0f, A %.0f (plain pow %.0f), S %.0f "
        "(plain pow %.0f), key+signature %.0f, rest %.0f"
        % (label, first_ms, a_ms, plain_ms, s_ms, s_plain_ms, key_ms, key_ms - s_ms)
    )


def test_the_host_bigint_is_used_and_agrees_with_pow():
    host = _srp._host_pow()
    assert host is not None, "Node gives Function and BigInt: host_pow must be found"
    assert host(7, 0, _srp.N) == 1
    assert host(0, 5, _srp.N) == 0
    big = _srp.N - 2
    for exponent in (1, 2, 65537, (1 << 1024) - 1, _srp.N):
        assert host(big, exponent, _srp.N) == pow(big, exponent, _srp.N), exponent
    _split("host BigInt")


def test_the_windowed_path_without_a_host():
    saved = list(_srp._host)
    _srp._host[:] = [None]  # as under a CSP that forbids Function()
    try:
        _split("MicroPython windowed")
        assert _srp._pow_g(0) == 1 and _srp._pow(7, 0) == 1
    finally:
        _srp._host[:] = saved
