"""A program that uses pycognito-web's public API as a strictly type-checked caller would.

Never run: mypy checks it (scripts/test) with untyped definitions and calls refused, so a
public signature that loses its annotations, a service error that type checkers cannot
see, or a public name that disappears fails the type check. ``reveal_type`` is avoided:
each expectation is an annotated assignment mypy verifies.
"""

import pycognito_web
from pycognito_web import (
    CognitoError,
    MemoryStorage,
    MockTransport,
    NetworkError,
    Request,
    Response,
    RetryPolicy,
    ServiceError,
    TokenVerificationError,
    Transport,
    UserPool,
)
from pycognito_web.errors import (
    NotAuthorizedException,
    UserNotConfirmedException,
    service_error,
)


def answer(request: Request) -> Response:
    method: str = request.method
    return Response(200, {"x-method": method}, b"{}")


async def sign_up_and_verify(token: str) -> dict:
    transport: Transport = MockTransport(answer)
    pool = UserPool(
        "us-east-1_AbCdEf123",
        "client",
        storage=MemoryStorage(),
        transport=transport,
        retry=RetryPolicy(attempts=2, base=0.05, cap=1.0),
        jwks_refetch_interval=30.0,
    )
    issuer: str = pool.issuer
    keys: dict = await pool.jwks()
    try:
        claims: dict = await pool.verify_token(token, "access", leeway=5)
    except TokenVerificationError as error:
        message: str = error.message
        raise CognitoError(message + issuer) from error
    except NotAuthorizedException as error:
        code: str = error.code
        status: "int | None" = error.status_code
        raise ServiceError(code, status_code=status) from error
    except (UserNotConfirmedException, NetworkError):
        return keys
    typed: ServiceError = service_error("NotAuthorizedException", "no")
    assert isinstance(typed, NotAuthorizedException)
    version: str = pycognito_web.__version__
    wait: "float | None" = RetryPolicy().delay("GetUser", typed, 1, 0.5)
    retry: bool = RetryPolicy().retryable("GetUser", typed)
    return dict(claims, version=version, wait=wait, retry=retry)
