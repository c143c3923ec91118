"""A throwaway PostgreSQL server that checks passwords (SCRAM), for the security tests.

CI's shared server trusts every local connection, which would hide whether a password is
checked at all. This one is made with initdb in a temporary folder, listens on a free
port on 127.0.0.1 only, asks every connection for a SCRAM password, and is stopped and
deleted afterwards. As root (CI), the server runs as the `postgres` system user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "throwaway superuser secret"


@dataclass(frozen=True)
class ThrowawayServer:
    host: str
    port: int
    folder: Path

    def url(
        self, user: str = SUPERUSER, password: str = SUPERUSER_PASSWORD, db: str = "postgres"
    ) -> str:
        from urllib.parse import quote

        who = f"{quote(user, safe='')}:{quote(password, safe='')}"
        return f"postgresql://{who}@{self.host}:{self.port}/{db}"


def _bindir() -> Path | None:
    given = os.environ.get("PG_BINDIR")
    if given:
        return Path(given)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--", *command]


def start(extra_settings: dict[str, str] | None = None) -> ThrowawayServer:
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError("initdb was not found: install PostgreSQL's server package")
    folder = Path(tempfile.mkdtemp(prefix="recruit-pg-"))
    data = folder / "data"
    secret = folder / "superuser-password"
    secret.write_text(SUPERUSER_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, SUPERUSER)
        shutil.chown(secret, SUPERUSER)
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                SUPERUSER,
                "--pwfile",
                str(secret),
                "--auth",
                "scram-sha-256",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
            ]
        ),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "port": str(port),
        "unix_socket_directories": f"'{folder}'",
        "password_encryption": "'scram-sha-256'",
        "fsync": "off",  # a throwaway: speed over durability
        "log_statement": "'all'",  # the tests read the log for passwords sent in clear
        **(extra_settings or {}),
    }
    with (data / "postgresql.conf").open("a") as conf:
        conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
    (data / "pg_hba.conf").write_text(
        "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"
    )
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "--pgdata",
                str(data),
                "--log",
                str(folder / "server.log"),
                "--wait",
                "--timeout",
                "60",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    return ThrowawayServer("127.0.0.1", port, folder)


def stop(server: ThrowawayServer) -> None:
    bindir = _bindir()
    assert bindir is not None
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "--pgdata",
                str(server.folder / "data"),
                "--mode",
                "immediate",
                "--wait",
                "stop",
            ]
        ),
        capture_output=True,
    )
    for _ in range(50):
        try:
            shutil.rmtree(server.folder)
            return
        except OSError:
            time.sleep(0.1)


def server_log(server: ThrowawayServer) -> str:
    return (server.folder / "server.log").read_text(errors="replace")
