"""``pyodide lockfile ...`` from pyodide-lock, without pyodide-cli.

    python scripts/pyodide_lockfile.py add-wheels --input IN --output OUT --base-path DIR WHEEL...

pyodide-lock's command line is a click group (``pyodide_lock.cli:main``) that the
``pyodide`` command (pyodide-cli) mounts as ``pyodide lockfile``; pyodide-cli needs Python
3.12, this project's tools run on 3.11, so this runs the same group directly: same
subcommands, same options, same output.
"""

import sys

from pyodide_lock.cli import main

if __name__ == "__main__":
    sys.exit(main(prog_name="pyodide lockfile"))
