"""Operation coverage, measured from outside: one SigV4-signed boto3 call per operation
of botocore's ``cognito-idp`` and ``cognito-identity`` models, with the least request
the model calls valid (required members only, each at its smallest legal value).

An operation "answers" when the emulator gives anything but UnknownOperationException:
a ResourceNotFoundException for the made-up pool id is an answer. No operation may
fail with InternalErrorException (a handler that crashes on a valid request).

``MISSING`` names the operations that do not answer yet. The test fails when one of
them starts answering (take it out of the set, so the list only shrinks) and when one
that is not listed does not answer.
"""

import datetime

import boto3
import botocore.exceptions
import botocore.session
from botocore.config import Config

# Operations the emulator does not answer yet, per model. Left for other areas of work:
# federated-user linking and the client-credentials/derived tokens (managed login),
# and the identity-pool administration.
MISSING = {
    "cognito-idp": {
        "AdminDisableProviderForUser",
        "AdminLinkProviderForUser",
        "GetClientToken",
        "GetDerivedToken",
    },
    "cognito-identity": {
        "CreateIdentityPool",
        "DeleteIdentities",
        "DeleteIdentityPool",
        "DescribeIdentity",
        "DescribeIdentityPool",
        "GetIdentityPoolRoles",
        "GetOpenIdToken",
        "GetOpenIdTokenForDeveloperIdentity",
        "GetPrincipalTagAttributeMap",
        "ListIdentities",
        "ListIdentityPools",
        "ListTagsForResource",
        "LookupDeveloperIdentity",
        "MergeDeveloperIdentities",
        "SetIdentityPoolRoles",
        "SetPrincipalTagAttributeMap",
        "TagResource",
        "UnlinkDeveloperIdentity",
        "UnlinkIdentity",
        "UntagResource",
        "UpdateIdentityPool",
    },
}


def _value(shape):
    """The smallest value of a shape that botocore's own validation accepts."""
    kind = shape.type_name
    if kind == "structure":
        return {name: _value(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        size = shape.metadata.get("min", 0)
        return [_value(shape.member) for _ in range(size)]
    if kind == "map":
        size = shape.metadata.get("min", 0)
        return {"k%d" % index: _value(shape.value) for index in range(size)}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return "x" * max(shape.metadata.get("min", 1), 1)
    if kind in ("integer", "long"):
        return max(shape.metadata.get("min", 1), 1)
    if kind in ("float", "double"):
        return 1.0
    if kind == "boolean":
        return False
    if kind == "blob":
        return b"x" * max(shape.metadata.get("min", 1), 1)
    if kind == "timestamp":
        return datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    raise AssertionError("no minimal value for shape type %s" % kind)


def _answers(emulator, service):
    """{operation: error code or None} for every operation of the service's model."""
    model = botocore.session.get_session().get_service_model(service)
    client = boto3.client(
        service,
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, inject_host_prefix=False),
    )
    results = {}
    for name in model.operation_names:
        operation = model.operation_model(name)
        params = _value(operation.input_shape) if operation.input_shape is not None else {}
        method = getattr(client, _method(client, name))
        try:
            method(**params)
            results[name] = None
        except botocore.exceptions.ClientError as error:
            results[name] = error.response["Error"]["Code"]
    return results


def _method(client, operation):
    for method, api in client.meta.method_to_api_mapping.items():
        if api == operation:
            return method
    raise AssertionError("boto3 has no method for %s" % operation)


def _check(emulator, service, capsys):
    results = _answers(emulator, service)
    unanswered = {name for name, code in results.items() if code == "UnknownOperationException"}
    crashed = sorted(name for name, code in results.items() if code == "InternalErrorException")
    with capsys.disabled():
        print(
            "\n[coverage] %s: %d / %d operations answer"
            % (service, len(results) - len(unanswered), len(results))
        )
    listed = MISSING[service]
    assert not crashed, "InternalErrorException on a valid request: %s" % crashed
    now_answering = sorted(listed - unanswered)
    assert not now_answering, "these answer now; take them out of MISSING: %s" % now_answering
    not_listed = sorted(unanswered - listed)
    assert not not_listed, "these do not answer and are not in MISSING: %s" % not_listed
    assert listed <= set(results), "MISSING names unknown operations: %s" % sorted(
        listed - set(results)
    )


def test_every_user_pool_operation_answers(emulator, capsys):
    _check(emulator, "cognito-idp", capsys)


def test_every_identity_pool_operation_answers(emulator, capsys):
    _check(emulator, "cognito-identity", capsys)
