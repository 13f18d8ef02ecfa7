"""Operations that mean nothing on one offline machine, answered as Cognito answers for a
pool (or an account) where the feature is off, and the sessions and auth events views.

* Replicas (CreateUserPoolReplica, UpdateUserPoolReplica, DeleteUserPoolReplica,
  ListUserPoolReplicas), point-in-time recovery (InitiatePointInTimeRecovery,
  StartPointInTimeRecovery, CancelPointInTimeRecovery, DescribePointInTimeRecovery,
  ListPointInTimeRecoveries) and client ID metadata document policies
  (CreateCIMDPolicy, UpdateCIMDPolicy, DescribeCIMDPolicy, DeleteCIMDPolicy,
  ListCIMDPolicies, ListClientMetadataURLs, UpdateClientMetadataURLState): creating one
  is FeatureUnavailableInTierException; lists are empty; naming one is
  ResourceNotFoundException (there never is one).
* Provisioned limits (GetProvisionedLimit, UpdateProvisionedLimit): the free API rate
  limits of Cognito's quota page; asking for more is ServiceQuotaExceededException.
* Auth events (AdminListUserAuthEvents, AdminUpdateAuthEventFeedback,
  UpdateAuthEventFeedback): UserPoolAddOnNotEnabledException unless threat protection
  is on (``UserPoolAddOns.AdvancedSecurityMode`` AUDIT or ENFORCED); on, the emulator
  records no events yet, so the list is empty and an event id is not found.
* User sessions (AdminListUserSessions, ListUserSessions, AdminRevokeUserSession,
  RevokeUserSession): need ``UserSessionTracking`` ENABLED
  (SetUserPoolSessionConfiguration), else InvalidParameterException. A session is a
  sign-in's token family (``tkn`` + 25 hex digits of its origin_jti); revoking it
  revokes its refresh token and access tokens.
"""

import hashlib

from . import _documents, _errors, _pool_settings
from ._documents import POOL
from ._registry import USERNAME_PATTERN, Field, action
from ._sessions import authenticate

_NOT_OFFLINE = "%s is not available in this emulator's feature plan (it needs AWS's regions)."
_USERNAME = Field("Username", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)
_NEXT = Field("NextToken", min_len=1, pattern=_documents.NEXT_TOKEN_PATTERN)
_REGION = Field("RegionName", required=True, min_len=1, max_len=32)


def _unavailable(feature):
    return _errors.ServiceError("FeatureUnavailableInTierException", _NOT_OFFLINE % feature)


def _simple(name, fields, answer):
    """Register an action that checks the pool, then answers ``answer(body)``."""

    def handler(ctx, body):
        if "UserPoolId" in body:
            _documents.pool(ctx, body["UserPoolId"])
        return answer(body)

    handler.__name__ = name
    handler.__doc__ = "%s: as Cognito answers where the feature is off." % name
    action(name, fields=fields, public=False)(handler)


def _raise(error):
    def answer(body):
        raise error(body)

    return answer


# Replicas ----------------------------------------------------------------------------

_simple("CreateUserPoolReplica", [POOL, _REGION, Field("UserPoolTags", "map")],
        _raise(lambda body: _unavailable("Multi-region replication")))  # fmt: skip
for _name in ("DeleteUserPoolReplica", "UpdateUserPoolReplica"):
    _simple(_name, [POOL, _REGION, Field("Status", choices=["ACTIVE", "INACTIVE"])],
            _raise(lambda body: _errors.ResourceNotFound(
                "The user pool has no replica in %s." % body["RegionName"])))  # fmt: skip
_simple("ListUserPoolReplicas", [POOL, _NEXT], lambda body: {"UserPoolReplicas": []})

# Point-in-time recovery --------------------------------------------------------------

_RESTORE = Field("RestoreId", required=True, min_len=1, max_len=128)
# RestoreTimestamp (an epoch number, maybe fractional) is not checked: nothing restores.
_simple("InitiatePointInTimeRecovery", [POOL],
        _raise(lambda body: _unavailable("Point-in-time recovery")))  # fmt: skip
for _name in ("StartPointInTimeRecovery", "CancelPointInTimeRecovery",
              "DescribePointInTimeRecovery"):  # fmt: skip
    _simple(_name, [POOL, _RESTORE], _raise(lambda body: _errors.ResourceNotFound(
        "Restoration %s does not exist." % body["RestoreId"])))  # fmt: skip
_simple("ListPointInTimeRecoveries", [POOL, _NEXT, Field("MaxResults", "integer")],
        lambda body: {"Restorations": []})  # fmt: skip

