"""The database, the Odoo server (prefork, started and stopped as a child
process) and the SMTP sink its outgoing mail goes to."""

import importlib.metadata
import multiprocessing
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

# one way to open the bench database's registry, shared by every bench
from bench_scheduler import open_registry  # noqa: F401

from .common import ROOT


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        try:
            self.converse()
        except OSError:
            pass  # the client hung up

    def converse(self):
        self.reply("220 load-bench sink ESMTP")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    self.server.count()
                    self.reply("250 OK queued")
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-load-bench\r\n250-8BITMIME\r\n250 SMTPUTF8")
            elif verb == b"DATA":
                in_data = True
                self.reply("354 end with <CRLF>.<CRLF>")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class _SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mails):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.mails = mails

    def count(self):
        with self.mails.get_lock():
            self.mails.value += 1


def _run_sink(mails, port):
    server = _SinkServer(mails)
    port.value = server.server_address[1]
    server.serve_forever()


class SmtpSink:
    """An SMTP server on 127.0.0.1 that accepts every mail and counts it, in
    a process of its own: Odoo sends while the request is served, so a sink
    slowed down by the clients' threads would slow the server down."""

    def __init__(self):
        context = multiprocessing.get_context("fork")
        self._mails = context.Value("i", 0)
        self._port = context.Value("i", 0)
        self.process = context.Process(
            target=_run_sink, args=(self._mails, self._port), daemon=True
        )
        self.process.start()
        while not self._port.value:
            time.sleep(0.05)

    @property
    def port(self):
        return self._port.value

    @property
    def mails(self):
        return self._mails.value

    def stop(self):
        self.process.terminate()
        self.process.join(10)


def gevent_environment(workdir):
    """Odoo's prefork server starts ``odoo gevent`` (websockets); gevent's
    monkey patching loads its plugins through ``pkg_resources``, which in an
    old setuptools does not find distributions installed under normalised
    names (``zope_interface-8.7.dist-info``): the gevent worker dies at
    start, and the server spawns it again at once, all the time. When that
    is the case here, the server is given metadata stubs
    (``<name>-<version>.egg-info``) on its PYTHONPATH. Returns (the server's
    environment, the stubs made)."""
    stub_dir = workdir / "dist-stubs"
    env = dict(os.environ)
    stubs = []
    for _ in range(5):
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import pkg_resources; pkg_resources.require('gevent')",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if probe.returncode == 0:
            return env, stubs
        match = re.search(r"The '([^']+)' distribution was not found", probe.stderr)
        if not match:
            break
        name = match.group(1)
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            break
        info = stub_dir / f"{name}-{version}.egg-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "PKG-INFO").write_text(
            f"Metadata-Version: 1.0\nName: {name}\nVersion: {version}\n"
        )
        stubs.append(f"{name} {version}")
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(stub_dir), os.environ.get("PYTHONPATH")])
        )
    return env, stubs


def odoo_bin():
    """The ``odoo`` console script of this Python (not ``python3 -m odoo``:
    the prefork server re-executes ``sys.argv[0]`` for its gevent worker)."""
    candidate = Path(sys.executable).parent / "odoo"
    return str(candidate) if candidate.exists() else "odoo"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-d", db, "-v", "ON_ERROR_STOP=1", "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def drop_database(db):
    """The database and its filestore (the servers' default data dir)."""
    from odoo.tools import config

    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    shutil.rmtree(config.filestore(db), ignore_errors=True)


def build_database(db, workdir):
    drop_database(db)
    with open(workdir / "install.log", "w") as log:
        subprocess.run(
            [
                odoo_bin(),
                "-d",
                db,
                f"--addons-path={ROOT}",
                "-i",
                "custcare_loop",
                "--stop-after-init",
                "--http-interface=127.0.0.1",
                "--log-level=warn",
            ],
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def admin_env(cr):
    import odoo

    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    return env(user=env.ref("base.user_admin").id, su=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``odoo`` in prefork mode, as a child of this process and the leader
    of its own process group. ``options``: more command-line options (they
    may change between a stop and the next start; the ports stay)."""

    def __init__(self, db, workdir, env=None, name="server", options=()):
        self.db = db
        self.env = env
        self.name = name
        self.options = list(options)
        self.port = free_port()
        self.gevent_port = free_port()
        self.logfile = workdir / f"{name}.log"
        self.outfile = workdir / f"{name}.out"
        self.proc = None
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self, timeout=180):
        cmd = [
            odoo_bin(),
            # -d: the cron worker runs this database's jobs, no other one
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            f"--addons-path={ROOT}",
            "--workers=2",
            "--max-cron-threads=1",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            f"--logfile={self.logfile}",
            "--no-database-list",
            *self.options,
        ]
        with open(self.outfile, "a") as out:
            self.proc = subprocess.Popen(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=self.env,
            )
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"odoo exited with {self.proc.returncode}")
            try:
                response = requests.get(f"{self.base}/web/login", timeout=10)
                if response.status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("odoo did not answer /web/login in time")

    def children(self):
        try:
            return psutil.Process(self.proc.pid).children()
        except psutil.NoSuchProcess:
            return []

    def cron_workers(self):
        """The master's children that run crons: WorkerCron renices itself
        to 10 (``os.nice(10)``); HTTP workers stay at 0 and the gevent worker
        runs ``odoo gevent``."""
        workers = []
        for child in self.children():
            try:
                if child.nice() >= 10 and "gevent" not in child.cmdline():
                    workers.append(child.pid)
            except psutil.NoSuchProcess:
                continue
        return workers

    def group(self):
        """{pid: role} of the processes in the server's process group: the
        master, its HTTP and cron workers, the gevent process."""
        members = {}
        if not self.proc:
            return members
        for process in psutil.process_iter():
            try:
                if os.getpgid(process.pid) != self.proc.pid:
                    continue
                if process.status() == psutil.STATUS_ZOMBIE:
                    continue
                if process.pid == self.proc.pid:
                    role = "master"
                elif "gevent" in process.cmdline():
                    role = "gevent"
                elif process.nice() >= 10:
                    role = "cron worker"
                else:
                    role = "HTTP worker"
            except (ProcessLookupError, psutil.NoSuchProcess):
                continue
            members[process.pid] = role
        return members

    def kill(self):
        """SIGKILL the whole process group at once, as a machine that dies:
        nothing is told, nothing finishes. Returns {pid: role} killed."""
        members = self.group()
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        return members

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        children = self.children()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for child in children:
            try:
                child.wait(timeout=10)
            except psutil.TimeoutExpired:
                child.kill()
            except psutil.NoSuchProcess:
                pass
