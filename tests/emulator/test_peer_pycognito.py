"""pycognito's AWSSRP (nobody here wrote it), over a boto3 client, against the emulator."""

import pytest
from emu_helpers import PASSWORD, sign_up

boto3 = pytest.importorskip("boto3")
aws_srp = pytest.importorskip("pycognito.aws_srp")


@pytest.fixture
def boto(emulator):
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.mark.peer
def test_pycognito_srp_sign_in(emulator, boto):
    username, email = sign_up(emulator)
    srp = aws_srp.AWSSRP(
        username=email, password=PASSWORD, pool_id=emulator.pool_id,
        client_id=emulator.client_id, client=boto,
    )  # fmt: skip
    result = srp.authenticate_user()["AuthenticationResult"]
    assert boto.get_user(AccessToken=result["AccessToken"])["Username"] == username
    wrong = aws_srp.AWSSRP(
        username=username, password="Wrong-passw0rd", pool_id=emulator.pool_id,
        client_id=emulator.client_id, client=boto,
    )  # fmt: skip
    with pytest.raises(boto.exceptions.NotAuthorizedException):
        wrong.authenticate_user()


@pytest.mark.peer
def test_pycognito_with_a_client_secret(emulator, boto):
    username, _ = sign_up(emulator)
    srp = aws_srp.AWSSRP(
        username=username, password=PASSWORD, pool_id=emulator.pool_id,
        client_id=emulator.secret_client_id, client_secret=emulator.secret_client_secret,
        client=boto,
    )  # fmt: skip
    assert "IdToken" in srp.authenticate_user()["AuthenticationResult"]


@pytest.mark.peer
def test_boto3_reads_the_error_types(emulator, boto):
    with pytest.raises(boto.exceptions.UsernameExistsException):
        username, _ = sign_up(emulator)
        boto.sign_up(ClientId=emulator.client_id, Username=username, Password=PASSWORD)
    with pytest.raises(boto.exceptions.NotAuthorizedException) as caught:
        boto.get_user(AccessToken="junk")
    assert caught.value.response["Error"]["Message"] == "Invalid Access Token"
