"""The component's texts: English, and French to show that every text can be replaced.

A page passes ``messages={...}`` (any subset of these keys) to ``Authenticator`` to change
some, or ``language="fr"`` for the French set. Placeholders are ``%(name)s``.
"""

EN = {
    # screen titles
    "title.sign-in": "Sign in",
    "title.sign-up": "Create an account",
    "title.confirm-sign-up": "Confirm your account",
    "title.mfa-code": "Enter your code",
    "title.select-mfa": "Choose how to get your code",
    "title.totp-setup": "Set up your authenticator app",
    "title.new-password": "Choose a new password",
    "title.forgot-password": "Reset your password",
    "title.reset-password": "Set a new password",
    "title.remember-device": "Remember this device?",
    "title.signed-in": "You are signed in",
    # fields
    "field.username": "Username",
    "field.password": "Password",
    "field.new_password": "New password",
    "field.code": "Code",
    "field.secret": "Secret key",
    "field.mfa": "Verification method",
    "attr.email": "Email",
    "attr.phone_number": "Phone number (+ and country code)",
    "attr.name": "Name",
    "attr.given_name": "First name",
    "attr.family_name": "Last name",
    "attr.preferred_username": "Preferred username",
    "attr.other": "%(name)s",
    # buttons and links
    "button.sign-in": "Sign in",
    "button.sign-up": "Create account",
    "button.confirm": "Confirm",
    "button.verify": "Verify",
    "button.continue": "Continue",
    "button.send-code": "Send code",
    "button.change-password": "Change password",
    "button.remember": "Remember this device",
    "button.dont-remember": "Not now",
    "button.sign-out": "Sign out",
    "busy": "Please wait…",
    "busy.sign-in": "Signing in…",
    "busy.sign-out": "Signing out…",
    "link.forgot-password": "Forgot your password?",
    "link.sign-up": "Create an account",
    "link.sign-in": "Back to sign in",
    "link.resend": "Send a new code",
    "mfa.SMS_MFA": "Text message (SMS)",
    "mfa.SOFTWARE_TOKEN_MFA": "Authenticator app",
    "mfa.EMAIL_OTP": "Email",
    # explanations
    "intro.confirm-sign-up": "We sent a code to %(destination)s. Enter it to confirm your account.",
    "intro.confirm-sign-up.unknown": "We sent you a code. Enter it to confirm your account.",
    "intro.SMS_MFA": "We sent a code by text message to %(destination)s.",
    "intro.EMAIL_OTP": "We sent a code by email to %(destination)s.",
    "intro.SOFTWARE_TOKEN_MFA": "Enter the 6-digit code from your authenticator app.",
    "intro.totp-setup": "Scan the QR code with your authenticator app, or type the secret key "
    "into it, then enter the 6-digit code it shows.",
    "intro.totp-setup.no-qr": "Type this secret key into your authenticator app, then enter "
    "the 6-digit code it shows.",
    "intro.new-password": "Your account needs a new password before you can continue.",
    "intro.forgot-password": "Enter your username and we will send you a code to reset "
    "your password.",
    "intro.reset-password": "We sent a code to %(destination)s. Enter it with your new password.",
    "intro.reset-password.unknown": "We sent you a code. Enter it with your new password.",
    "intro.remember-device": "On a device you trust, you will not need a code next time.",
    "signed-in": "Signed in as %(username)s.",
    "qr.alt": "QR code for your authenticator app",
    # password policy, shown as the person types
    "policy.title": "Your password needs:",
    "policy.length": "at least %(count)s characters",
    "policy.lowercase": "a lowercase letter",
    "policy.uppercase": "an uppercase letter",
    "policy.number": "a number",
    "policy.symbol": "a symbol, such as ! or @",
    "policy.met": "done",
    "policy.unmet": "still needed",
    # status line
    "status.confirmed": "Your account is confirmed. You can sign in now.",
    "status.code-sent": "We sent a new code to %(destination)s.",
    "status.code-sent.unknown": "We sent you a new code.",
    "status.password-changed": "Your password is changed. Sign in with the new one.",
    "status.signed-out": "You have signed out.",
    "status.not-confirmed": "Your account is not confirmed yet. We sent you a code.",
    "status.reset-required": "You need to reset your password. We sent you a code.",
    # errors, beside the field they concern
    "error.required": "Please fill this in.",
    "error.wrong-password": "The username or password is incorrect.",
    "error.too-many-attempts": "Too many wrong passwords. Wait a while, then try again.",
    "error.user-not-found": "There is no account with this username.",
    "error.user-exists": "This username is taken. Choose another, or sign in.",
    "error.alias-exists": "Another account already uses this.",
    "error.password-weak": "This password is too weak: it needs %(reasons)s.",
    "error.password-invalid": "This password is not allowed. Choose another.",
    "error.code-wrong": "This code is not right. Check it and try again.",
    "error.code-expired": "This code has expired.",
    "error.code-format": "Enter the code as digits only.",
    "error.session-expired": "This took too long. Please sign in again.",
    "error.email": "Enter an email address, like name@example.com.",
    "error.phone_number": "Enter a phone number with + and the country code, like +14155550123.",
    "error.username": "This username cannot be used. Use letters, numbers and . _ - @ only.",
    "error.invalid": "Something in this form is not accepted. Check it and try again.",
    "error.already-confirmed": "This account is already confirmed. You can sign in.",
    "error.limit": "Too many attempts. Wait a few minutes, then try again.",
    "error.delivery": "We could not send the code. Check the address and try again.",
    "error.network": "We could not reach the sign-in service. Check your connection and try again.",
    "error.unexpected": "Something went wrong. Please try again.",
    "error.choose": "Choose one.",
}

