"""A streaming replica of this machine's PostgreSQL cluster, for a bench.

``pg_basebackup -R`` copies the running cluster (port 5432) into a temporary
directory, with a replication slot of its own so that the primary keeps the
WAL the replica has not received yet; the copy gets its own configuration
(Debian keeps ``postgresql.conf`` and ``pg_hba.conf`` in /etc, outside the
data directory): 127.0.0.1 and a port of its own, its socket in the temporary
directory, ``hot_standby``, trust for local connections. It is started and
stopped with ``pg_ctl`` as the ``postgres`` user. ``stop()`` stops it, drops
its slot on the primary and removes the directory, whatever happened before.

Should the bench itself be SIGKILLed, the replica outlives it; by hand:
``runuser -u postgres -- pg_ctl -D /tmp/load_replica-*/data stop``, then
``SELECT pg_drop_replication_slot('load_bench_replica_<pid>')`` (the next run
drops such a slot itself once its pid is gone) and remove the directory.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psutil

from .server import psql

SLOT_PREFIX = "load_bench_replica_"


def as_postgres(cmd, **kwargs):
    """PostgreSQL's tools refuse root; run them as the cluster's owner."""
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *cmd],
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def port_in_use(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def drop_stale_slots():
    """Slots a killed run of this bench left behind (its pid is gone): a
    slot nobody reads keeps WAL on the primary for ever."""
    dropped = []
    for name in psql(
        "SELECT slot_name FROM pg_replication_slots WHERE NOT active "
        f"AND slot_name LIKE '{SLOT_PREFIX}%'"
    ).split():
        pid = name[len(SLOT_PREFIX) :]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            psql(f"SELECT pg_drop_replication_slot('{name}')")
            dropped.append(name)
    return dropped


class Replica:
    """A hot standby of the local cluster on 127.0.0.1:``port``."""

    def __init__(self, port=5433):
        self.port = port
        self.slot = f"{SLOT_PREFIX}{os.getpid()}"
        self.dir = None
        self.data = None
        self.log = None
        self.bindir = None
        self.started = False
        self.slot_made = False

    def psql(self, sql, db="postgres"):
        """A statement on the replica (from this process, over TCP)."""
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-d", db]
            + ["-v", "ON_ERROR_STOP=1", "-Atc", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self, timeout=300):
        """Copy, configure, start; returns once the replica has replayed
        everything the primary had written when it started."""
        if port_in_use(self.port):
            raise RuntimeError(
                f"127.0.0.1:{self.port} is taken (another replica?): --replica-port"
            )
        major = psql("SHOW server_version_num").strip()[:-4]
        self.bindir = Path(f"/usr/lib/postgresql/{major}/bin")
        self.dir = Path(tempfile.mkdtemp(prefix="load_replica-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.log = self.dir / "replica.log"
        drop_stale_slots()
        self.slot_made = True  # from here on, stop() drops it if it exists
        as_postgres(
            [
                str(self.bindir / "pg_basebackup"),
                "-D",
                str(self.data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--create-slot",
                "--slot",
                self.slot,
            ],
            timeout=timeout,
        )
        self.configure()
        self.started = True
        as_postgres(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data)]
            + ["-l", str(self.log), "-w", "-t", "120", "start"],
            timeout=180,
        )
        return self.wait_caught_up(timeout)

    def configure(self):
        """The copy's own configuration: the primary's is in /etc."""
        conf = self.data / "postgresql.conf"
        conf.write_text(
            "\n".join(
                [
                    f"port = {self.port}",
                    "listen_addresses = '127.0.0.1'",
                    f"unix_socket_directories = '{self.dir}'",
                    "hot_standby = on",
                    # the primary does not vacuum away rows a query on the
                    # replica still reads: no query cancelled for recovery
                    "hot_standby_feedback = on",
                    # a hot standby needs at least the primary's
                    "max_connections = " + psql("SHOW max_connections").strip(),
                    "shared_buffers = 128MB",
                    "log_line_prefix = '%m [%p] %q%u@%d '",
                    "",
                ]
            )
        )
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
            "local replication all trust\n"
        )
        (self.data / "pg_ident.conf").write_text("")
        for path in (conf, self.data / "pg_hba.conf", self.data / "pg_ident.conf"):
            shutil.chown(path, "postgres", "postgres")

    def wait_caught_up(self, timeout):
        """Seconds until the replica streams and has replayed the primary's
        WAL position as of now."""
        started = time.monotonic()
        target = psql("SELECT pg_current_wal_lsn()").strip()
        while time.monotonic() - started < timeout:
            try:
                behind = self.psql(
                    f"SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() "
                    f">= '{target}'::pg_lsn"
                ).strip()
            except subprocess.CalledProcessError:
                behind = "f"
            if behind == "t":
                return time.monotonic() - started
            time.sleep(0.5)
        raise RuntimeError(f"the replica did not catch up in {timeout} s")

    def lag_bytes(self):
        """How far the replica's replay is behind the primary's WAL (its
        walsender is the one reading this replica's slot)."""
        return int(
            psql(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn) "
                "FROM pg_stat_replication r JOIN pg_replication_slots s "
                f"ON s.active_pid = r.pid WHERE s.slot_name = '{self.slot}'"
            ).strip()
            or -1
        )

    def stop(self):
        """Stop it, drop its slot, remove its directory; each step runs even
        when an earlier one failed. Returns what went wrong."""
        problems = []
        if self.started:
            try:
                as_postgres(
                    [str(self.bindir / "pg_ctl"), "-D", str(self.data)]
                    + ["-m", "fast", "-w", "-t", "60", "stop"],
                    timeout=90,
                )
                self.started = False
            except (subprocess.SubprocessError, OSError) as exc:
                problems.append(f"pg_ctl stop: {exc}")
        if self.slot_made:
            try:
                psql(
                    "SELECT pg_drop_replication_slot(slot_name) FROM "
                    f"pg_replication_slots WHERE slot_name = '{self.slot}'"
                )
                self.slot_made = False
            except subprocess.CalledProcessError as exc:
                problems.append(f"drop slot {self.slot}: {exc.stderr.strip()}")
        if self.dir and not self.started:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        return problems
