"""A software WebAuthn authenticator for the emulator tests: what a browser and a passkey
together send, built by hand from the spec so the emulator's checks (done by fido2) are
tested against bytes fido2 did not make.

* keys: ES256 (P-256) or RS256 (RSA 2048) from ``cryptography``;
* ``create(options, origin)``: RegistrationResponseJSON for a
  PublicKeyCredentialCreationOptionsJSON (attestation ``none``);
* ``get(options, origin)``: AuthenticationResponseJSON for a
  PublicKeyCredentialRequestOptionsJSON (signature over authenticatorData ||
  SHA-256(clientDataJSON)).

Knobs for negative tests: ``rp_id`` (hash another relying party), ``flags`` (drop UP or
UV), ``fmt`` (another attestation format), ``counter`` (the signCount sent).
"""

import base64
import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from fido2 import cbor  # CBOR encoding only; everything WebAuthn is built here

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One credential on a software authenticator (see the module docstring)."""

    def __init__(self, alg=-7):
        self.alg = alg
        if alg == -7:
            self.key = ec.generate_private_key(ec.SECP256R1())
        elif alg == -257:
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            raise ValueError("unsupported algorithm %r" % alg)
        self.credential_id = os.urandom(32)
        self.counter = 0
        self.aaguid = bytes(16)

    def cose_key(self):
        numbers = self.key.public_key().public_numbers()
        if self.alg == -7:
            return {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                    -3: numbers.y.to_bytes(32, "big")}  # fmt: skip
        n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
        e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
        return {1: 3, 3: -257, -1: n, -2: e}

    def auth_data(self, rp_id, flags, attested=False):
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags])
        data += struct.pack(">I", self.counter)
        if attested:
            data += self.aaguid + struct.pack(">H", len(self.credential_id))
            data += self.credential_id + cbor.encode(self.cose_key())
        return data

    def sign(self, message):
        if self.alg == -7:
            return self.key.sign(message, ec.ECDSA(hashes.SHA256()))
        return self.key.sign(message, padding.PKCS1v15(), hashes.SHA256())

    @staticmethod
    def client_data(kind, challenge, origin):
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False},
            separators=(",", ":"),
        ).encode()

    def create(self, options, origin, rp_id=None, flags=UP | UV, fmt="none", kind=None):
        """RegistrationResponseJSON for CredentialCreationOptions (a dict)."""
        rp_id = rp_id or options["rp"]["id"]
        client_data = self.client_data(kind or "webauthn.create", options["challenge"], origin)
        auth_data = self.auth_data(rp_id, flags | AT, attested=True)
        statement = {} if fmt == "none" else {"alg": self.alg, "sig": self.sign(auth_data)}
        attestation = cbor.encode({"fmt": fmt, "attStmt": statement, "authData": auth_data})
        raw_id = b64url(self.credential_id)
        return {
            "id": raw_id,
            "rawId": raw_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
                "publicKeyAlgorithm": self.alg,
                "authenticatorData": b64url(auth_data),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(self, options, origin, rp_id=None, flags=UP | UV, counter=None, kind=None):
        """AuthenticationResponseJSON for CredentialRequestOptions (a dict)."""
        self.counter = self.counter + 1 if counter is None else counter
        rp_id = rp_id or options["rpId"]
        client_data = self.client_data(kind or "webauthn.get", options["challenge"], origin)
        auth_data = self.auth_data(rp_id, flags)
        signature = self.sign(auth_data + hashlib.sha256(client_data).digest())
        raw_id = b64url(self.credential_id)
        return {
            "id": raw_id,
            "rawId": raw_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(b"user"),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
