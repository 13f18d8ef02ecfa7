"""Section 4: on CPython, the port's SRP sign-in against pycognito's AWSSRP (boto3),
both against the same emulator, interleaved run by run."""

import asyncio
import os
import time

from . import _util
from ._util import summary


def run(emulator, runs, log):
    import boto3
    from pycognito import aws_srp

    import pycognito_web

    username = emulator.sign_up("bench-cpython-%s" % os.urandom(4).hex())
    boto = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    pool = pycognito_web.UserPool(emulator.pool_id, emulator.client_id, endpoint=emulator.url)
    has_prepare = hasattr(pool, "prepare_srp")

    def port_once(prepared=False):
        if prepared:
            pool.prepare_srp()  # ahead of the call, as a page would after loading
        start = time.perf_counter()
        session = asyncio.run(pool.user(username).authenticate(_util.PASSWORD))
        elapsed = (time.perf_counter() - start) * 1000
        assert session.access_token
        return elapsed

    def pycognito_once():
        start = time.perf_counter()
        srp = aws_srp.AWSSRP(
            username=username,
            password=_util.PASSWORD,
            pool_id=emulator.pool_id,
            client_id=emulator.client_id,
            client=boto,
        )
        tokens = srp.authenticate_user()
        elapsed = (time.perf_counter() - start) * 1000
        assert tokens["AuthenticationResult"]["AccessToken"]
        return elapsed

    for _ in range(2):  # warm-up: imports, connections
        port_once()
        pycognito_once()
    samples = {"port": [], "pycognito": []}
    if has_prepare:
        samples["port_prepared"] = []
    for _ in range(runs):
        samples["port"].append(port_once())
        samples["pycognito"].append(pycognito_once())
        if has_prepare:
            samples["port_prepared"].append(port_once(prepared=True))
    out = {kind: summary(values) for kind, values in samples.items()}
    out["prepare_api"] = has_prepare
    log(
        "  cpython: "
        + ", ".join("%s %.1f ms" % (k, v["median"]) for k, v in out.items() if isinstance(v, dict))
    )
    return out
