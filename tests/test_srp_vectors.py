"""pycognito_web._srp against known answers recorded from amazon-cognito-identity-js.

The vectors in tests/vectors/ were produced by running the original SDK in Node with
recorded randomness and a frozen clock (tests/vectors/generate/kat.js). Every value here
must come out of ``_srp`` byte for byte. The last tests regenerate the vectors with Node
and compare them with the committed files, so the answers cannot drift from the SDK.
"""

import base64
import filecmp
import json
import pathlib
import shutil
import subprocess

import pytest

from pycognito_web import _srp
from pycognito_web.errors import SrpError

VECTORS = pathlib.Path(__file__).parent / "vectors"
REPO = VECTORS.parent.parent
GENERATOR = VECTORS / "generate" / "kat.js"
PRIMITIVES = json.loads((VECTORS / "srp_primitives.json").read_text(encoding="utf-8"))


def _int(signed_hex):
    return int(signed_hex, 16)


def _ids(key):
    return lambda case: str(case.get(key))[:40]


@pytest.mark.parametrize("case", PRIMITIVES["pad_hex"], ids=_ids("int"))
def test_pad_hex(case):
    assert _srp.pad_hex(_int(case["int"])) == case["pad_hex"]


def test_group_constants():
    group = PRIMITIVES["group"]
    assert _srp.N == _int(group["N"])
    assert _srp.G == _int(group["g"])
    assert _srp.K == _int(group["k"])
    assert _srp.pad_hex(_srp.K) == group["k_pad_hex"]


@pytest.mark.parametrize("case", PRIMITIVES["hash"], ids=_ids("text"))
def test_hash_text(case):
    assert _srp.hash_text(case["text"]) == case["hash_text"]


@pytest.mark.parametrize("case", PRIMITIVES["hex_hash"], ids=_ids("hex"))
def test_hex_hash(case):
    assert _srp.hex_hash(case["hex"]) == case["hex_hash"]


@pytest.mark.parametrize("case", PRIMITIVES["hkdf"], ids=_ids("ikm"))
def test_hkdf(case):
    key = _srp.hkdf(bytes.fromhex(case["ikm"]), bytes.fromhex(case["salt"]))
    assert key.hex() == case["key"]


@pytest.mark.parametrize("case", PRIMITIVES["large_a"], ids=_ids("random_hex"))
def test_small_and_large_a(case):
    a = _srp.small_a(bytes.fromhex(case["random_hex"]))
    assert a == _int(case["a"])
    assert _srp.large_a(a) == _int(case["A"])


def test_small_a_needs_128_bytes():
    with pytest.raises(SrpError):
        _srp.small_a(b"\x01" * 127)


@pytest.mark.parametrize("case", PRIMITIVES["compute_u"], ids=_ids("B"))
def test_compute_u(case):
    assert _srp.compute_u(_int(case["A"]), _int(case["B"])) == _int(case["u"])


@pytest.mark.parametrize("case", PRIMITIVES["srp"], ids=_ids("B"))
def test_srp_exchange(case):
    a = _srp.small_a(bytes.fromhex(case["random_hex"]))
    assert a == _int(case["a"])
    big_a = _srp.large_a(a)
    assert big_a == _int(case["A"])
    # SRP_A goes on the wire as plain lower-case hex, not padded.
    assert "%x" % big_a == case["srp_a_param"]
    big_b = _int(case["B"])
    salt = _int(case["salt"])
    u = _srp.compute_u(big_a, big_b)
    assert u == _int(case["u"])
    x = _srp.compute_x(salt, case["pool_name"], case["username"], case["password"])
    assert x == _int(case["x"])
    assert _srp.compute_s(a, big_b, u, x) == _int(case["S"])
    key = _srp.authentication_key(
        a, big_a, big_b, salt, case["pool_name"], case["username"], case["password"]
    )
    assert key.hex() == case["key"]
    assert _srp.timestamp(case["epoch_ms"] / 1000) == case["timestamp"]
    signature = _srp.claim_signature(
        key, case["pool_name"], case["username"], case["secret_block"], case["timestamp"]
    )
    assert signature == case["signature"]


@pytest.mark.parametrize("case", PRIMITIVES["timestamp"], ids=_ids("iso"))
def test_timestamp(case):
    assert _srp.timestamp(case["epoch_ms"] / 1000) == case["timestamp"]


@pytest.mark.parametrize("case", PRIMITIVES["timestamp"], ids=_ids("iso"))
def test_timestamp_integer_seconds(case):
    assert _srp.timestamp(case["epoch_ms"] // 1000) == case["timestamp"]


@pytest.mark.parametrize("case", PRIMITIVES["device_secrets"], ids=_ids("random16_hex"))
def test_device_secrets(case):
    password, salt_hex, verifier_hex = _srp.device_secrets(
        case["device_group_key"],
        case["device_key"],
        bytes.fromhex(case["random40_hex"]),
        bytes.fromhex(case["random16_hex"]),
    )
    assert password == case["device_password"]
    assert salt_hex == case["salt_hex"]
    assert verifier_hex == case["verifier_hex"]
    assert _srp.hex_to_base64(salt_hex) == case["salt_b64"]
    assert _srp.hex_to_base64(verifier_hex) == case["verifier_b64"]


@pytest.mark.parametrize("case", PRIMITIVES["hex_to_base64"], ids=_ids("hex"))
def test_hex_to_base64(case):
    assert _srp.hex_to_base64(case["hex"]) == case["base64"]


# --- The SRP exchanges inside the recorded flows, recomputed from their inputs. ----------


def _flow_cases(name):
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))["cases"]


