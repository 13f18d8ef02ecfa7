"""User pool groups through boto3: the nine actions, their validation, paging and
errors, and the group claims in the tokens after the next sign-in or refresh."""

import datetime

import pytest
from emu_admin import admin_client, claims, confirmed_user, error_of, new_pool, refresh, sign_in

ROLE_A = "arn:aws:iam::123456789012:role/admins"
ROLE_B = "arn:aws:iam::123456789012:role/readers"


@pytest.fixture
def idp(emulator):
    return admin_client(emulator)


@pytest.fixture
def pool(idp):
    return new_pool(idp)


def test_group_create_get_update_delete(idp, pool):
    pool_id, _ = pool
    created = idp.create_group(
        GroupName="admins",
        UserPoolId=pool_id,
        Description="The admins",
        RoleArn=ROLE_A,
        Precedence=1,
    )["Group"]
    assert created["GroupName"] == "admins" and created["UserPoolId"] == pool_id
    assert created["Description"] == "The admins" and created["RoleArn"] == ROLE_A
    assert created["Precedence"] == 1
    assert isinstance(created["CreationDate"], datetime.datetime)
    assert idp.get_group(GroupName="admins", UserPoolId=pool_id)["Group"] == created

    # UpdateGroup changes what it is given and keeps the rest.
    updated = idp.update_group(GroupName="admins", UserPoolId=pool_id, Precedence=5)["Group"]
    assert updated["Precedence"] == 5 and updated["Description"] == "The admins"
    assert updated["RoleArn"] == ROLE_A and updated["CreationDate"] == created["CreationDate"]

    plain = idp.create_group(GroupName="plain", UserPoolId=pool_id)["Group"]
    assert set(plain) == {"GroupName", "UserPoolId", "CreationDate", "LastModifiedDate"}

    idp.delete_group(GroupName="admins", UserPoolId=pool_id)
    code, message = error_of(idp.get_group, GroupName="admins", UserPoolId=pool_id)
    assert (code, message) == ("ResourceNotFoundException", "Group not found.")
    code, _ = error_of(idp.delete_group, GroupName="admins", UserPoolId=pool_id)
    assert code == "ResourceNotFoundException"


def test_group_refusals(emulator, idp, pool):
    pool_id, _ = pool
    raw = admin_client(emulator, validate=False)
    idp.create_group(GroupName="team", UserPoolId=pool_id)
    code, message = error_of(idp.create_group, GroupName="team", UserPoolId=pool_id)
    assert code == "GroupExistsException" and "team" in message
    code, message = error_of(raw.create_group, GroupName="neg", UserPoolId=pool_id, Precedence=-1)
    assert code == "InvalidParameterException"
    assert "'precedence' failed to satisfy constraint" in message
    code, message = error_of(
        idp.create_group, GroupName="role", UserPoolId=pool_id, RoleArn="not-an-arn-at-all-really"
    )
    assert code == "InvalidParameterException" and "roleArn" in message
    code, _ = error_of(idp.create_group, GroupName="bad name", UserPoolId=pool_id)
    assert code == "InvalidParameterException"
    code, message = error_of(idp.get_group, GroupName="team", UserPoolId="us-east-1_Nope12345")
    assert code == "ResourceNotFoundException" and "us-east-1_Nope12345" in message
    code, _ = error_of(idp.update_group, GroupName="ghost", UserPoolId=pool_id, Precedence=1)
    assert code == "ResourceNotFoundException"
    code, _ = error_of(idp.list_groups, UserPoolId=pool_id, Limit=61)
    assert code == "InvalidParameterException"
    code, _ = error_of(idp.list_groups, UserPoolId=pool_id, NextToken="garbage")
    assert code == "InvalidParameterException"


def test_list_groups_pages_by_name(idp, pool):
    pool_id, _ = pool
    names = ["g%d" % index for index in range(5)]
    for name in reversed(names):
        idp.create_group(GroupName=name, UserPoolId=pool_id)
    seen, token, pages = [], None, 0
    while True:
        request = {"UserPoolId": pool_id, "Limit": 2}
        if token:
            request["NextToken"] = token
        answer = idp.list_groups(**request)
        pages += 1
        assert len(answer["Groups"]) <= 2
        seen += [group["GroupName"] for group in answer["Groups"]]
        token = answer.get("NextToken")
        if not token:
            break
    assert seen == names and pages == 3
    everything = idp.list_groups(UserPoolId=pool_id)
    assert [group["GroupName"] for group in everything["Groups"]] == names
    assert "NextToken" not in everything


