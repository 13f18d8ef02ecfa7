"""Pool tags, AddCustomAttributes, AdminSetUserSettings and AdminUpdateDeviceStatus
through boto3."""

import base64
import os

import pytest
from emu_admin import admin_client, confirmed_user, error_of, new_pool, sign_in
from emu_helpers import PASSWORD, unique


@pytest.fixture
def idp(emulator):
    return admin_client(emulator)


def test_tags_on_a_pool(idp):
    pool_id, _ = new_pool(idp, UserPoolTags={"stage": "test"})
    arn = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    assert arn == "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + pool_id
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"stage": "test"}

    idp.tag_resource(ResourceArn=arn, Tags={"team": "web", "stage": "prod"})
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "web", "stage": "prod"}
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTags"] == {
        "team": "web",
        "stage": "prod",
    }
    idp.untag_resource(ResourceArn=arn, TagKeys=["stage", "never-set"])
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "web"}

    code, _ = error_of(idp.tag_resource, ResourceArn=arn, Tags={"aws:owner": "me"})
    assert code == "InvalidParameterException"
    code, _ = error_of(idp.tag_resource, ResourceArn=arn, Tags={"k%d" % n: "v" for n in range(51)})
    assert code == "InvalidParameterException"
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "web"}
    code, _ = error_of(idp.create_user_pool, PoolName="tagged", UserPoolTags={"aws:x": "y"})
    assert code == "InvalidParameterException"
    missing = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Missing00"
    code, _ = error_of(idp.list_tags_for_resource, ResourceArn=missing)
    assert code == "ResourceNotFoundException"
    code, _ = error_of(
        idp.list_tags_for_resource, ResourceArn="arn:aws:s3:us-east-1:000000000000:bucket/x"
    )
    assert code == "InvalidParameterException"


def test_add_custom_attributes_then_use_them(emulator, idp):
    pool_id, client_id = new_pool(idp)
    idp.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {
                "Name": "plan",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "16"},
            },
            {
                "Name": "seats",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "100"},
            },
            {"Name": "custom:fixed", "Mutable": False},
        ],
    )
    schema = {
        item["Name"]: item
        for item in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    }
    assert schema["custom:plan"]["StringAttributeConstraints"] == {
        "MinLength": "1",
        "MaxLength": "16",
    }
    assert schema["custom:seats"]["AttributeDataType"] == "Number"
    assert schema["custom:seats"]["NumberAttributeConstraints"] == {
        "MinValue": "1",
        "MaxValue": "100",
    }
    assert schema["custom:fixed"]["Mutable"] is False
    assert "custom:custom:fixed" not in schema

    # SignUp and AdminUpdateUserAttributes take them at once.
    username = unique("custom")
    emulator.call(
        "SignUp",
        {
            "ClientId": client_id,
            "Username": username,
            "Password": PASSWORD,
            "UserAttributes": [
                {"Name": "email", "Value": username + "@example.com"},
                {"Name": "custom:plan", "Value": "pro"},
            ],
        },
    )
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": "custom:seats", "Value": "12"}],
    )
    attributes = {
        item["Name"]: item["Value"]
        for item in idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    }
    assert attributes["custom:plan"] == "pro" and attributes["custom:seats"] == "12"
    # Their constraints hold.
    for name, value in (("custom:plan", "x" * 17), ("custom:seats", "101"), ("custom:seats", "0")):
        code, message = error_of(
            idp.admin_update_user_attributes,
            UserPoolId=pool_id,
            Username=username,
            UserAttributes=[{"Name": name, "Value": value}],
        )
        assert code == "InvalidParameterException" and name in message

    code, message = error_of(
        idp.add_custom_attributes, UserPoolId=pool_id, CustomAttributes=[{"Name": "plan"}]
    )
    assert code == "InvalidParameterException" and "custom:plan" in message
    code, _ = error_of(
        idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "needed", "Required": True}],
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        idp.add_custom_attributes, UserPoolId=pool_id, CustomAttributes=[{"Name": "x" * 21}]
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "len", "StringAttributeConstraints": {"MaxLength": "4096"}}],
    )
    assert code == "InvalidParameterException"
    # A refused call adds nothing, not even its valid entries.
    error_of(
        idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "fine"}, {"Name": "plan"}],
    )
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    names = {item["Name"] for item in described["SchemaAttributes"]}
    assert "custom:fine" not in names
    many = [{"Name": "a%d" % n} for n in range(25)]
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=many)
    more = [{"Name": "b%d" % n} for n in range(25)]
    code, message = error_of(idp.add_custom_attributes, UserPoolId=pool_id, CustomAttributes=more)
    assert code == "InvalidParameterException" and "50" in message
    code, _ = error_of(
        idp.add_custom_attributes,
        UserPoolId="us-east-1_Missing00",
        CustomAttributes=[{"Name": "z"}],
    )
    assert code == "ResourceNotFoundException"


def test_admin_set_user_settings(idp):
    pool_id, _ = new_pool(idp)
    username = confirmed_user(
        idp, pool_id, attributes=[{"Name": "phone_number", "Value": "+15555550100"}]
    )
    sms = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    idp.admin_set_user_settings(UserPoolId=pool_id, Username=username, MFAOptions=sms)
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["MFAOptions"] == sms and user["UserMFASettingList"] == ["SMS_MFA"]
    idp.admin_set_user_settings(UserPoolId=pool_id, Username=username, MFAOptions=[])
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert "MFAOptions" not in user and not user.get("UserMFASettingList")

    plain = confirmed_user(idp, pool_id)
    code, _ = error_of(
        idp.admin_set_user_settings, UserPoolId=pool_id, Username=plain, MFAOptions=sms
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        idp.admin_set_user_settings, UserPoolId=pool_id, Username="nobody", MFAOptions=sms
    )
    assert code == "UserNotFoundException"


def test_admin_update_device_status(emulator, idp):
    pool_id, client_id = new_pool(
        idp,
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": False,
            "DeviceOnlyRememberedOnUserPrompt": True,
        },
    )
    username = confirmed_user(idp, pool_id)
    result = sign_in(emulator, client_id, username)
    key = result["NewDeviceMetadata"]["DeviceKey"]
    emulator.call(
        "ConfirmDevice",
        {
            "AccessToken": result["AccessToken"],
            "DeviceKey": key,
            "DeviceName": "laptop",
            "DeviceSecretVerifierConfig": {
                "Salt": base64.b64encode(os.urandom(16)).decode(),
                "PasswordVerifier": base64.b64encode(os.urandom(256)).decode(),
            },
        },
    )

    def status():
        device = idp.admin_get_device(UserPoolId=pool_id, Username=username, DeviceKey=key)
        found = {a["Name"]: a["Value"] for a in device["Device"]["DeviceAttributes"]}
        return found.get("dev:device_remembered_status")

    idp.admin_update_device_status(
        UserPoolId=pool_id, Username=username, DeviceKey=key, DeviceRememberedStatus="remembered"
    )
    assert status() == "remembered"
    idp.admin_update_device_status(
        UserPoolId=pool_id,
        Username=username,
        DeviceKey=key,
        DeviceRememberedStatus="not_remembered",
    )
    assert status() == "not_remembered"
    code, _ = error_of(
        idp.admin_update_device_status,
        UserPoolId=pool_id,
        Username=username,
        DeviceKey="us-east-1_00000000-0000-0000-0000-000000000000",
    )
    assert code == "ResourceNotFoundException"
