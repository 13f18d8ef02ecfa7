"""UserPool.prepare_srp: A made ahead of the sign-in, used once, and only by SRP."""

import json

from pycognito_web import MemoryStorage, MockTransport, Response, UserPool, _srp
from pycognito_web.flows import sign_in


def recording_pool(draws):
    sent = []

    def handler(request):
        body = json.loads(request.body)
        sent.append(body)
        answer = {"__type": "NotAuthorizedException", "message": "stop here"}
        return Response(400, {}, json.dumps(answer).encode())

    def random_bytes(count):
        draws.append(count)
        return bytes([len(draws)]) * count

    pool = UserPool(
        "us-east-1_Abc",
        "client",
        transport=MockTransport(handler),
        storage=MemoryStorage(),
        random_bytes=random_bytes,
    )
    return pool, sent


async def sign_in_attempt(pool):
    try:
        await pool.user("alice").authenticate("Passw0rd!")
    except Exception as error:  # the handler refuses every sign-in
        assert getattr(error, "code", None) == "NotAuthorizedException", error


async def test_the_prepared_pair_is_sent_once_then_fresh_pairs_follow():
    draws = []
    pool, sent = recording_pool(draws)
    pool.prepare_srp()
    assert draws == [128]
    pool.prepare_srp()  # already prepared: nothing more is drawn
    assert draws == [128]
    expected = _srp.large_a(_srp.small_a(b"\x01" * 128))

    await sign_in_attempt(pool)
    assert draws == [128]  # the sign-in drew nothing itself
    assert sent[0]["AuthParameters"]["SRP_A"] == "%x" % expected

    await sign_in_attempt(pool)  # the pair is gone: this one makes its own
    assert draws == [128, 128]
    assert sent[1]["AuthParameters"]["SRP_A"] == "%x" % _srp.large_a(_srp.small_a(b"\x02" * 128))
    assert pool._take_srp_pair() is None


async def test_password_auth_leaves_the_pair_for_the_next_srp_sign_in():
    draws = []
    pool, sent = recording_pool(draws)
    pool.prepare_srp()
    try:
        await pool.user("bob").authenticate("Passw0rd!", flow="USER_PASSWORD_AUTH")
    except Exception as error:
        assert error.code == "NotAuthorizedException"
    assert "SRP_A" not in sent[0]["AuthParameters"]
    assert pool._take_srp_pair() is not None


def test_srp_pair_is_what_the_flow_makes_from_the_same_bytes():
    random_bytes = bytes(range(128))
    a, big_a = sign_in.srp_pair(random_bytes)
    assert a == _srp.small_a(random_bytes)
    assert big_a == pow(2, a, _srp.N)


def test_micropython_exponentiation_matches_pow(monkeypatch):
    """The windowed and fixed-base paths that _srp takes under MicroPython, on CPython."""
    import random

    monkeypatch.setattr(_srp, "PLAIN_POW", True)
    draw = random.Random(6).getrandbits
    for bits in (1, 5, 255, 256, 1023, 1024, 1025, 2048):
        exponent = draw(bits)
        base = draw(3072) % _srp.N
        assert _srp._pow_g(exponent) == pow(2, exponent, _srp.N), bits
        assert _srp._pow(base, exponent) == pow(base, exponent, _srp.N), bits
    assert _srp._pow_g(0) == 1 and _srp._pow(7, 0) == 1
    a = _srp.small_a(bytes(range(128)))
    assert _srp.large_a(a) == pow(2, a, _srp.N)


def test_host_bigint_pow_is_for_micropython_only():
    """CPython's (and Pyodide's) own pow is faster than a JS BigInt round trip."""
    from pycognito_web import _platform

    assert _platform.host_pow() is None
    assert _srp._host_pow() is None
