"""pycognito_emulator.launch: the one reader of the emulator's ready lines."""

import json

import pytest

from pycognito_emulator.launch import launch


def test_launch_reads_the_ready_lines_and_stops(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"pools": [{"PoolName": "p", "clients": [{"ClientName": "c"}]}]}))
    running = launch(["--port", "0", "--data", ":memory:", "--config", str(config)])
    try:
        assert running.url.startswith("http://127.0.0.1:") and running.port > 0
        assert running.pools["p"]["id"].startswith("us-east-1_")
        assert running.pools["p"]["clients"]["c"]["secret"] is None
    finally:
        running.stop()
    assert running.process.poll() is not None


def test_an_emulator_that_cannot_start_is_a_clear_error(tmp_path):
    bad = tmp_path / "config.json"
    bad.write_text("{not json")
    with pytest.raises(RuntimeError) as raised:
        launch(["--port", "0", "--data", ":memory:", "--config", str(bad)])
    assert "did not start" in str(raised.value)
    assert "config" in str(raised.value).lower()