def _srp_rounds(case):
    """(random a bytes, InitiateAuth-or-DEVICE_SRP_AUTH request, challenge, claim) tuples."""
    draws = [d for d in case["random"] if d["purpose"] == "srp_small_a"]
    exchanges = case["requests"]
    rounds = []
    for i, exchange in enumerate(exchanges):
        challenge = exchange["response"]["body"]
        if challenge.get("ChallengeName") not in ("PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER"):
            continue
        request = exchange["request"]["body"]
        params = request.get("AuthParameters") or request.get("ChallengeResponses")
        claim = exchanges[i + 1]["request"]["body"]
        rounds.append((params, challenge, claim))
    # The a of a PASSWORD_VERIFIER round is the draw whose A was sent in its request.
    by_a = {}
    for draw in draws:
        random_a = bytes.fromhex(draw["hex"])
        by_a["%x" % _srp.large_a(_srp.small_a(random_a))] = random_a
    return [
        (by_a[params["SRP_A"]], params, challenge, claim) for params, challenge, claim in rounds
    ]


FLOW_SRP_CASES = [
    case
    for name in ("flow_srp_auth.json", "flow_device.json")
    for case in _flow_cases(name)
    if any(d["purpose"] == "srp_small_a" for d in case["random"])
]


@pytest.mark.parametrize("case", FLOW_SRP_CASES, ids=lambda case: case["name"])
def test_flow_claims(case):
    """PASSWORD_CLAIM_SIGNATURE of every recorded SRP round, from the round's inputs."""
    pool_name = case["pool"]["UserPoolId"].split("_", 1)[1]
    password = case["call"]["authenticationDetails"]["Password"]
    storage = case["storage_before"]
    rounds = _srp_rounds(case)
    assert rounds
    for random_a, _params, challenge, claim in rounds:
        parameters = challenge["ChallengeParameters"]
        responses = claim["ChallengeResponses"]
        a = _srp.small_a(random_a)
        if challenge["ChallengeName"] == "PASSWORD_VERIFIER":
            prefix, identity, secret = pool_name, parameters["USER_ID_FOR_SRP"], password
        else:
            user_prefix = "CognitoIdentityServiceProvider.%s.%s." % (
                case["pool"]["ClientId"],
                parameters["USERNAME"],
            )
            prefix = storage[user_prefix + "deviceGroupKey"]
            identity = storage[user_prefix + "deviceKey"]
            secret = storage[user_prefix + "randomPasswordKey"]
        key = _srp.authentication_key(
            a,
            _srp.large_a(a),
            _srp.parse_hex("SRP_B", parameters["SRP_B"]),
            _srp.parse_hex("SALT", parameters["SALT"]),
            prefix,
            identity,
            secret,
        )
        stamp = _srp.timestamp(case["clock"]["epoch_ms"] / 1000)
        assert responses["TIMESTAMP"] == stamp
        assert responses["PASSWORD_CLAIM_SIGNATURE"] == _srp.claim_signature(
            key, prefix, identity, parameters["SECRET_BLOCK"], stamp
        )


def test_flow_confirm_device_verifier():
    case = _flow_cases("flow_device.json")[0]
    draws = {d["purpose"]: d["hex"] for d in case["random"]}
    confirm = next(e for e in case["requests"] if e["request"]["action"] == "ConfirmDevice")
    body = confirm["request"]["body"]
    meta = case["requests"][1]["response"]["body"]["AuthenticationResult"]["NewDeviceMetadata"]
    password, salt_hex, verifier_hex = _srp.device_secrets(
        meta["DeviceGroupKey"],
        meta["DeviceKey"],
        bytes.fromhex(draws["device_random_password"]),
        bytes.fromhex(draws["device_salt"]),
    )
    assert body["DeviceSecretVerifierConfig"] == {
        "Salt": _srp.hex_to_base64(salt_hex),
        "PasswordVerifier": _srp.hex_to_base64(verifier_hex),
    }
    stored = {op["key"].rsplit(".", 1)[1]: op.get("value") for op in case["storage_ops"]}
    assert stored["randomPasswordKey"] == password
    assert base64.b64decode(password) == bytes.fromhex(draws["device_random_password"])


# --- The vectors must be what the SDK produces today. ------------------------------------


def _node():
    node = shutil.which("node")
    sdk = REPO / "node_modules" / "amazon-cognito-identity-js" / "package.json"
    if node is None or not sdk.exists():
        pytest.fail(
            "node or node_modules/amazon-cognito-identity-js is missing (run scripts/setup)"
        )
    return node


def test_vectors_regenerate_identically(tmp_path):
    node = _node()
    subprocess.run([node, str(GENERATOR), str(tmp_path)], cwd=REPO, check=True, timeout=300)
    committed = sorted(p.name for p in VECTORS.glob("*.json"))
    produced = sorted(p.name for p in tmp_path.glob("*.json"))
    assert produced == committed
    _match, mismatch, errors = filecmp.cmpfiles(VECTORS, tmp_path, committed, shallow=False)
    assert (mismatch, errors) == ([], [])
