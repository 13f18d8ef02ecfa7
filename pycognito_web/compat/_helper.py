"""The rest of the original's exports: ``AuthenticationHelper``, ``WordArray`` and
``appendToCognitoUserAgent``, for code that uses the SRP helper directly (custom
sign-in flows, device verifiers). Numbers that the original holds as ``BigInteger`` are
Python ints here; callbacks are called at once, as the original calls them.
"""

from .. import _api, _platform, _srp
from .._portable import hexlify
from ..errors import CognitoError, InvalidParameterError


class WordArray:
    """``new WordArray().random(n).toString()``: n secure random bytes as hex."""

    def __init__(self, data=b""):
        self._data = bytes(data)
        self.sigBytes = len(self._data)

    def random(self, nBytes):
        return WordArray(_platform.random_bytes(nBytes))

    def toString(self):
        return hexlify(self._data)

    def __str__(self):
        return self.toString()


def _callback(callback, function, *args):
    try:
        value = function(*args)
    except CognitoError as error:
        return callback(error, None)
    return callback(None, value)


class AuthenticationHelper:
    """``new AuthenticationHelper(poolName)``: the client side of Cognito's SRP.

    Args:
        PoolName: the user pool id after its underscore (or a device group key).
        random_bytes: the random source (the platform's by default).
    """

    def __init__(self, PoolName, random_bytes=None):
        if not isinstance(PoolName, str):
            raise InvalidParameterError("AuthenticationHelper needs the pool name")
        self.poolName = PoolName
        self._random = random_bytes or _platform.random_bytes
        self.N = _srp.N
        self.g = _srp.G
        self.k = _srp.K
        self.smallAValue = _srp.small_a(self._random(128))
        self.largeAValue = _srp.large_a(self.smallAValue)
        self.UValue = None
        self.randomPassword = None
        self.SaltToHashDevices = None
        self.verifierDevices = None

    def getSmallAValue(self):
        return self.smallAValue

    def getLargeAValue(self, callback):
        return callback(None, self.largeAValue)

    def generateRandomSmallA(self):
        return _srp.small_a(self._random(128))

    def generateRandomString(self):
        from .._portable import b64encode

        return b64encode(self._random(40))

    def getRandomPassword(self):
        return self.randomPassword

    def getSaltDevices(self):
        return self.SaltToHashDevices

    def getVerifierDevices(self):
        return self.verifierDevices

    def generateHashDevice(self, deviceGroupKey, username, callback):
        secrets = _srp.device_secrets(deviceGroupKey, username, self._random(40), self._random(16))
        self.randomPassword, self.SaltToHashDevices, self.verifierDevices = secrets
        return callback(None, None)

    def calculateA(self, a, callback):
        return _callback(callback, _srp.large_a, a)

    def calculateU(self, A, B):
        return _srp.compute_u(A, B)

    def hash(self, buf):
        data = buf.encode("utf-8") if isinstance(buf, str) else bytes(buf)
        return _srp.hash_bytes(data)

    def hexHash(self, hexStr):
        return _srp.hex_hash(hexStr)

    def computehkdf(self, ikm, salt):
        return _srp.hkdf(bytes(ikm), bytes(salt))

    def getPasswordAuthenticationKey(self, username, password, serverBValue, salt, callback):
        """``callback(err, hkdf)`` with the 16-byte key; the original throws on a bad B."""
        self.UValue = _srp.compute_u(self.largeAValue, serverBValue)
        return _callback(
            callback,
            _srp.authentication_key,
            self.smallAValue,
            self.largeAValue,
            serverBValue,
            salt,
            self.poolName,
            username,
            password,
        )

    def getNewPasswordRequiredChallengeUserAttributePrefix(self):
        return "userAttributes."

    def padHex(self, bigInt):
        if not isinstance(bigInt, int) or isinstance(bigInt, bool):
            raise InvalidParameterError("Not a BigInteger")
        return _srp.pad_hex(bigInt)


def appendToCognitoUserAgent(content):
    """Append to the ``X-Amz-User-Agent`` every request sends from now on."""
    if not content:
        return
    if content not in _api.USER_AGENT.split(" "):
        _api.USER_AGENT = _api.USER_AGENT + " " + content
