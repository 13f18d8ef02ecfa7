"""Load and kill -9 at CI size: concurrent sign-ins lose no write, and a SIGKILL under
load loses nothing a client saw confirmed. The full-size runs are
``scripts/bench --only load`` (figures in benchmarks/load.md).

Each test starts its own emulator (tests/support/load.py's EmulatorProcess) with a
temporary data file, so killing it disturbs no other test.
"""


from support import load as emulator_load


def test_concurrent_srp_sign_ins_lose_nothing(tmp_path):
    # 16 clients in 2 processes; run_load itself asserts: every sign-in succeeded, every
    # session (origin_jti) is distinct and stored, every user is there, integrity ok.
    report = emulator_load.run_load(
        signins=48, clients=16, processes=2, users_per_client=1, folder=str(tmp_path)
    )
    assert report["succeeded"] == 48 and report["lost_writes"] == 0
    assert report["errors"] == {}
    assert report["throughput"] > 0 and report["p99_ms"] >= report["p50_ms"]


def test_kill_9_under_load_loses_nothing_confirmed(tmp_path):
    # run_kill asserts: no corrupt answer and no unexpected Cognito error while the
    # server died and came back; same JWKS kids; every confirmed user signs in again
    # and every confirmed device is listed; SQLite integrity ok.
    report = emulator_load.run_kill(
        clients=8, processes=2, kills=1, seconds=1.0, down=0.3, folder=str(tmp_path)
    )
    assert report["confirmed_users"] and report["confirmed_devices"]
    assert report["missing_users"] == [] and report["missing_devices"] == []
    assert set(report["transport_errors"]) <= {
        "transport:refused", "transport:reset", "transport:closed", "transport:broken-pipe",
        "transport:truncated",
    }  # fmt: skip
    assert report["other_errors"] == {}