# Client ID metadata document policies ------------------------------------------------

_POLICY = Field("CIMDPolicyId", required=True, min_len=1, max_len=128)
_CIMD = [Field("ClientId", min_len=1, max_len=128), Field("PolicyName"),
         Field("CacheDuration", "integer"), Field("URLPatterns", "strings")]  # fmt: skip
_simple("CreateCIMDPolicy", [POOL, *_CIMD],
        _raise(lambda body: _unavailable("Client ID metadata documents")))  # fmt: skip
_simple("UpdateCIMDPolicy", [POOL, _POLICY, *_CIMD],
        _raise(lambda body: _unavailable("Client ID metadata documents")))  # fmt: skip
for _name in ("DescribeCIMDPolicy", "DeleteCIMDPolicy"):
    _simple(_name, [POOL, _POLICY], _raise(lambda body: _errors.ResourceNotFound(
        "CIMD policy %s does not exist." % body["CIMDPolicyId"])))  # fmt: skip
_simple("ListClientMetadataURLs", [POOL, _POLICY, _NEXT, Field("MaxResults", "integer")],
        _raise(lambda body: _errors.ResourceNotFound(
            "CIMD policy %s does not exist." % body["CIMDPolicyId"])))  # fmt: skip
_simple("UpdateClientMetadataURLState",
        [POOL, _POLICY, Field("URL", required=True), Field("Action", required=True,
                                                           choices=["REFRESH", "INVALIDATE"])],
        _raise(lambda body: _unavailable("Client ID metadata documents")))  # fmt: skip
_simple("ListCIMDPolicies", [POOL, _NEXT, Field("MaxResults", "integer")],
        lambda body: {"CIMDPolicies": []})  # fmt: skip

# Provisioned limits ------------------------------------------------------------------

# Cognito's default API rate quotas (requests per second) by category.
FREE_LIMITS = {
    "UserAuthentication": 120, "UserCreation": 50, "UserFederation": 25,
    "UserAccountRecovery": 30, "UserRead": 120, "UserUpdate": 25, "UserToken": 120,
    "UserList": 30, "UserResourceRead": 120, "UserResourceUpdate": 25,
    "UserPoolRead": 15, "UserPoolUpdate": 15, "UserPoolResourceRead": 20,
    "UserPoolResourceUpdate": 15, "UserPoolClientRead": 15, "UserPoolClientUpdate": 15,
    "ClientAuthentication": 150,
}  # fmt: skip


def _limit(body):
    definition = body["LimitDefinition"]
    attributes = definition.get("Attributes")
    if definition.get("LimitClass") != "API_CATEGORY" or not isinstance(attributes, dict):
        raise _errors.InvalidParameter("LimitDefinition needs LimitClass API_CATEGORY and "
                                       "Attributes.")  # fmt: skip
    category = attributes.get("Category")
    if category not in FREE_LIMITS:
        raise _errors.ResourceNotFound("No API category %s." % category)
    value = FREE_LIMITS[category]
    return {"Limit": {"LimitDefinition": {"LimitClass": "API_CATEGORY",
                                          "Attributes": {"Category": category}},
                      "ProvisionedLimitValue": value, "FreeLimitValue": value}}  # fmt: skip


def _update_limit(body):
    answer = _limit(body)
    if body["RequestedLimitValue"] != answer["Limit"]["FreeLimitValue"]:
        raise _errors.ServiceError(
            "ServiceQuotaExceededException", "Only the free API rate limits are available offline."
        )
    return answer


_simple("GetProvisionedLimit", [Field("LimitDefinition", "object", required=True)], _limit)
_simple("UpdateProvisionedLimit", [Field("LimitDefinition", "object", required=True),
                                   Field("RequestedLimitValue", "integer", required=True)],
        _update_limit)  # fmt: skip

# Auth events -------------------------------------------------------------------------


