"""The managed login pages a person uses: sign-in form, MFA code, TOTP, MFA choice, new
password, and the error page. HTML only; ``_oauth`` decides what to show.

Every form posts back to the page's own URL (the authorize parameters ride in its query
string) with the CSRF token as the hidden ``_csrf`` field; every value is HTML-escaped.
The headers of ``HEADERS`` go with each page: no framing by any origin (clickjacking),
no caching, no referrer (the query carries state and PKCE challenge).
"""

import html

HEADERS = [
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"frame-ancestors 'none'; default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'",
    ),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
]
HTML_TYPE = b"text/html; charset=utf-8"

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s</title>
<style>body{font-family:sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}</style>
</head><body><h1>%(title)s</h1>%(error)s%(content)s</body></html>
"""

# Challenge name -> (title, field name, label, input type, autocomplete).
CHALLENGE_FIELDS = {
    "SMS_MFA": ("Enter the code we sent", "code", "Code", "text", "one-time-code"),
    "EMAIL_OTP": ("Enter the code we sent", "code", "Code", "text", "one-time-code"),
    "SOFTWARE_TOKEN_MFA": (
        "Enter your authenticator code", "code", "Code", "text", "one-time-code",
    ),
    "NEW_PASSWORD_REQUIRED": (
        "Choose a new password", "new_password", "New password", "password", "new-password",
    ),
}  # fmt: skip


def _e(text):
    return html.escape(str(text), quote=True)


def _page(title, content, error=None):
    shown = '<p class="error" role="alert">%s</p>' % _e(error) if error else ""
    text = _PAGE % {"title": _e(title), "error": shown, "content": content}
    return text.encode("utf-8")


def _hidden(fields):
    return "".join(
        '<input type="hidden" name="%s" value="%s">' % (_e(name), _e(value))
        for name, value in fields
    )


def sign_in(action, csrf, client_name, username="", error=None):
    """The username and password form.

    Args:
        action: the URL the form posts to (this page's own path and query).
        csrf: the CSRF token (also in the cookie the page sets).
        client_name: the app client's name, shown to the person.
        username: prefilled (login_hint, or what was typed before an error).
        error: a message to show, or None.
    """
    content = (
        '<p>Sign in to %s</p><form method="post" action="%s">%s'
        '<label for="username">Username</label>'
        '<input id="username" name="username" autocomplete="username" value="%s" required>'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
        '<button type="submit">Sign in</button></form>'
    ) % (_e(client_name), _e(action), _hidden([("_csrf", csrf), ("step", "password")]),
         _e(username))  # fmt: skip
    return _page("Sign in", content, error)


def challenge(action, csrf, name, session, username, error=None, choices=None):
    """The page of one challenge of the sign-in (MFA code, TOTP, new password, or the
    choice between MFA methods when ``name`` is SELECT_MFA_TYPE).

    Args:
        name: the ChallengeName; session: its Session (a hidden field).
        username: the user's name (sent back with the answer).
        choices: for SELECT_MFA_TYPE, the methods to choose from.
    """
    hidden = _hidden([("_csrf", csrf), ("step", name), ("session", session),
                      ("username", username)])  # fmt: skip
    if name == "SELECT_MFA_TYPE":
        buttons = "".join(
            '<button type="submit" name="answer" value="%s">%s</button> ' % (_e(c), _e(c))
            for c in choices or ()
        )
        content = '<form method="post" action="%s">%s<p>How do you want to get your code?</p>%s'
        return _page("Choose a method", content % (_e(action), hidden, buttons) + "</form>",
                     error)  # fmt: skip
    title, field, label, kind, autocomplete = CHALLENGE_FIELDS[name]
    content = (
        '<form method="post" action="%s">%s<label for="%s">%s</label>'
        '<input id="%s" name="%s" type="%s" autocomplete="%s" required>'
        '<button type="submit">Continue</button></form>'
    ) % (_e(action), hidden, field, label, field, field, kind, autocomplete)
    return _page(title, content, error)


def error_page(message):
    """The page shown instead of a redirect that must not happen (unknown client,
    unregistered redirect_uri or logout_uri)."""
    return _page("Something went wrong", "<p>%s</p>" % _e(message))
