"""The MicroPython parts of results.md (report.py calls these): a table under section 1, the
cold start's breakdown under section 3, and the two MicroPython targets (page ready within
3x the original's cold start, whole sign-in within 2x) with their verdicts.

Section 2's MicroPython rows are report._sign_in's own (results["sign_in"] holds them).
"""

PHASES = (
    ("to_interpreter", "to interpreter (HTML, PyScript's core, config)"),
    ("interpreter", "interpreter (micropython.mjs + .wasm, boot)"),
    ("files", "package files, after the boot (zip awaited, unpacked)"),
    ("to_python", "PyScript's set-up before the code"),
    ("import", "import + UserPool()"),
)


def _median(s):
    return s.get("median") if isinstance(s, dict) else None


def _cell(s, digits=1):
    if _median(s) is None:
        return "-"
    f = "%.*f"
    return "%s (%s-%s)" % (
        f % (digits, s["median"]),
        f % (digits, s["p10"]),
        f % (digits, s["p90"]),
    )


def _ratio(a, b):
    a, b = _median(a), _median(b)
    return "-" if a is None or not b else "%.2f" % (a / b)


def srp_lines(r):
    """Section 1's MicroPython table: the same fixed inputs, beside the other two."""
    s = r.get("srp") or {}
    m = s.get("micropython")
    if not m:
        return []
    o, q, py = s["original"], s["port"], m.get("python_only") or {}
    first = (m.get("info") or {}).get("first_A_ms")
    out = [
        "### Under MicroPython (PyScript `mpy`, `web/mpy_bench.html`, loaded as site/mpy.html)",
        "",
        "Same fixed inputs. Same A and key as the original: %s / %s; as Pyodide: %s. "
        "MicroPython's big integers here: %s. The original and Pyodide have no one-off "
        "set-up (their A as above)."
        % (
            m.get("same_A"),
            m.get("same_key"),
            m.get("same_as_pyodide"),
            "the page's BigInt (`_platform.host_pow`)"
            if m.get("backend") == "host"
            else "MicroPython's own (fixed-base table, windowed pow)",
        ),
        "",
        "| step | original (jsbn) | port (Pyodide) | port (MicroPython) | MicroPython / original |",
        "|---|---|---|---|---|",
    ]
    rows = [
        ("A = g^a, first (with the one-off set-up)", o["A"], q["A"], m["A_first"]),
        ("A = g^a, later", o["A"], q["A"], m["A"]),
        ("key + claim signature", o["key"], q["claim"], m["claim"]),
        ("total (later A + key)", o["total"], q["total"], m["total"]),
    ]
    if py:
        rows += [
            ("no host BigInt (CSP fallback): A first, table built", o["A"], q["A"], py["A_first"]),
            ("no host BigInt: A later", o["A"], q["A"], py["A"]),
            ("no host BigInt: key + claim signature", o["key"], q["claim"], py["claim"]),
            ("no host BigInt: total", o["total"], q["total"], py["total"]),
        ]
    for name, a, b, c in rows:
        out.append(
            "| %s | %s | %s | %s | %s |" % (name, _cell(a), _cell(b), _cell(c), _ratio(c, a))
        )
    out += [
        "",
        "'First': the page's first A (%s ms), then the one-off set-up (the BigInt lookup; "
        "without it the 205-entry fixed-base table) forgotten and redone before each run. "
        "'No host BigInt': `_srp` told the host has none, as where a page's CSP forbids "
        "`Function()`; same A and key: %s / %s."
        % (
            "%.1f" % first if isinstance(first, (int, float)) else "-",
            py.get("same_A"),
            py.get("same_key"),
        ),
        "",
    ]
    return out


def sign_in_note(r):
    """A sentence for section 2 when its table has MicroPython rows."""
    if "micropython" not in (r.get("sign_in") or {}):
        return []
    return [
        "micropython, micropython_prepared: the same sign-in under PyScript's MicroPython, "
        "in its own page of the same browser context (`web/mpy_bench.html`, loaded as "
        "site/mpy.html), started as a task as site/mpy.html's click handler starts it, in "
        "the same loop as the two others (one of each per round).",
        "",
    ]


