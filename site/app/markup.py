"""HTML the demo builds from strings the server sent (attribute names and values, the
names a challenge asks for), escaped for the context each lands in: text, and quoted
attribute values (``&``, ``<``, ``>``, ``"`` and ``'`` all become entities). Cognito
allows ``"``, ``<`` and ``=`` in custom attribute names, so a name is never trusted
more than a value.

Pure Python (no ``js``, no ``pyscript``): tests/unit/test_demo_markup.py runs it on
CPython.
"""

import html


def escape(text):
    """``text`` (None as empty) safe inside element text and quoted attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def field(name, label, kind="text", extra=""):
    """One labelled ``<input>``.

    Args:
        name: the input's name (may hold a server-provided attribute name).
        label: its visible label (likewise).
        kind: the input type; extra: more attributes, the page's own constant text.

    Returns:
        The HTML.
    """
    return '<label>%s <input name="%s" type="%s" %s required></label>' % (
        escape(label),
        escape(name),
        escape(kind),
        extra,
    )


def attribute_row(name, value, readonly=False, action=""):
    """One row of the account's attribute table.

    Args:
        name, value: the attribute, as the server sent it.
        readonly: whether the input is read-only.
        action: ``"verify"`` (a Verify button), ``"verified"`` (a note), ``"remove"``
            (a Remove button) or ``""``.

    Returns:
        The HTML of the ``<tr>``.
    """
    safe = escape(name)
    if action == "verify":
        cell = (
            '<button type="button" class="secondary" data-action="send-verification"'
            ' data-attribute="%s">Verify</button>' % safe
        )
    elif action == "verified":
        cell = '<span class="muted">verified</span>'
    elif action == "remove":
        cell = (
            '<button type="button" class="link" data-action="delete-attribute"'
            ' data-attribute="%s" aria-label="Remove %s">Remove</button>' % (safe, safe)
        )
    else:
        cell = ""
    return (
        '<tr><th scope="row"><label for="attr-%s">%s</label></th>'
        '<td><input id="attr-%s" name="attr:%s" value="%s"%s></td><td>%s</td></tr>'
        % (safe, safe, safe, safe, escape(value), " readonly" if readonly else "", cell)
    )
