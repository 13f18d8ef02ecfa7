"""A shell script sets up a production-like pool with the AWS CLI against the emulator
(groups, a domain, a resource server, an identity provider, an OAuth app client, tags),
then describes it back: an infrastructure script runs unchanged."""

import json
import os
import subprocess
import sys
import uuid

SCRIPT = r"""
set -euo pipefail
idp() { "$PYTHON" -m awscli --endpoint-url "$ENDPOINT" --output json cognito-idp "$@"; }
pool=$(idp create-user-pool --pool-name "$NAME" --auto-verified-attributes email \
  --user-pool-tags stage=test --query UserPool.Id --output text)
idp create-group --user-pool-id "$pool" --group-name admins --precedence 1 \
  --role-arn arn:aws:iam::123456789012:role/admins > /dev/null
idp create-user-pool-domain --user-pool-id "$pool" --domain "$NAME" > /dev/null
idp create-resource-server --user-pool-id "$pool" --identifier orders \
  --name API --scopes ScopeName=read,ScopeDescription=Read > /dev/null
details=client_id=corp,attributes_request_method=GET
details=$details,oidc_issuer=https://corp.example.com,authorize_scopes=openid
idp create-identity-provider --user-pool-id "$pool" --provider-name Corp --provider-type OIDC \
  --provider-details "$details" \
  --attribute-mapping email=email > /dev/null
idp create-user-pool-client --user-pool-id "$pool" --client-name web \
  --allowed-o-auth-flows-user-pool-client --allowed-o-auth-flows code \
  --allowed-o-auth-scopes openid orders/read \
  --callback-urls https://app.example.com/callback \
  --supported-identity-providers COGNITO Corp > /dev/null
idp admin-create-user --user-pool-id "$pool" --username ops --message-action SUPPRESS > /dev/null
idp admin-add-user-to-group --user-pool-id "$pool" --username ops --group-name admins
echo "{\"pool\": $(idp describe-user-pool --user-pool-id "$pool"),"
echo " \"groups\": $(idp admin-list-groups-for-user --user-pool-id "$pool" --username ops),"
echo " \"domain\": $(idp describe-user-pool-domain --domain "$NAME"),"
echo " \"servers\": $(idp list-resource-servers --user-pool-id "$pool" --max-results 10),"
echo " \"provider\": $(idp describe-identity-provider --user-pool-id "$pool" --provider-name Corp),"
echo " \"clients\": $(idp list-user-pool-clients --user-pool-id "$pool")}"
"""


def test_a_cli_script_sets_up_a_pool_and_describes_it_back(emulator, tmp_path):
    name = "cli-setup-" + uuid.uuid4().hex[:8]
    script = tmp_path / "setup.sh"
    script.write_text(SCRIPT)
    # Without this the CLI fetches any parameter that looks like a URL (callback URLs).
    config = tmp_path / "aws-config"
    config.write_text("[default]\ncli_follow_urlparam = false\n")
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_MAX_ATTEMPTS="1",
        PYTHON=sys.executable,
        ENDPOINT=emulator.url,
        NAME=name,
    )
    env.pop("AWS_PROFILE", None)
    done = subprocess.run(
        ["bash", str(script)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    pool = found["pool"]["UserPool"]
    assert pool["Name"] == name and pool["Domain"] == name
    assert pool["UserPoolTags"] == {"stage": "test"}
    assert [g["GroupName"] for g in found["groups"]["Groups"]] == ["admins"]
    assert found["domain"]["DomainDescription"]["UserPoolId"] == pool["Id"]
    servers = found["servers"]["ResourceServers"]
    assert [s["Identifier"] for s in servers] == ["orders"]
    assert servers[0]["Scopes"] == [{"ScopeName": "read", "ScopeDescription": "Read"}]
    provider = found["provider"]["IdentityProvider"]
    assert provider["ProviderType"] == "OIDC"
    assert provider["ProviderDetails"]["oidc_issuer"] == "https://corp.example.com"
    assert provider["AttributeMapping"]["email"] == "email"
    assert [c["ClientName"] for c in found["clients"]["UserPoolClients"]] == ["web"]
