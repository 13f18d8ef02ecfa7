"""User pool domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
DeleteUserPoolDomain.

A pool has at most one prefix domain (``<prefix>.auth.<region>.amazoncognito.com``)
and one custom domain (a name of the caller's, with an ACM certificate in
``CustomDomainConfig``). Domains are unique across pools: they are ``pool_documents``
of kind ``domain`` keyed by the domain, looked up in any pool. DescribeUserPool shows
them as the pool's ``Domain`` and ``CustomDomain`` (kept in the pool's settings).

Validation as Cognito's:

* prefix: 1-63 lower-case letters, digits and inner hyphens; none of the reserved
  words ``aws``, ``amazon``, ``cognito``;
* custom: a fully qualified name (two labels or more, each 1-63 of letters, digits
  and inner hyphens, 253 characters at most), and a certificate ARN;
* ``ManagedLoginVersion`` 1 (the classic hosted UI, the default) or 2 (managed login).

What cannot mean anything offline is shaped as Cognito gives it: the domain is
``ACTIVE`` at once, ``CloudFrontDistribution`` is a made-up ``d<hash>.cloudfront.net``
(what a DNS record for a custom domain would point at), ``S3Bucket`` and ``Version``
are fixed. DescribeUserPoolDomain of a domain nobody has answers an empty
``DomainDescription``, as Cognito does.
"""

import hashlib
import re

from . import _documents, _errors
from ._documents import POOL
from ._registry import Field, action

KIND = "domain"
RESERVED = ("aws", "amazon", "cognito")
_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
_LABEL = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$")
_DOMAIN = Field("Domain", required=True, min_len=1, max_len=253)
_CERTIFICATE_PATTERN = (
    r"^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$"
)
_SECURITY_POLICIES = ("TLS_V1", "TLS_V1_2_2021", "TLS_V1_3_2025")
_SETTINGS = [
    Field("ManagedLoginVersion", "integer"),
    Field("CustomDomainConfig", "object"),
    Field("Routing", "object"),
]
NO_SUCH_DOMAIN = "No such domain or user pool exists."


def _custom_config(config):
    if config is None:
        return None
    arn = config.get("CertificateArn")
    if not isinstance(arn, str) or not 20 <= len(arn) <= 2048 or not re.match(
        _CERTIFICATE_PATTERN, arn
    ):
        raise _documents.validation_error(
            [("customDomainConfig.certificateArn", "Member must satisfy regular expression "
              "pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+"
              "(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?", None)]
        )  # fmt: skip
    policy = config.get("SecurityPolicy")
    if policy is not None and policy not in _SECURITY_POLICIES:
        raise _documents.validation_error(
            [("customDomainConfig.securityPolicy",
              "Member must satisfy enum value set: [%s]" % ", ".join(_SECURITY_POLICIES), policy)]
        )  # fmt: skip
    result = {"CertificateArn": arn}
    if policy is not None:
        result["SecurityPolicy"] = policy
    return result


def _check_name(domain, custom):
    if custom:
        labels = domain.split(".")
        if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(p) for p in labels):
            raise _errors.InvalidParameter("Domain %s is not a valid fully qualified domain name."
                                           % domain)  # fmt: skip
        return domain.lower()
    if len(domain) > 63 or not _PREFIX.match(domain):
        raise _documents.validation_error(
            [("domain", "Member must satisfy regular expression pattern: "
              "^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$", domain)]
        )  # fmt: skip
    for word in RESERVED:
        if word in domain:
            raise _errors.InvalidParameter("Domain cannot contain reserved word: %s" % word)
    return domain


def _version(body, default=1):
    version = body.get("ManagedLoginVersion")
    if version is None:
        return default
    if version not in (1, 2):
        raise _errors.InvalidParameter("ManagedLoginVersion must be 1 or 2.")
    return version


def _routing(body):
    routing = body.get("Routing")
    if routing is None:
        return None
    failover = routing.get("Failover")
    if failover is not None and (
        not isinstance(failover, dict)
        or not isinstance(failover.get("SecondaryRegion"), str)
        or not isinstance(failover.get("PrimaryRoute53HealthCheckId"), str)
    ):
        raise _errors.InvalidParameter(
            "Routing.Failover needs SecondaryRegion and PrimaryRoute53HealthCheckId."
        )
    return routing


def _cloudfront(domain):
    return "d%s.cloudfront.net" % hashlib.sha256(domain.encode()).hexdigest()[:13]