def _threat_protection(ctx, body):
    pool = _documents.pool(ctx, body["UserPoolId"])
    mode = (pool.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode")
    if mode not in ("AUDIT", "ENFORCED"):
        raise _errors.ServiceError(
            "UserPoolAddOnNotEnabledException",
            "Threat protection (advanced security) is not enabled for this user pool.",
        )
    return pool, _documents.user(ctx, pool, body["Username"])


_EVENT = [Field("EventId", required=True, min_len=1, max_len=50),
          Field("FeedbackValue", required=True, choices=["Valid", "Invalid"])]  # fmt: skip


@action("AdminListUserAuthEvents",
        fields=[POOL, _USERNAME, Field("MaxResults", "integer"), _NEXT], public=False)  # fmt: skip
def admin_list_user_auth_events(ctx, body):
    """AdminListUserAuthEvents: needs threat protection; no events are recorded yet."""
    _threat_protection(ctx, body)
    _documents.check_range(body, "MaxResults", 0, 60)
    return {"AuthEvents": []}


def _feedback(ctx, body):
    _threat_protection(ctx, body)
    raise _errors.ResourceNotFound("Auth event %s does not exist." % body["EventId"])


@action("AdminUpdateAuthEventFeedback", fields=[POOL, _USERNAME, *_EVENT], public=False)
def admin_update_auth_event_feedback(ctx, body):
    """AdminUpdateAuthEventFeedback: needs threat protection and a recorded event."""
    return _feedback(ctx, body)


@action("UpdateAuthEventFeedback",
        fields=[POOL, _USERNAME, *_EVENT, Field("FeedbackToken", required=True)])  # fmt: skip
def update_auth_event_feedback(ctx, body):
    """UpdateAuthEventFeedback: the user's feedback link; as the admin form."""
    return _feedback(ctx, body)


# Sessions ----------------------------------------------------------------------------


def session_id(origin_jti):
    """The SessionId of a token family."""
    return "tkn" + hashlib.sha256(origin_jti.encode()).hexdigest()[:25]


def _tracking(ctx, pool):
    if _pool_settings.session_configuration(ctx.store, pool["Id"])["UserSessionTracking"] != (
        "ENABLED"
    ):
        raise _errors.InvalidParameter("User session tracking is not enabled for this user pool.")


def _sessions(ctx, user, current=None):
    rows = ctx.store.all(
        "SELECT * FROM token_families WHERE sub = ? AND revoked IS NULL AND expires > ?"
        " ORDER BY created, origin_jti",
        (user.sub, ctx.now()),
    )
    return [
        {"SessionId": session_id(row["origin_jti"]), "SessionType": "TOKEN",
         "ClientId": row["client_id"], "CreateDate": row["created"],
         "LastActiveDate": row["created"], "IsCurrentSession": row["origin_jti"] == current}
        for row in rows
    ]  # fmt: skip


def _page(ctx, items, body):
    chosen, token = _documents.page(items, lambda item: [item["CreateDate"], item["SessionId"]],
                                    125, body.get("NextToken"))  # fmt: skip
    answer = {"Sessions": chosen}
    if token:
        answer["NextToken"] = token
    return answer


def _revoke(ctx, user, wanted):
    for row in ctx.store.all("SELECT origin_jti FROM token_families WHERE sub = ?", (user.sub,)):
        if session_id(row["origin_jti"]) == wanted:
            ctx.store.revoke_family(row["origin_jti"], ctx.now())
            return {}
    raise _errors.ResourceNotFound("Session %s does not exist." % wanted)


_SESSION = [Field("SessionId", required=True, min_len=28, max_len=28,
                  pattern=(r"^(tkn|sso)[a-z0-9]{25}$", r"^(tkn|sso)[a-z0-9]{25}$")),
            Field("RevokeAssociatedSessions", choices=["NONE", "LINKED"])]  # fmt: skip
_ACCESS = Field("AccessToken", required=True, max_len=16384)


@action("AdminListUserSessions", fields=[POOL, _USERNAME, _NEXT], public=False)
def admin_list_user_sessions(ctx, body):
    """AdminListUserSessions: the user's live sign-ins (session tracking on)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    _tracking(ctx, pool)
    return _page(ctx, _sessions(ctx, user), body)


@action("ListUserSessions", fields=[_ACCESS, _NEXT])
def list_user_sessions(ctx, body):
    """ListUserSessions: the signed-in user's live sign-ins."""
    pool, user, claims = authenticate(ctx, body["AccessToken"])
    _tracking(ctx, pool)
    return _page(ctx, _sessions(ctx, user, claims.get("origin_jti")), body)


@action("AdminRevokeUserSession", fields=[POOL, _USERNAME, *_SESSION], public=False)
def admin_revoke_user_session(ctx, body):
    """AdminRevokeUserSession: end one sign-in of a user."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    _tracking(ctx, pool)
    return _revoke(ctx, user, body["SessionId"])


@action("RevokeUserSession", fields=[_ACCESS, *_SESSION])
def revoke_user_session(ctx, body):
    """RevokeUserSession: the signed-in user ends one of their sign-ins."""
    pool, user, _ = authenticate(ctx, body["AccessToken"])
    _tracking(ctx, pool)
    return _revoke(ctx, user, body["SessionId"])
