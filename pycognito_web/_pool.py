"""The Pythonic face: a user pool's app client, from which users are reached.

A pool also chooses what the caller did not pass: the storage (``localStorage`` in a
browser when it works, else one process-wide ``MemoryStorage``), the transport (the
browser's ``fetch`` or CPython's ``urllib``), the random source and the clock
(``_platform``'s).
"""

from . import _platform, _storage, _validate

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Awaitable, Callable, Optional

    from ._api import ServiceClient
    from ._identity import IdentityCredentials
    from ._retry import RetryPolicy
    from ._transport import Transport
    from ._user import User
    from .flows.context import FlowContext

# What a page needs to be ready to sign in is this module, _platform, _storage and
# _validate. The rest (the transport, the API client, the flows, SRP, tokens, User) is
# imported on first use, or by prepare_srp() ahead of the click: in Pyodide every module
# is compiled from source on each page load (benchmarks/results.md, section 3).

# Seconds between two JWKS fetches for a token whose kid the cached keys lack (what
# aws-jwt-verify's penalty box waits by default): keys rotate rarely, and without a
# bound anyone who can hand a backend tokens could make it fetch at will.
JWKS_REFETCH_INTERVAL = 10.0

_TEST_KEY = "aws.cognito.test-ls"

# One process-wide memory store, as the original's MemoryStorage, so that two pools
# built without a storage on CPython see the same sessions.
_shared_memory_storage = _storage.MemoryStorage()


def default_storage() -> "Any":
    """``localStorage`` if it works here (the original's availability test), else the
    process-wide MemoryStorage, with a warning in a browser."""
    js = _platform.js
    if js is not None:
        try:
            storage = js.localStorage
            storage.setItem(_TEST_KEY, "1")
            storage.removeItem(_TEST_KEY)
            return storage
        except Exception as error:  # absent, disabled, or full: fall back to memory
            _platform.warn(
                "pycognito-web: localStorage is unavailable (%s); sessions are kept in "
                "memory and end with this page" % type(error).__name__
            )
    return _shared_memory_storage


def default_transport(fetch_options: "Optional[dict]" = None) -> "Transport":
    """``FetchTransport`` in a browser, ``UrllibTransport`` elsewhere; each module is
    imported only where it runs."""
    if _platform.IN_BROWSER:
        from ._fetch import FetchTransport

        return FetchTransport(fetch_options)
    from ._urllib import UrllibTransport

    return UrllibTransport()


def advanced_security_data(username: "str", pool_id: "str", client_id: "str") -> "Any":
    """``UserContextData`` from Cognito's advanced-security script, when the page loads it.

    The page opts in by loading ``amazon-cognito-advanced-security-data.min.js``, which
    defines the global ``AmazonCognitoAdvancedSecurityData``; without it, None.
    """
    collector = getattr(_platform.js, "AmazonCognitoAdvancedSecurityData", None)
    if collector is None:
        return None
    try:
        encoded = collector.getData(username, pool_id, client_id)
    except Exception:  # the collector is best-effort by design
        return None
    return {"EncodedData": str(encoded)} if encoded else None


def endpoint_for_region(region: "str") -> "str":
    """The public Cognito endpoint of a region."""
    return "https://cognito-idp.%s.amazonaws.com/" % region


class SignUpResult:
    """What SignUp returns.

    Attributes:
        user: the new ``User``.
        user_confirmed: whether the user can sign in already.
        user_sub: the user's ``sub``.
        code_delivery_details: where the confirmation code went (masked), or None.
    """

    def __init__(self, user: "User", data: "dict") -> None:
        self.user = user
        self.user_confirmed = data.get("UserConfirmed")
        self.user_sub = data.get("UserSub")
        self.code_delivery_details = data.get("CodeDeliveryDetails")

    def __repr__(self) -> "str":
        return "<SignUpResult %s confirmed=%r>" % (self.user.username, self.user_confirmed)