def cold_lines(r):
    """Section 3: where the MicroPython page's cold start goes."""
    c = r.get("cold_start") or {}
    rows = [(mode, pages["micropython"]) for mode, pages in c.items() if "micropython" in pages]
    if not rows:
        return []
    out = [
        "`mpy_demo` and `mpy_direct`: the demo's MicroPython pages as shipped, site/mpy.html "
        "(PyScript) and site/mpy-direct.html (MicroPython's loadMicroPython, no PyScript), "
        "ready when their forms are (import, config.json, `UserPool`).",
        "",
        '`micropython`: a `<script type="mpy">` page loaded as site/mpy.html is (its preload '
        "hints, PyScript's core, `interpreter` = site/vendor/micropython, the package zip "
        "unpacked by site/mpy-unzip.js), which "
        "imports the package and makes a `UserPool` (ready), then, as the demo does, "
        "`prepare_srp()`. Its phases, from PyScript's `mpy:progress` events (ms, medians):",
        "",
        "| serving | %s | ready | then prepare_srp() | warm ready |"
        % " | ".join(label for _, label in PHASES),
        "|---|%s---|---|---|" % ("---|" * len(PHASES)),
    ]
    for mode, e in rows:
        phases = e.get("phases") or {}
        out.append(
            "| %s | %s | %s | %s | %s |"
            % (
                mode,
                " | ".join(_cell(phases.get(key), 0) for key, _ in PHASES),
                _cell(e["ready"], 0),
                _cell(phases.get("prepare_srp"), 0),
                _cell(e.get("warm_ready"), 0),
            )
        )
    return [*out, ""]


def _where_cold(e):
    phases = e.get("phases") or {}
    parts = [
        (label, _median(phases.get(key)))
        for key, label in PHASES
        if _median(phases.get(key)) is not None
    ]
    if not parts:
        return "no breakdown measured"
    top = max(parts, key=lambda part: part[1])
    return "of its %.0f ms: %s; the largest is %s" % (
        _median(e["ready"]),
        ", ".join("%s %.0f" % (label, ms) for label, ms in parts),
        top[0],
    )


# The MicroPython pages of section 3, and why one misses when its own phases do not say.
COLD_PAGES = {
    "micropython": "",  # the bench page: its phases say where the time goes
    "mpy_demo": "site/mpy.html as shipped (PyScript); its phases are the `micropython` row's",
    "mpy_direct": "site/mpy-direct.html as shipped: no PyScript; what is left is "
    "MicroPython's start (micropython.mjs, the wasm) and importing the package",
}


def targets(r):
    """The MicroPython targets: (name, measured, ok, why) as report.markdown lists them."""
    out = []
    for mode, pages in (r.get("cold_start") or {}).items():
        o = pages.get("original")
        for name in COLD_PAGES:
            e = pages.get(name)
            if not e or not o or not _median(o["ready"]):
                continue
            ratio = _median(e["ready"]) / _median(o["ready"])
            out.append(
                (
                    "MicroPython page ready within 3x the original's cold start "
                    "(%s, %s)" % (name, mode),
                    "%.1fx (%.0f vs %.0f ms)" % (ratio, _median(e["ready"]), _median(o["ready"])),
                    ratio <= 3,
                    COLD_PAGES[name] or _where_cold(e),
                )
            )
    s = r.get("sign_in") or {}
    srp = (r.get("srp") or {}).get("micropython") or {}
    for kind, label in (
        ("micropython", "A made on the click"),
        ("micropython_prepared", "A made ahead by prepare_srp()"),
    ):
        if kind not in s or "original" not in s:
            continue
        ratio = _median(s[kind]["total"]) / _median(s["original"]["total"])
        why = (
            "the SRP work alone takes %s ms in MicroPython (section 1: A %s + key %s ms); "
            "the rest of its %.0f ms is the two round trips and the JSON"
            % (
                "%.0f" % _median(srp.get("total")) if _median(srp.get("total")) else "?",
                "%.0f" % _median(srp.get("A")) if _median(srp.get("A")) else "?",
                "%.0f" % _median(srp.get("claim")) if _median(srp.get("claim")) else "?",
                _median(s[kind]["total"]),
            )
        )
        out.append(
            (
                "MicroPython whole sign-in within 2x the original's (%s)" % label,
                "%.2fx (%.0f vs %.0f ms)"
                % (ratio, _median(s[kind]["total"]), _median(s["original"]["total"])),
                ratio <= 2,
                why,
            )
        )
    return out
