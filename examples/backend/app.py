"""A small backend (Starlette, an ASGI framework) that trusts a page's user only after
checking the access token the page sends: ``GET /me`` with ``Authorization: Bearer
<access token>`` answers with the token's claims, or 401.

    POOL_ID=... CLIENT_ID=... [COGNITO_ENDPOINT=...] [ALLOW_ORIGIN=...] \\
        uvicorn examples.backend.app:app --port 8001

``verify_token`` checks the RS256 signature against the pool's published keys (fetched
once and kept), the issuer, the client, ``token_use`` and the expiry. CORS lets the page's
origin (``ALLOW_ORIGIN``) send the Authorization header.
"""

import os

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route

from pycognito_web import CognitoError, MemoryStorage, UserPool


def make_app(pool_id, client_id, endpoint=None, allow_origin="*"):
    """The ASGI app for one pool's app client.

    Args:
        pool_id: the user pool id.
        client_id: the app client the page signs in with (the tokens' ``client_id``).
        endpoint: the Cognito endpoint, if not the pool's region's (the emulator).
        allow_origin: the page's origin, for CORS.

    Returns:
        A Starlette application.
    """
    pool = UserPool(pool_id, client_id, endpoint=endpoint, storage=MemoryStorage())

    async def me(request):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return JSONResponse({"error": "send Authorization: Bearer <access token>"}, 401)
        try:
            claims = await pool.verify_token(token, token_use="access")
        except CognitoError as error:  # TokenVerificationError, or the keys unreachable
            return JSONResponse({"error": error.message}, 401)
        return JSONResponse(claims)

    return Starlette(
        routes=[Route("/me", me)],
        middleware=[Middleware(CORSMiddleware, allow_origins=[allow_origin],
                               allow_methods=["GET"], allow_headers=["Authorization"])],
    )  # fmt: skip


if os.environ.get("POOL_ID"):
    app = make_app(os.environ["POOL_ID"], os.environ["CLIENT_ID"],
                   os.environ.get("COGNITO_ENDPOINT"), os.environ.get("ALLOW_ORIGIN", "*"))