def test_membership_actions(idp, pool):
    pool_id, _ = pool
    for name in ("b", "a", "c"):
        idp.create_group(GroupName=name, UserPoolId=pool_id)
    first, second = confirmed_user(idp, pool_id), confirmed_user(idp, pool_id)
    for group in ("b", "a"):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=first, GroupName=group)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=first, GroupName="a")  # again: fine
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=second, GroupName="a")

    groups = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=first)["Groups"]
    assert [group["GroupName"] for group in groups] == ["a", "b"]
    page = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=first, Limit=1)
    assert [g["GroupName"] for g in page["Groups"]] == ["a"] and page["NextToken"]
    rest = idp.admin_list_groups_for_user(
        UserPoolId=pool_id, Username=first, Limit=1, NextToken=page["NextToken"]
    )
    assert [g["GroupName"] for g in rest["Groups"]] == ["b"] and "NextToken" not in rest

    users = idp.list_users_in_group(UserPoolId=pool_id, GroupName="a")["Users"]
    assert [user["Username"] for user in users] == [first, second]
    assert users[0]["UserStatus"] == "CONFIRMED" and users[0]["Enabled"] is True
    assert {"Name": "email", "Value": first + "@example.com"} in users[0]["Attributes"]
    one = idp.list_users_in_group(UserPoolId=pool_id, GroupName="a", Limit=1)
    assert len(one["Users"]) == 1 and one["NextToken"]

    idp.admin_remove_user_from_group(UserPoolId=pool_id, Username=first, GroupName="a")
    users = idp.list_users_in_group(UserPoolId=pool_id, GroupName="a")["Users"]
    assert [user["Username"] for user in users] == [second]

    # A deleted user leaves its groups; a deleted group leaves its users.
    idp.admin_delete_user(UserPoolId=pool_id, Username=second)
    assert idp.list_users_in_group(UserPoolId=pool_id, GroupName="a")["Users"] == []
    idp.delete_group(GroupName="b", UserPoolId=pool_id)
    assert idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=first)["Groups"] == []

    code, message = error_of(
        idp.admin_add_user_to_group, UserPoolId=pool_id, Username="nobody", GroupName="a"
    )
    assert (code, message) == ("UserNotFoundException", "User does not exist.")
    code, message = error_of(
        idp.admin_add_user_to_group, UserPoolId=pool_id, Username=first, GroupName="zz"
    )
    assert (code, message) == ("ResourceNotFoundException", "Group not found.")
    code, _ = error_of(idp.list_users_in_group, UserPoolId=pool_id, GroupName="zz")
    assert code == "ResourceNotFoundException"
    code, _ = error_of(idp.admin_list_groups_for_user, UserPoolId=pool_id, Username="nobody")
    assert code == "UserNotFoundException"


def test_groups_in_tokens_after_admin_add_user_to_group(emulator, idp, pool):
    pool_id, client_id = pool
    username = confirmed_user(idp, pool_id)
    before = sign_in(emulator, client_id, username)
    assert "cognito:groups" not in claims(before["IdToken"])
    assert "cognito:groups" not in claims(before["AccessToken"])

    idp.create_group(GroupName="readers", UserPoolId=pool_id, RoleArn=ROLE_B, Precedence=10)
    idp.create_group(GroupName="admins", UserPoolId=pool_id, RoleArn=ROLE_A, Precedence=1)
    idp.create_group(GroupName="no-precedence", UserPoolId=pool_id)
    for group in ("readers", "no-precedence", "admins"):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)

    # Tokens already issued do not change; the next sign-in carries the groups.
    assert "cognito:groups" not in claims(before["IdToken"])
    after = sign_in(emulator, client_id, username)
    id_claims, access_claims = claims(after["IdToken"]), claims(after["AccessToken"])
    assert id_claims["cognito:groups"] == ["admins", "readers", "no-precedence"]
    assert id_claims["cognito:roles"] == [ROLE_A, ROLE_B]
    assert id_claims["cognito:preferred_role"] == ROLE_A
    assert access_claims["cognito:groups"] == ["admins", "readers", "no-precedence"]
    assert "cognito:roles" not in access_claims and "cognito:preferred_role" not in access_claims

    # A refresh shows a change of membership and precedence.
    idp.admin_remove_user_from_group(UserPoolId=pool_id, Username=username, GroupName="admins")
    idp.update_group(GroupName="no-precedence", UserPoolId=pool_id, Precedence=0)
    renewed = refresh(emulator, client_id, before["RefreshToken"])
    id_claims = claims(renewed["IdToken"])
    assert id_claims["cognito:groups"] == ["no-precedence", "readers"]
    assert id_claims["cognito:roles"] == [ROLE_B]
    assert id_claims["cognito:preferred_role"] == ROLE_B
    assert claims(renewed["AccessToken"])["cognito:groups"] == ["no-precedence", "readers"]


def test_preferred_role_left_out_on_a_precedence_tie(emulator, idp, pool):
    pool_id, client_id = pool
    username = confirmed_user(idp, pool_id)
    idp.create_group(GroupName="one", UserPoolId=pool_id, RoleArn=ROLE_A, Precedence=2)
    idp.create_group(GroupName="two", UserPoolId=pool_id, RoleArn=ROLE_B, Precedence=2)
    for group in ("one", "two"):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
    id_claims = claims(sign_in(emulator, client_id, username)["IdToken"])
    assert id_claims["cognito:groups"] == ["one", "two"]
    assert id_claims["cognito:roles"] == [ROLE_A, ROLE_B]
    assert "cognito:preferred_role" not in id_claims

    # The same role on both tied groups is preferred.
    idp.update_group(GroupName="two", UserPoolId=pool_id, RoleArn=ROLE_A)
    id_claims = claims(sign_in(emulator, client_id, username)["IdToken"])
    assert id_claims["cognito:roles"] == [ROLE_A]
    assert id_claims["cognito:preferred_role"] == ROLE_A
