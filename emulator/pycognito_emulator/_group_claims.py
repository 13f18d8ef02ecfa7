"""The group claims of a user's tokens: which groups, in which order, with which roles.

Groups are ``pool_documents`` of kind ``group``; membership is ``group_members``
(``_groups`` holds the actions). ``_tokens.issue`` adds these claims to every token a
pool issues, so a membership change shows at the next sign-in or refresh, as in
Cognito:

* ID token: ``cognito:groups`` (the names), ``cognito:roles`` (the groups' distinct
  RoleArns, when any has one) and ``cognito:preferred_role``.
* Access token: ``cognito:groups`` only, as Cognito's.
* Order: by Precedence, lowest first, groups without one last, then by name.
* ``cognito:preferred_role``: the RoleArn of the best-ranked groups that have one;
  when those tie on Precedence with different roles, the claim is left out (the
  GroupType documentation's rule).
"""

import json

KIND = "group"


def groups_of(store, pool_id, sub):
    """The user's groups as [(name, document, created, modified)], by name."""
    rows = store.all(
        "SELECT d.key, d.document, d.created, d.modified FROM group_members m"
        " JOIN pool_documents d ON d.pool_id = m.pool_id AND d.kind = ? AND d.key = m.group_name"
        " WHERE m.pool_id = ? AND m.sub = ? ORDER BY d.key",
        (KIND, pool_id, sub),
    )
    return [(row["key"], json.loads(row["document"]), row["created"], row["modified"])
            for row in rows]  # fmt: skip


def _rank(item):
    precedence = item[1].get("Precedence")
    return (precedence is None, precedence if precedence is not None else 0, item[0])


def group_claims(store, pool, user):
    """The group claims of a user's tokens (see the module docstring).

    Returns:
        (ID-token claims, access-token claims): empty dicts for a user in no group.
    """
    groups = sorted(groups_of(store, pool["Id"], user.sub), key=_rank)
    if not groups:
        return {}, {}
    names = [name for name, _, _, _ in groups]
    id_claims = {"cognito:groups": names}
    with_roles = [(name, document) for name, document, _, _ in groups if document.get("RoleArn")]
    if with_roles:
        id_claims["cognito:roles"] = list(dict.fromkeys(doc["RoleArn"] for _, doc in with_roles))
        best = with_roles[0][1].get("Precedence")
        tied = {doc["RoleArn"] for _, doc in with_roles if doc.get("Precedence") == best}
        if len(tied) == 1:
            id_claims["cognito:preferred_role"] = tied.pop()
    return id_claims, {"cognito:groups": list(names)}