class UserPool:
    """One app client of one Cognito user pool.

    Args:
        pool_id: e.g. ``us-east-1_aB12cDe34``; its region picks the endpoint.
        client_id: the app client id.
        endpoint: another service URL (a proxy, or the emulator).
        storage: where sessions live (``localStorage`` in a browser by default).
        client_secret: for app clients with a secret (server-side use only: a secret
            in a web page is not secret).
        transport: how requests are sent (by default ``fetch`` or ``urllib``, made with
            the first request).
        random_bytes: ``n -> bytes``; the platform's secure source by default.
        clock: ``() -> seconds since the epoch``.
        fetch_options: the original's ``fetchOptions`` (only ``credentials`` is used).
        context_data: ``username -> dict`` for ``UserContextData``; by default, what
            Cognito's advanced-security script provides when the page loads it.
        device_name: the name given to devices this client remembers.
        retry: a ``RetryPolicy``: by default up to 3 tries with jittered backoff, for
            throttling always and for faults only on calls safe to repeat;
            ``RetryPolicy(attempts=1)`` turns it off.
        sleep: ``async sleep(seconds)`` used between retries (``asyncio.sleep``).
        jwks_refetch_interval: seconds that must pass between two fetches of the
            pool's keys for tokens whose ``kid`` the cached keys lack (10, as
            aws-jwt-verify); within it such a token is refused without a fetch.

    Raises:
        InvalidParameterError: for a missing or malformed pool id or client id.
    """

    def __init__(
        self,
        pool_id: "str",
        client_id: "str",
        *,
        endpoint: "Optional[str]" = None,
        storage: "Any" = None,
        client_secret: "Optional[str]" = None,
        transport: "Optional[Transport]" = None,
        random_bytes: "Optional[Callable[[int], bytes]]" = None,
        clock: "Optional[Callable[[], float]]" = None,
        fetch_options: "Optional[dict]" = None,
        context_data: "Optional[Callable[[str], Any]]" = None,
        device_name: "Optional[str]" = None,
        retry: "Optional[RetryPolicy]" = None,
        sleep: "Optional[Callable[[float], Awaitable[Any]]]" = None,
        jwks_refetch_interval: "float" = JWKS_REFETCH_INTERVAL,
    ) -> None:
        region, pool_name = _validate.pool_id(pool_id)
        _validate.client_id(client_id)
        if endpoint is not None:
            _validate.text(endpoint, "endpoint")
        if client_secret is not None:
            _validate.text(client_secret, "client_secret")
        if device_name is not None:
            _validate.text(device_name, "device_name")
        _validate.storage(storage)
        _validate.optional_function(random_bytes, "random_bytes")
        _validate.optional_function(clock, "clock")
        _validate.optional_function(context_data, "context_data")
        _validate.optional_function(sleep, "sleep")
        if isinstance(jwks_refetch_interval, bool) or not isinstance(
            jwks_refetch_interval, (int, float)
        ) or not jwks_refetch_interval >= 0:
            from .errors import InvalidParameterError

            raise InvalidParameterError("jwks_refetch_interval must be a number of seconds >= 0")
        if retry is not None and not callable(getattr(retry, "delay", None)):
            from .errors import InvalidParameterError

            raise InvalidParameterError("retry must be a RetryPolicy")
        if transport is not None and not callable(getattr(transport, "handle_async_request", None)):
            from .errors import InvalidParameterError

            raise InvalidParameterError("transport must be a Transport (handle_async_request)")
        self.pool_id = pool_id
        self.client_id = client_id
        self.region = region
        self.pool_name = pool_name
        self.endpoint = endpoint or endpoint_for_region(region)
        self.storage = storage if storage is not None else default_storage()
        self._transport = transport
        self._fetch_options = fetch_options
        self.random_bytes = random_bytes or _platform.random_bytes
        self.clock = clock or _platform.now
        self._retry, self._sleep = retry, sleep
        self._client = None  # type: Optional[ServiceClient]
        self._jwks = None  # type: Optional[dict]
        self._jwks_refetched = None  # type: Optional[float]
        self.jwks_refetch_interval = jwks_refetch_interval
        self._srp_pair = None  # type: Optional[tuple]
        self._context = None  # type: Optional[FlowContext]
        self._context_args = (client_secret, context_data, device_name)

    # The transport, the API client and the flows' view of the app client are made on
    # first use, so that building a pool compiles none of _fetch, _api and flows/.

    @property
    def transport(self) -> "Transport":
        """How this pool's requests are sent (the platform's default unless one was given)."""
        if self._transport is None:
            self._transport = default_transport(self._fetch_options)
        return self._transport

    @transport.setter
    def transport(self, transport: "Transport") -> None:
        self._transport = transport

    @property
    def client(self) -> "ServiceClient":
        """The ``ServiceClient`` that sends this pool's requests through its transport."""
        if self._client is None:
            from ._api import ServiceClient

            self._client = ServiceClient(
                self.endpoint,
                self.transport,
                retry=self._retry,
                random_bytes=self.random_bytes,
                sleep=self._sleep,
            )
        return self._client

    @property
    def context(self) -> "FlowContext":
        """The app client as the flows see it (id, pool name, secret, device name)."""
        if self._context is None:
            from .flows.context import FlowContext

            client_secret, context_data, device_name = self._context_args
            self._context = FlowContext(
                self.client_id,
                self.pool_name,
                client_secret,
                context_data if context_data is not None else self._security_data,
                device_name or _platform.device_name(),
            )
        return self._context

    def prepare_srp(self) -> None:
        """Get this pool's next SRP sign-in ready: its code imported and ``a``, ``A`` made.

        ``A = g^a mod N`` is most of the client's SRP work and depends on nothing the user
        types, so a page can call this once it is ready (and again after each sign-in) to
        take that work off the click. Each pair is used once, then dropped.

        It also imports what a sign-in runs (the sign-in flow, SRP, ``User``, tokens, the
        API client), which ``import pycognito_web`` and ``UserPool()`` leave for first
        use: in Pyodide that is compiling their sources, tens of milliseconds that the
        click would otherwise pay. Call it in idle time after the page is ready.
        """
        from . import _tokens, _user  # noqa: F401 (compiled now rather than on the click)
        from .flows import sign_in

        _ = self.client, self.context  # made now, with the modules they need
        if self._srp_pair is None:
            self._srp_pair = sign_in.srp_pair(self.random_bytes(128))

    def _take_srp_pair(self) -> "Optional[tuple]":
        """The pair made by ``prepare_srp`` (now no longer held), or None."""
        pair, self._srp_pair = self._srp_pair, None
        return pair

    def _security_data(self, username: "str") -> "Any":
        return advanced_security_data(username, self.pool_id, self.client_id)

    def __repr__(self) -> "str":
        return "<UserPool %s client=%s>" % (self.pool_id, self.client_id)

    @property
    def issuer(self) -> "str":
        """The ``iss`` of this pool's tokens: ``<endpoint>/<poolId>``."""
        return self.endpoint.rstrip("/") + "/" + self.pool_id

    async def jwks(self, refresh: "bool" = False) -> "dict":
        """The pool's signing keys, fetched once and kept (``refresh`` fetches again)."""
        if refresh or self._jwks is None:
            self._jwks = await self.client.get_json(self.issuer + "/.well-known/jwks.json")
        return self._jwks

    async def verify_token(
        self, token: "Any", token_use: "str" = "id", leeway: "float" = 0
    ) -> "dict":
        """Verify an ID or access token's signature and claims; returns the claims.

        Args:
            token: the JWT, or an IdToken/AccessToken.
            token_use: ``"id"`` or ``"access"``.
            leeway: seconds of clock skew allowed on ``exp``.

        Raises:
            TokenVerificationError: naming the failed check (a malformed token,
            signature, issuer, audience, use, expiry, a kid the pool's keys lack).
        """
        from . import _verify

        if token_use not in ("id", "access"):
            from .errors import InvalidParameterError

            raise InvalidParameterError("token_use must be 'id' or 'access'")
        jwt = getattr(token, "jwt", token)
        kid = _verify.key_id(jwt)  # a malformed token is refused before any fetch
        jwks = await self.jwks()
        if _verify.find_key(jwks, kid) is None and self._may_refetch_jwks():
            jwks = await self.jwks(refresh=True)  # keys rotate: the kid may be new
        return _verify.verify(
            jwt, jwks, self.issuer, self.client_id, token_use, self.clock(), leeway
        )

    def _may_refetch_jwks(self) -> "bool":
        # At most one refetch per interval, counted from when the last one started, so
        # that concurrent verifications of unknown kids share one fetch too.
        now = self.clock()
        last = self._jwks_refetched
        if last is not None and 0 <= now - last < self.jwks_refetch_interval:
            return False
        self._jwks_refetched = now
        return True

    def identity_credentials(
        self, identity_pool_id: "str", endpoint: "Optional[str]" = None
    ) -> "IdentityCredentials":
        """An ``IdentityCredentials`` that trades this pool's ID tokens for AWS credentials."""
        from ._identity import IdentityCredentials

        return IdentityCredentials(identity_pool_id, self, endpoint)

    def user(self, username: "str") -> "User":
        """The user of that name (nothing is sent)."""
        from ._user import User

        return User(self, username)

    def current_user(self) -> "Optional[User]":
        """The last user who signed in here, from storage, or None.

        A still-valid stored session is loaded too (no request is sent); an expired one
        is refreshed by ``await user.get_session()``.
        """
        # Storage first: with no one signed in here, User and tokens stay unimported.
        name = _storage.read(self.storage, _storage.last_user_key(self.client_id))
        if not name:
            return None
        user = self.user(name)
        user.cached_session()
        return user

    async def call(self, action: "str", params: "dict") -> "dict":
        """Send any user-pool action with this pool's client (an escape hatch)."""
        return await self.client.call(action, params)

    async def sign_up(
        self,
        username: "str",
        password: "str",
        attributes: "Any" = None,
        validation_data: "Any" = None,
        client_metadata: "Optional[dict]" = None,
    ) -> "SignUpResult":
        """Register a user.

        Args:
            username: the new user's name (or email/phone where the pool uses those).
            password: the password, checked against the pool's policy by the service.
            attributes: ``{"email": ...}`` or a list of ``{"Name", "Value"}``.
            validation_data: the same shapes, for the pre-sign-up trigger.
            client_metadata: a dict of strings for the Lambda triggers.

        Raises:
            InvalidParameterError: for bad arguments; ServiceError from Cognito
            (UsernameExistsException, InvalidPasswordException, ...).
        """
        from .flows import sign_up

        user = self.user(username)
        flow = sign_up.sign_up(
            self.context, username, password, attributes, validation_data, client_metadata
        )
        return SignUpResult(user, await user._run(flow))
