"""The cluster test stops what it started, children included (devtools/cluster/processes.py)."""

from __future__ import annotations

import signal
import time

from devtools.cluster.processes import Processes, free_port


def test_stop_all_ends_each_process_and_its_children(tmp_path):
    processes = Processes(tmp_path)
    # A parent that ignores SIGTERM, with a child of its own: only the group kill ends both.
    proc = processes.start("stubborn", ["sh", "-c", "trap '' TERM; sleep 60 & wait"])
    time.sleep(0.3)
    assert processes.leftovers(), "the process and its child run in their own session"
    started = time.monotonic()
    processes.stop(proc, grace=0.5)
    assert time.monotonic() - started < 5
    assert processes.leftovers() == []


def test_a_process_asked_to_stop_stops_with_its_own_signal(tmp_path):
    processes = Processes(tmp_path)
    proc = processes.start("polite", ["sh", "-c", "echo started; exec sleep 60"], stop_signal=signal.SIGINT)
    time.sleep(0.3)
    processes.stop_all()
    assert proc.popen.returncode == -signal.SIGINT
    assert "started" in proc.tail()
    assert processes.leftovers() == []


def test_free_port_is_one_nobody_listens_on():
    port = free_port()
    assert 1024 < port < 65536
