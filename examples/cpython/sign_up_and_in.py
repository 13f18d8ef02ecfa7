"""Sign up, confirm with the emailed code, sign in, check the token, sign out: on CPython.

    python examples/cpython/sign_up_and_in.py POOL_ID CLIENT_ID USERNAME EMAIL [--endpoint URL]

Asks for the password on the terminal (or reads it from the PASSWORD variable), then for
the code sent to EMAIL.
"""

import argparse
import asyncio
import getpass
import os

from pycognito_web import CognitoError, UserPool


async def main(args):
    pool = UserPool(args.pool_id, args.client_id, endpoint=args.endpoint)
    password = os.environ.get("PASSWORD") or getpass.getpass("Password: ")
    result = await pool.sign_up(args.username, password, {"email": args.email})
    if not result.user_confirmed:
        code = input("Code sent to %s: " % args.email)
        await result.user.confirm_sign_up(code.strip())
    session = await result.user.authenticate(password)
    claims = await pool.verify_token(session.id_token)
    print("signed in as %s <%s>" % (claims["cognito:username"], claims["email"]))
    await result.user.sign_out()
    print("signed out")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("pool_id", "client_id", "username", "email"):
        parser.add_argument(name)
    parser.add_argument("--endpoint", help="another Cognito endpoint (the emulator)")
    try:
        asyncio.run(main(parser.parse_args()))
    except CognitoError as error:
        raise SystemExit("%s: %s" % (error.code, error.message)) from None