def _result(document):
    answer = {"ManagedLoginVersion": document["ManagedLoginVersion"]}
    if document.get("CustomDomainConfig"):
        answer["CloudFrontDomain"] = _cloudfront(document["Domain"])
    if document.get("Routing"):
        answer["Routing"] = document["Routing"]
    return answer


def _set_pool_member(ctx, pool, member, value):
    if value is None:
        pool.pop(member, None)
    else:
        pool[member] = value
    _documents.save_pool_settings(ctx, pool)


@action("CreateUserPoolDomain", fields=[_DOMAIN, POOL, *_SETTINGS], public=False)
def create_user_pool_domain(ctx, body):
    """CreateUserPoolDomain: a prefix or custom domain for the pool's managed login."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    custom = _custom_config(body.get("CustomDomainConfig"))
    domain = _check_name(body["Domain"], custom is not None)
    version = _version(body)
    routing = _routing(body)
    if _documents.find(ctx.store, KIND, domain) is not None:
        raise _errors.InvalidParameter("Domain already associated with another user pool.")
    member = "CustomDomain" if custom else "Domain"
    if pool.get(member):
        raise _errors.InvalidParameter(
            "User pool already has a %s domain configured." % ("custom" if custom else "prefix")
        )
    document = {"Domain": domain, "ManagedLoginVersion": version}
    if custom:
        document["CustomDomainConfig"] = custom
    if routing:
        document["Routing"] = routing
    _documents.put(ctx.store, pool["Id"], KIND, domain, document, ctx.now())
    _set_pool_member(ctx, pool, member, domain)
    return _result(document)


@action("DescribeUserPoolDomain", fields=[_DOMAIN], public=False)
def describe_user_pool_domain(ctx, body):
    """DescribeUserPoolDomain: a domain's pool and state (empty when nobody has it)."""
    found = _documents.find(ctx.store, KIND, body["Domain"].lower())
    if found is None:
        return {"DomainDescription": {}}
    pool_id, document = found
    description = {
        "UserPoolId": pool_id,
        "AWSAccountId": _documents.ACCOUNT,
        "Domain": document["Domain"],
        "S3Bucket": "aws-cognito-prod-%s-assets" % _documents.region_of(pool_id),
        "CloudFrontDistribution": _cloudfront(document["Domain"]),
        "Version": "20250101000000",
        "Status": "ACTIVE",
        "ManagedLoginVersion": document["ManagedLoginVersion"],
    }
    if document.get("CustomDomainConfig"):
        description["CustomDomainConfig"] = document["CustomDomainConfig"]
    if document.get("Routing"):
        description["Routing"] = document["Routing"]
    return {"DomainDescription": description}


def _own_domain(ctx, body):
    pool = _documents.pool(ctx, body["UserPoolId"])
    domain = body["Domain"].lower()
    found = _documents.get(ctx.store, pool["Id"], KIND, domain)
    if found is None:
        raise _errors.InvalidParameter(NO_SUCH_DOMAIN)
    return pool, domain, found[0]


@action("UpdateUserPoolDomain", fields=[_DOMAIN, POOL, *_SETTINGS], public=False)
def update_user_pool_domain(ctx, body):
    """UpdateUserPoolDomain: a custom domain's certificate, the managed login version."""
    pool, domain, document = _own_domain(ctx, body)
    custom = _custom_config(body.get("CustomDomainConfig"))
    if custom is not None and not document.get("CustomDomainConfig"):
        raise _errors.InvalidParameter("A prefix domain has no certificate to update.")
    if custom is not None:
        document["CustomDomainConfig"] = custom
    document["ManagedLoginVersion"] = _version(body, document["ManagedLoginVersion"])
    routing = _routing(body)
    if routing is not None:
        document["Routing"] = routing
    _documents.put(ctx.store, pool["Id"], KIND, domain, document, ctx.now())
    return _result(document)


@action("DeleteUserPoolDomain", fields=[_DOMAIN, POOL], public=False)
def delete_user_pool_domain(ctx, body):
    """DeleteUserPoolDomain: the domain is free for any pool again."""
    pool, domain, document = _own_domain(ctx, body)
    _documents.delete(ctx.store, pool["Id"], KIND, domain)
    member = "CustomDomain" if document.get("CustomDomainConfig") else "Domain"
    _set_pool_member(ctx, pool, member, None)
    return {}


def domains_of(store, pool_id):
    """The pool's domains: [{Domain, ManagedLoginVersion, CustomDomainConfig?}]."""
    return [document for _, document, _, _ in _documents.all_of(store, pool_id, KIND)]
