"""What the example tests share: the emulator with examples/emulator-config.json, the
backend (examples/backend) served by uvicorn in a thread, the outbox."""

import json
import socket
import threading
import time
import urllib.request
from pathlib import Path

import uvicorn

from pycognito_emulator.launch import launch

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CONFIG = json.loads((EXAMPLES / "emulator-config.json").read_text())
POOL_ID = CONFIG["pools"][0]["Id"]
CLIENT_ID = CONFIG["pools"][0]["clients"][0]["ClientId"]
PASSWORD = "Corr3ct-Horse-Battery!"


def start_emulator(folder):
    return launch(
        ["--host", "127.0.0.1", "--port", "0", "--data", str(folder / "data.sqlite3"),
         "--config", str(EXAMPLES / "emulator-config.json")],
        timeout=30, cwd=ROOT,
    )  # fmt: skip


def newest_code(emulator_url, username):
    url = "%s/_emulator/messages?username=%s" % (emulator_url, username)
    for _ in range(50):
        with urllib.request.urlopen(url, timeout=10) as answer:
            messages = json.load(answer)["messages"]
        if messages:
            return messages[-1]["code"]
        time.sleep(0.1)
    raise AssertionError("no code for %s in the outbox" % username)


def start_backend(emulator_url, allow_origin="*"):
    """examples/backend on a free port: (url, stop)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_example_backend",
                                                  EXAMPLES / "backend" / "app.py")  # fmt: skip
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = module.make_app(POOL_ID, CLIENT_ID, emulator_url, allow_origin)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the example backend did not start"

    def stop():
        server.should_exit = True
        thread.join(10)

    return "http://127.0.0.1:%d" % port, stop
