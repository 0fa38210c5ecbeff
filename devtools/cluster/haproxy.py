"""HAProxy's view of its servers, read from its stats socket (`show stat`)."""

from __future__ import annotations

import csv
import io
import socket


def parse_show_stat(text: str, *, backend: str) -> dict[str, str]:
    """Each server of ``backend`` and its status ("UP", "DOWN", "UP 1/2"...), from the CSV
    `show stat` answers (its header line starts with "# ")."""
    lines = text.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        return {}
    reader = csv.DictReader(io.StringIO("\n".join([lines[0][2:], *lines[1:]])))
    return {
        row["svname"]: row["status"]
        for row in reader
        if row.get("pxname") == backend and row.get("svname") not in ("FRONTEND", "BACKEND")
    }


def server_states(stats_socket: str, *, backend: str = "web") -> dict[str, str]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(3)
        conn.connect(stats_socket)
        conn.sendall(b"show stat\n")
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return parse_show_stat(b"".join(chunks).decode(errors="replace"), backend=backend)
