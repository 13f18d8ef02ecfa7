"""Calendar arithmetic for the two dates the client writes, without the time module.

Cognito's SRP ``TIMESTAMP`` (``_srp.timestamp``) and a cookie's ``expires`` (``_cookies``)
both spell a UTC date from seconds since the epoch. MicroPython's ``time`` has no
``gmtime`` in every port, so the date comes from Howard Hinnant's civil-from-days
algorithm ("chrono-Compatible Low-Level Date Algorithms"), exact for any day count.
"""

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Indexed by days since the epoch modulo 7: 1970-01-01 was a Thursday.
WEEKDAYS = ("Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed")


def civil(days: "int") -> "tuple":
    """``(year, month, day)`` of the day ``days`` after 1970-01-01 (negative: before)."""
    days += 719468
    era = (days if days >= 0 else days - 146096) // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if month <= 2 else 0), month, day


def split(epoch_seconds: "float") -> "tuple":
    """``(days, seconds)`` since the epoch, the fraction floored as a JavaScript Date does
    (``int()`` would round -0.5 up to the wrong second)."""
    return divmod(int(epoch_seconds // 1), 86400)