FR = {
    "title.sign-in": "Connexion",
    "title.sign-up": "Créer un compte",
    "title.confirm-sign-up": "Confirmez votre compte",
    "title.mfa-code": "Saisissez votre code",
    "title.select-mfa": "Choisissez comment recevoir votre code",
    "title.totp-setup": "Configurez votre application d'authentification",
    "title.new-password": "Choisissez un nouveau mot de passe",
    "title.forgot-password": "Réinitialiser votre mot de passe",
    "title.reset-password": "Nouveau mot de passe",
    "title.remember-device": "Mémoriser cet appareil ?",
    "title.signed-in": "Vous êtes connecté",
    "field.username": "Nom d'utilisateur",
    "field.password": "Mot de passe",
    "field.new_password": "Nouveau mot de passe",
    "field.code": "Code",
    "field.secret": "Clé secrète",
    "field.mfa": "Méthode de vérification",
    "attr.email": "Adresse e-mail",
    "attr.phone_number": "Téléphone (+ et indicatif du pays)",
    "attr.name": "Nom",
    "attr.given_name": "Prénom",
    "attr.family_name": "Nom de famille",
    "attr.preferred_username": "Nom d'utilisateur préféré",
    "button.sign-in": "Se connecter",
    "button.sign-up": "Créer le compte",
    "button.confirm": "Confirmer",
    "button.verify": "Vérifier",
    "button.continue": "Continuer",
    "button.send-code": "Envoyer le code",
    "button.change-password": "Changer le mot de passe",
    "button.remember": "Mémoriser cet appareil",
    "button.dont-remember": "Pas maintenant",
    "button.sign-out": "Se déconnecter",
    "busy": "Veuillez patienter…",
    "busy.sign-in": "Connexion…",
    "busy.sign-out": "Déconnexion…",
    "link.forgot-password": "Mot de passe oublié ?",
    "link.sign-up": "Créer un compte",
    "link.sign-in": "Retour à la connexion",
    "link.resend": "Envoyer un nouveau code",
    "mfa.SMS_MFA": "SMS",
    "mfa.SOFTWARE_TOKEN_MFA": "Application d'authentification",
    "mfa.EMAIL_OTP": "E-mail",
    "intro.confirm-sign-up": "Nous avons envoyé un code à %(destination)s. Saisissez-le "
    "pour confirmer votre compte.",
    "intro.confirm-sign-up.unknown": "Nous vous avons envoyé un code. Saisissez-le pour "
    "confirmer votre compte.",
    "intro.SMS_MFA": "Nous avons envoyé un code par SMS au %(destination)s.",
    "intro.EMAIL_OTP": "Nous avons envoyé un code par e-mail à %(destination)s.",
    "intro.SOFTWARE_TOKEN_MFA": "Saisissez le code à 6 chiffres de votre application "
    "d'authentification.",
    "intro.totp-setup": "Scannez le QR code avec votre application d'authentification, ou "
    "saisissez-y la clé secrète, puis entrez le code à 6 chiffres affiché.",
    "intro.totp-setup.no-qr": "Saisissez cette clé secrète dans votre application "
    "d'authentification, puis entrez le code à 6 chiffres affiché.",
    "intro.new-password": "Votre compte a besoin d'un nouveau mot de passe pour continuer.",
    "intro.forgot-password": "Saisissez votre nom d'utilisateur : nous vous enverrons un "
    "code pour réinitialiser votre mot de passe.",
    "intro.reset-password": "Nous avons envoyé un code à %(destination)s. Saisissez-le "
    "avec votre nouveau mot de passe.",
    "intro.reset-password.unknown": "Nous vous avons envoyé un code. Saisissez-le avec "
    "votre nouveau mot de passe.",
    "intro.remember-device": "Sur un appareil de confiance, aucun code ne vous sera "
    "demandé la prochaine fois.",
    "signed-in": "Connecté en tant que %(username)s.",
    "qr.alt": "QR code pour votre application d'authentification",
    "policy.title": "Votre mot de passe doit contenir :",
    "policy.length": "au moins %(count)s caractères",
    "policy.lowercase": "une minuscule",
    "policy.uppercase": "une majuscule",
    "policy.number": "un chiffre",
    "policy.symbol": "un symbole, comme ! ou @",
    "policy.met": "fait",
    "policy.unmet": "manquant",
    "status.confirmed": "Votre compte est confirmé. Vous pouvez vous connecter.",
    "status.code-sent": "Nous avons envoyé un nouveau code à %(destination)s.",
    "status.code-sent.unknown": "Nous vous avons envoyé un nouveau code.",
    "status.password-changed": "Votre mot de passe est changé. Connectez-vous avec le nouveau.",
    "status.signed-out": "Vous êtes déconnecté.",
    "status.not-confirmed": "Votre compte n'est pas encore confirmé. Nous vous avons "
    "envoyé un code.",
    "status.reset-required": "Vous devez réinitialiser votre mot de passe. Nous vous "
    "avons envoyé un code.",
    "error.required": "Veuillez remplir ce champ.",
    "error.wrong-password": "Le nom d'utilisateur ou le mot de passe est incorrect.",
    "error.too-many-attempts": "Trop de mots de passe erronés. Patientez, puis réessayez.",
    "error.user-not-found": "Aucun compte ne porte ce nom d'utilisateur.",
    "error.user-exists": "Ce nom d'utilisateur est pris. Choisissez-en un autre, ou "
    "connectez-vous.",
    "error.alias-exists": "Un autre compte utilise déjà cette valeur.",
    "error.password-weak": "Ce mot de passe est trop faible : il lui faut %(reasons)s.",
    "error.password-invalid": "Ce mot de passe n'est pas accepté. Choisissez-en un autre.",
    "error.code-wrong": "Ce code n'est pas le bon. Vérifiez-le et réessayez.",
    "error.code-expired": "Ce code a expiré.",
    "error.code-format": "Saisissez le code en chiffres uniquement.",
    "error.session-expired": "Le délai est dépassé. Reconnectez-vous.",
    "error.email": "Saisissez une adresse e-mail, comme nom@exemple.fr.",
    "error.phone_number": "Saisissez un numéro avec + et l'indicatif, comme +33612345678.",
    "error.username": "Ce nom d'utilisateur n'est pas accepté. Utilisez des lettres, des "
    "chiffres et . _ - @ uniquement.",
    "error.invalid": "Une valeur de ce formulaire n'est pas acceptée. Vérifiez et réessayez.",
    "error.already-confirmed": "Ce compte est déjà confirmé. Vous pouvez vous connecter.",
    "error.limit": "Trop de tentatives. Patientez quelques minutes, puis réessayez.",
    "error.delivery": "Impossible d'envoyer le code. Vérifiez l'adresse et réessayez.",
    "error.network": "Le service de connexion est injoignable. Vérifiez votre connexion "
    "et réessayez.",
    "error.unexpected": "Une erreur est survenue. Veuillez réessayer.",
    "error.choose": "Choisissez une option.",
}

LANGUAGES = {"en": EN, "fr": FR}


def catalogue(language: "str" = "en", overrides: "object" = None) -> "dict":
    """The texts for ``language`` (English for any key it lacks), then ``overrides``.

    Raises:
        InvalidParameterError: for an unknown language or overrides that are not a dict
            of strings.
    """
    from ..errors import InvalidParameterError

    if language not in LANGUAGES:
        raise InvalidParameterError(
            "language must be one of %s, not %r" % (", ".join(sorted(LANGUAGES)), language)
        )
    texts = dict(EN)
    texts.update(LANGUAGES[language])
    if overrides is not None:
        if not isinstance(overrides, dict):
            raise InvalidParameterError("messages must be a dict of message key -> text")
        for key, value in overrides.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise InvalidParameterError("messages must map strings to strings: %r" % (key,))
            texts[key] = value
    return texts
