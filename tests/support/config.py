"""The emulator configuration every suite shares: pools, app clients, an identity pool.

Plain data (MicroPython reads it too). ``tests/conftest.py`` re-exports
``EMULATOR_CONFIG``; a test that needs another pool makes it through the admin API in a
fixture of its own module instead of changing this.
"""

_DEVICE_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
_MFA_FLOWS = _DEVICE_FLOWS
_SMS = {"SnsCallerArn": "arn:aws:iam::000000000000:role/emulator-sms", "ExternalId": "emulator"}
IDENTITY_POOL_ID = "us-east-1:00000000-0000-4000-8000-000000000017"

# Pools for the emulator tests: "main" (usernames with email/preferred_username
# aliases), "email" (emails as usernames), "phone" (phone numbers, SMS codes), "devices"
# and "devices-always" (device tracking, below).
EMULATOR_CONFIG = {
    "pools": [
        {
            "PoolName": "main",
            "AliasAttributes": ["email", "preferred_username"],
            "AutoVerifiedAttributes": ["email"],
            "Schema": [
                {"Name": "email", "Required": True},
                {"Name": "team", "AttributeDataType": "String"},
            ],
            "clients": [
                {
                    "ClientName": "web",
                    "ExplicitAuthFlows": [
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH",
                    ],
                },
                {
                    "ClientName": "server",
                    "GenerateSecret": True,
                    "ExplicitAuthFlows": [
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH",
                    ],
                },
                {
                    "ClientName": "srp-only",
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                },
                {
                    "ClientName": "quiet",
                    "PreventUserExistenceErrors": "ENABLED",
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
                },
            ],
        },
        {
            "PoolName": "email",
            "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "Policies": {"PasswordPolicy": {"MinimumLength": 6, "RequireSymbols": False}},
            "clients": [{"ClientName": "web"}],
        },
        {
            "PoolName": "phone",
            "UsernameAttributes": ["phone_number"],
            "AutoVerifiedAttributes": ["phone_number"],
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
        },
        # Device tracking: "devices" asks the user (DeviceOnlyRememberedOnUserPrompt) and
        # lets remembered devices replace MFA; "devices-always" remembers at once.
        {
            "PoolName": "devices",
            "AutoVerifiedAttributes": ["email"],
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": True,
            },
            "clients": [
                {"ClientName": "web", "ExplicitAuthFlows": _DEVICE_FLOWS},
                {
                    "ClientName": "server",
                    "GenerateSecret": True,
                    "ExplicitAuthFlows": _DEVICE_FLOWS,
                },
                {
                    "ClientName": "no-revocation",
                    "EnableTokenRevocation": False,
                    "ExplicitAuthFlows": _DEVICE_FLOWS,
                },
            ],
        },
        {
            "PoolName": "devices-always",
            "AutoVerifiedAttributes": ["email"],
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": False,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _DEVICE_FLOWS}],
        },
        # MFA (_mfa): "mfa-optional" and "mfa-on" offer SMS and TOTP.
        {
            "PoolName": "mfa-optional",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "OPTIONAL",
            "SmsConfiguration": _SMS,
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        {
            "PoolName": "mfa-on",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "ON",
            "SmsConfiguration": _SMS,
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        # MFA ON with device tracking: a remembered device stands in for MFA.
        {
            "PoolName": "mfa-devices",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "ON",
            "SmsConfiguration": _SMS,
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        # MFA ON with device tracking where a remembered device does NOT replace MFA:
        # MFA first, then DEVICE_SRP_AUTH (what the original SDK's sendMFACode expects).
        {
            "PoolName": "mfa-devices-each",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "ON",
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "SmsConfiguration": _SMS,
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": False,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        # Custom auth (_custom_auth) with the example triggers; "no-custom" lacks the flow.
        {
            "PoolName": "custom",
            "AutoVerifiedAttributes": ["email"],
            "triggers": "pycognito_emulator.example_triggers",
            "clients": [
                {
                    "ClientName": "web",
                    "ExplicitAuthFlows": [
                        "ALLOW_CUSTOM_AUTH",
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH",
                    ],
                },
                {"ClientName": "no-custom", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]},
            ],
        },
    ],
    # Cognito Identity (_identity): this identity pool trusts main/web and mfa-optional;
    # any other well-formed IdentityPoolId is open to every pool.
    "identity_pools": [
        {
            "IdentityPoolId": IDENTITY_POOL_ID,
            "providers": [{"pool": "main", "client": "web"}, {"pool": "mfa-optional"}],
        }
    ],
}
