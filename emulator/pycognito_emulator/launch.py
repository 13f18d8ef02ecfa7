"""Run the emulator as a child process and wait until it is ready.

For tests, benchmarks and your own tooling::

    from pycognito_emulator.launch import launch

    running = launch(["--port", "0", "--data", ":memory:", "--config", "pools.json"])
    running.url, running.pools["demo"]["clients"]["web"]["id"]
    ...
    running.stop()

``__main__`` prints two lines once the socket is serving: ``pycognito-web emulator
listening on URL``, then one JSON line describing the pools. This module is the one
reader of that format.
"""

import json
import signal
import subprocess
import sys
import threading

READY = "pycognito-web emulator listening on "


def pools_of(summary):
    """``{pool name: {"id", "clients": {client name: {"id", "secret"}}}}`` from the
    ready line's ``{"pools": [{"name", "id", "clients": [...]}]}``."""
    return {
        pool["name"]: {
            "id": pool["id"],
            "clients": {c["name"]: {"id": c["id"], "secret": c["secret"]}
                        for c in pool["clients"]},
        }
        for pool in summary["pools"]
    }  # fmt: skip


class Launched:
    """A running emulator process.

    Attributes:
        process: the ``subprocess.Popen``.
        url, port: where it listens.
        summary: the JSON ready line: ``{"pools": [{"name", "id", "clients": [...]}]}``.
        pools: ``{pool name: {"id", "clients": {client name: {"id", "secret"}}}}``.
        output: its console lines, kept up to date by a reader thread.
    """

    def __init__(self, process, url, summary, output):
        self.process = process
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])
        self.summary = summary
        self.pools = pools_of(summary)
        self.output = output
        # Keep draining the console so the emulator never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self, kill=False, timeout=20):
        """SIGKILL when ``kill`` (as ``kill -9``), else SIGTERM, then reap it; a process
        that ignores SIGTERM for ``timeout`` seconds is killed."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout)


def launch(args, output=None, timeout=20.0, cwd=None):
    """Start ``python -m pycognito_emulator ARGS`` and wait for its ready lines.

    Args:
        args: the command-line arguments (``--port``, ``--data``, ``--config``...).
        output: a list to collect the console lines in (a new one by default); pass
            the same list across restarts to keep one console.
        timeout: seconds to wait for readiness before the process is killed.
        cwd: the working directory.

    Returns:
        A ``Launched``.

    Raises:
        RuntimeError: with the last console lines, if it exits or times out first.
    """
    output = [] if output is None else output
    process = subprocess.Popen(
        [sys.executable, "-m", "pycognito_emulator", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    url = summary = None
    try:
        for line in process.stdout:
            output.append(line)
            if line.startswith(READY):
                url = line[len(READY) :].strip()
            elif url is not None and line.startswith("{"):
                summary = json.loads(line)
                break
    finally:
        timer.cancel()
    if summary is None:
        if process.poll() is None:
            process.kill()
        process.wait()
        raise RuntimeError("the emulator did not start:\n" + "".join(output[-40:]))
    return Launched(process, url, summary, output)
