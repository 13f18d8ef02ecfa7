"""The client's promises in SECURITY.md that no other test holds: over SRP the password
never leaves the page, and tokens go only where the chosen storage keeps them."""

import asyncio
import json
import uuid

from pycognito_web import MemoryStorage, UserPool
from pycognito_web._pool import default_transport

PASSWORD = "Pw-%s-Aa1!" % uuid.uuid4().hex[:12]


class Recorder:
    """The default transport, keeping every request as sent."""

    def __init__(self):
        self.inner = default_transport()
        self.sent = []

    async def handle_async_request(self, request):
        self.sent.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self):
        await self.inner.aclose()


def test_srp_sign_in_never_sends_the_password_and_stores_tokens_only_in_its_storage(emulator):
    name = "promise-" + uuid.uuid4().hex[:10]
    setup = UserPool(emulator.pool_id, emulator.client_id, endpoint=emulator.url + "/",
                     storage=MemoryStorage())  # fmt: skip

    async def run():
        result = await setup.sign_up(name, PASSWORD, {"email": name + "@example.com"})
        await result.user.confirm_sign_up(emulator.last_code(name))
        recorder, storage = Recorder(), MemoryStorage()
        pool = UserPool(emulator.pool_id, emulator.client_id, endpoint=emulator.url + "/",
                        storage=storage, transport=recorder)  # fmt: skip
        session = await pool.user(name).authenticate(PASSWORD)
        return recorder, storage, session

    recorder, storage, session = asyncio.run(run())
    targets = [dict(r.headers).get("X-Amz-Target", "") for r in recorder.sent]
    assert [t.rsplit(".", 1)[-1] for t in targets] == ["InitiateAuth", "RespondToAuthChallenge"]
    for request in recorder.sent:
        text = request.url + json.dumps(dict(request.headers)) + request.body.decode("utf-8")
        assert PASSWORD not in text, request.url
    # The tokens are in the storage given, and nowhere in what the session prints.
    kept = {key: storage.getItem(key) for key in storage.keys()}
    assert session.access_token.jwt in kept.values()
    assert session.access_token.jwt not in repr(session) + str(session)
