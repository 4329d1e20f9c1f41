#!/usr/bin/env python3
"""Prove custcare_loop under load and faults, on a prefork Odoo server.

1. Builds a fresh database (custcare_loop, no demo data) and seeds it:
   customers with a resolved ticket each (their resolution notice asked a
   question: one ``rating.rating`` per ticket, its ``access_token`` in the
   links), competitors with aliases, reps (internal users), customers under
   care that are due or overdue, tickets whose promise passed and tickets
   waiting for their later check. Outgoing mail goes to an SMTP sink on
   127.0.0.1 (nothing leaves the machine, the mail queue sends without
   errors).
2. Starts Odoo through the ``odoo`` console script with ``--workers=2
   --max-cron-threads=1`` on 127.0.0.1 and free ports.
3. Load run: concurrent clients answer the feedback pages (GET the page, read
   its CSRF token, POST the answer; some customers answer twice, some from
   two sessions at the same moment), reps post messages naming competitors
   (JSON-RPC), customers' emails naming competitors are posted as the
   customer (JSON-RPC as admin), two reps save the same ticket's description
   at the same moment, and the scheduler, promise-watch and later-check crons
   are triggered (in the HTTP workers and in the cron worker). Reports
   latencies, HTTP 5xx, RPC errors, then checks the database invariants and
   the server log.
4. Fault run: seeds many overdue customers, runs the contact scheduler in the
   cron worker, SIGKILLs that worker after at least one batch committed,
   lets the server respawn it, runs the scheduler again to completion and
   checks that every due customer has exactly one open proactive contact.
5. Stops the server, prints a Markdown summary and drops the database (unless
   ``--keep``).

    python3 bench/bench_load.py [--customers 200] [--fault-customers 30000]

Only databases whose name starts with ``load_`` are used. Logs go to
``--workdir`` (default: a new directory under /tmp).
"""

import argparse
import importlib.metadata
import itertools
import multiprocessing
import os
import random
import re
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
# custcare_loop/models/res_partner_scheduler.py: SCHEDULER_LOCK
SCHEDULER_LOCK = 7_461_019_001
CSRF = re.compile(r'csrf_token: "([^"]+)"')
ANSWERS = {"good": 5, "partial": 3, "bad": 1}
ANSWER_NOTE = "The customer answered"
SCHEDULER_XMLID = "custcare_loop.ir_cron_custcare_schedule_contacts"
PROMISE_XMLID = "custcare_loop.ir_cron_custcare_promise_watch"
LATER_XMLID = "custcare_loop.ir_cron_custcare_later_check"
MAIL_QUEUE_XMLID = "mail.ir_cron_mail_scheduler_action"
ACTIVITY_XMLID = "custcare_loop.mail_activity_type_proactive_contact"
COMPETITOR_WORDS = [
    "Aurora",
    "Cobalt",
    "Dorado",
    "Emmer",
    "Falcon",
    "Granary",
    "Harvest",
    "Ivory",
    "Juniper",
    "Kestrel",
    "Linden",
    "Meadow",
    "Nordic",
    "Orchard",
    "Pioneer",
    "Quarry",
    "Russet",
    "Saffron",
    "Tundra",
    "Umber",
    "Vesper",
    "Willow",
    "Yarrow",
    "Zephyr",
]
FILLER = [
    "bread",
    "flour",
    "delivery",
    "invoice",
    "croissant",
    "oven",
    "morning",
    "order",
    "crate",
    "price",
    "rye",
    "sourdough",
    "butter",
    "van",
    "driver",
    "weekend",
]
LOG_PROBLEM = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")
LOG_LINE = re.compile(r"^\S+ \S+ (\d+) (\w+) (\S+) (\S+): (.*)$")


# ----------------------------------------------------------------------
# Outgoing mail: a local SMTP sink
# ----------------------------------------------------------------------


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


# ----------------------------------------------------------------------
# Database and seeding (in this process, through Odoo's registry)
# ----------------------------------------------------------------------


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
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


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


def open_registry(db):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            "-d",
            db,
            f"--addons-path={ROOT}",
            "--http-interface=127.0.0.1",
            "--log-level=warn",
        ]
    )
    return Registry(db)


def admin_env(cr):
    import odoo

    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    return env(user=env.ref("base.user_admin").id, su=True)


def utcnow():
    """Naive UTC, as Odoo stores datetimes."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def competitor_terms(index, word):
    """Name and aliases of one competitor; each names it alone."""
    return [f"{word} Bakers", f"{word} & Söhne", f"{word[:3].upper()}{index:02d}"]


def spoken(term, rng):
    """How a customer writes a competitor's name: any case, accents or not."""
    variant = rng.choice(["as is", "upper", "lower", "plain"])
    if variant == "upper":
        return term.upper()
    if variant == "lower":
        return term.lower()
    if variant == "plain":
        return "".join(
            c
            for c in unicodedata.normalize("NFKD", term)
            if not unicodedata.combining(c)
        )
    return term


def seed_setup(env, args, sink_port):
    """Company, admin, mail server, crons, reps, competitors, tier."""
    now = utcnow().replace(microsecond=0)
    env.company.write({"email": "care@load-bench.example.com"})
    env["ir.mail_server"].create(
        {
            "name": "load bench sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": sink_port,
            "smtp_encryption": "none",
        }
    )
    admin = env.ref("base.user_admin")
    admin.partner_id.email = "admin@load-bench.example.com"
    admin.write({"password": args.admin_password})
    # the cron worker runs what the bench triggers, and the mail queue
    mail_queue = env.ref(MAIL_QUEUE_XMLID)
    env["ir.cron"].search([("id", "!=", mail_queue.id)]).write(
        {"nextcall": now + timedelta(days=1)}
    )
    groups = env.ref("custcare_loop.group_custcare_user") | env.ref(
        "helpdesk_mgmt.group_helpdesk_user"
    )
    reps = env["res.users"].create(
        [
            {
                "name": f"Load Rep {i}",
                "login": f"load_rep_{i}",
                "password": f"load-bench-rep-{i}",
                "email": f"rep{i}@load-bench.example.com",
                "tz": "Europe/Brussels",
                "group_ids": [(6, 0, groups.ids)],
            }
            for i in range(args.reps)
        ]
    )
    competitors = []
    for i in range(args.competitors):
        word = COMPETITOR_WORDS[i % len(COMPETITOR_WORDS)]
        if i >= len(COMPETITOR_WORDS):
            word = f"{word}{i}"
        terms = competitor_terms(i, word)
        record = env["custcare.competitor"].create(
            {"name": terms[0], "alias_ids": [(0, 0, {"name": t}) for t in terms[1:]]}
        )
        competitors.append((record.id, terms))
    tier = env["custcare.tier"].create(
        {"name": "Load monthly", "interval_number": 1, "interval_type": "months"}
    )
    return {
        "reps": [(u.id, u.login, f"load-bench-rep-{i}") for i, u in enumerate(reps)],
        "rep_records": reps,
        "competitors": competitors,
        "tier": tier,
        "crons": {
            "schedule": env.ref(SCHEDULER_XMLID).id,
            "promise": env.ref(PROMISE_XMLID).id,
            "later": env.ref(LATER_XMLID).id,
            "mail": mail_queue.id,
        },
        "activity_type": env.ref(ACTIVITY_XMLID).id,
    }


def make_customers(env, prefix, count, reps):
    Partner = env["res.partner"].with_context(
        tracking_disable=True, mail_create_nolog=True
    )
    return Partner.create(
        [
            {
                "name": f"{prefix} Customer {i}",
                "is_company": True,
                "email": f"{prefix.lower()}{i}@customers.example.com",
                "lang": "en_US",
                "user_id": reps[i % len(reps)].id,
            }
            for i in range(count)
        ]
    )


def make_tickets(env, customers, reps, prefix, resolve):
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"{prefix} ticket {i}",
                "description": f"<p>{prefix} problem {i}: the bread came late.</p>",
                "partner_id": customer.id,
                "user_id": reps[i % len(reps)].id,
            }
            for i, customer in enumerate(customers)
        ]
    )
    if resolve:
        env["custcare.improvement.point"].create(
            [
                {
                    "name": f"Deliver {ticket.name} before 7",
                    "partner_id": ticket.partner_id.id,
                    "ticket_id": ticket.id,
                }
                for ticket in tickets
            ]
        )
        # the automation rule sends the notice: one question (rating) each
        tickets.write(
            {"stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id}
        )
    return tickets


def seed_tickets(env, args, setup):
    reps = setup["rep_records"]
    customers = make_customers(env, "Load", args.customers, reps)
    tickets = make_tickets(env, customers, reps, "Load", resolve=True)
    ratings = env["rating.rating"].search(
        [
            ("res_model", "=", "helpdesk.ticket"),
            ("res_id", "in", tickets.ids),
            ("custcare_notice", "=", "resolution"),
        ]
    )
    by_ticket = Counter(ratings.mapped("res_id"))
    if len(ratings) != len(tickets) or set(by_ticket.values()) != {1}:
        raise RuntimeError(
            f"seeding: {len(ratings)} resolution questions for {len(tickets)} "
            "resolved tickets (expected one each)"
        )
    feedback = [
        {
            "partner": r.partner_id.id,
            "ticket": r.res_id,
            "rating": r.id,
            "token": r.access_token,
        }
        for r in ratings
    ]
    later_customers = make_customers(env, "Later", args.later_tickets, reps)
    later = make_tickets(env, later_customers, reps, "Later", resolve=True)
    days = env.company.custcare_later_check_days + 1
    if later:
        env.flush_all()
        env.cr.execute(
            "UPDATE helpdesk_ticket SET custcare_resolved_date = "
            "now() at time zone 'UTC' - make_interval(days => %s) WHERE id IN %s",
            [days, tuple(later.ids)],
        )
    promise_customers = make_customers(env, "Promise", args.promise_tickets, reps)
    promise = make_tickets(env, promise_customers, reps, "Promise", resolve=False)
    promise.write({"custcare_promised_date": utcnow() - timedelta(hours=2)})
    return {
        "feedback": feedback,
        "later_tickets": later.ids,
        "promise_tickets": promise.ids,
    }


def seed_care(env, count, reps, tier, rng, prefix, mix=True, batch=2000):
    """Customers under care, never contacted: due from their care start.
    With ``mix``: 70% overdue, 20% due, 10% on track; one in ten without a
    salesperson; half on the tier, half on their own cadence."""
    today = utcnow().date()
    Partner = env["res.partner"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    made = 0
    for start in range(0, count, batch):
        vals_list = []
        for i in range(start, min(start + batch, count)):
            roll = rng.random() if mix else 0.0
            if roll < 0.7:
                start_date = today - timedelta(days=rng.randint(20, 400))
            elif roll < 0.9:
                start_date = today + timedelta(days=rng.randint(0, 5))
            else:
                start_date = today + timedelta(days=rng.randint(30, 60))
            vals = {
                "name": f"{prefix} Care {i}",
                "is_company": True,
                "custcare_care_start_date": start_date,
                "user_id": False if mix and i % 10 == 9 else reps[i % len(reps)].id,
            }
            if i % 2:
                vals["custcare_tier_id"] = tier.id
            else:
                vals.update(custcare_interval_number=2, custcare_interval_type="weeks")
            vals_list.append(vals)
        made += len(Partner.create(vals_list))
        env.cr.commit()
        env.invalidate_all()
    return made


def seed(registry, args, sink_port, rng):
    with registry.cursor() as cr:
        env = admin_env(cr)
        setup = seed_setup(env, args, sink_port)
        plan = seed_tickets(env, args, setup)
        seed_care(env, args.care, setup["rep_records"], setup["tier"], rng, "Load")
        plan.update(
            reps=setup["reps"],
            competitors=setup["competitors"],
            crons=setup["crons"],
            activity_type=setup["activity_type"],
            rep_ids=setup["rep_records"].ids,
            tier_id=setup["tier"].id,
        )
        cr.commit()
        plan["seed mails"] = send_queued_mails(env)
    return plan


def send_queued_mails(env, rounds=20):
    """Send what seeding left in the mail queue (to the sink), so that the
    server's cron worker does not start the load with a backlog."""
    Mail = env["mail.mail"].sudo()
    for _ in range(rounds):
        if not Mail.search_count([("state", "=", "outgoing")]):
            break
        Mail.process_email_queue(batch_size=1000)
        env.cr.commit()
        env.invalidate_all()
    env.cr.execute("SELECT state, count(*) FROM mail_mail GROUP BY state")
    return dict(env.cr.fetchall())


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``odoo`` in prefork mode, as a child of this process."""

    def __init__(self, db, workdir, env=None):
        self.db = db
        self.env = env
        self.port = free_port()
        self.gevent_port = free_port()
        self.logfile = workdir / "server.log"
        self.outfile = workdir / "server.out"
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
        ]
        with open(self.outfile, "w") as out:
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


# ----------------------------------------------------------------------
# Clients
# ----------------------------------------------------------------------


class Recorder:
    """Latency, HTTP status and RPC errors per kind of request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.rpc_errors = defaultdict(Counter)
        self.examples = {}

    def add(self, kind, seconds, status):
        with self.lock:
            self.latencies[kind].append(seconds * 1000)
            self.statuses[kind][status] += 1

    def rpc_error(self, kind, message, example=""):
        with self.lock:
            self.rpc_errors[kind][message] += 1
            self.examples.setdefault((kind, message), example)

    def timed(self, kind, send):
        started = time.perf_counter()
        try:
            response = send()
        except requests.RequestException as exc:
            self.add(kind, time.perf_counter() - started, type(exc).__name__)
            return None
        self.add(kind, time.perf_counter() - started, response.status_code)
        return response


class RpcClient:
    """A JSON-RPC session of one user."""

    _ids = itertools.count(1)

    def __init__(self, base, db, login, password, recorder):
        self.base = base
        self.recorder = recorder
        self.session = requests.Session()
        self.login = login
        result, error = self._post(
            "login",
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        if error or not result or not result.get("uid"):
            raise RuntimeError(f"{login} could not sign in: {error or result}")
        self.uid = result["uid"]

    def _post(self, kind, path, params):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self._ids),
            "params": params,
        }
        response = self.recorder.timed(
            kind,
            lambda: self.session.post(f"{self.base}{path}", json=payload, timeout=300),
        )
        if response is None:
            return None, "no response"
        if response.status_code != 200:
            return None, f"HTTP {response.status_code}"
        body = response.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            name = data.get("name") or body["error"].get("message")
            message = (data.get("message") or "").splitlines()[0][:160]
            error = f"{name}: {message}"
            self.recorder.rpc_error(kind, error, data.get("debug", "")[-2000:])
            return None, error
        return body.get("result"), None

    def call(self, kind, model, method, args, kwargs=None):
        return self._post(
            kind,
            f"/web/dataset/call_kw/{model}.{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


class ClientPool:
    """Signed-in sessions to share between threads, one user at a time."""

    def __init__(self, clients):
        self._clients = list(clients)
        self._free = threading.Semaphore(len(self._clients))
        self._lock = threading.Lock()

    def acquire(self):
        self._free.acquire()
        with self._lock:
            return self._clients.pop()

    def release(self, client):
        with self._lock:
            self._clients.append(client)
        self._free.release()


def classify(response):
    if response is None:
        return "no response"
    text = response.text
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    if "We are sorry" in text or "Thank you for telling us" in text:
        return "thanks"
    if "Thank you!" in text:
        return "thanks"
    if "Already answered" in text:
        return "answered"
    if "no longer open" in text:
        return "expired"
    if response.status_code == 400 and "CSRF" in text:
        return "csrf rejected"
    return f"HTTP {response.status_code} other"


class LoadRun:
    """Everything the load run sends, and what came back."""

    def __init__(self, server, args, plan, recorder, rng):
        self.server = server
        self.base = server.base
        self.args = args
        self.plan = plan
        self.recorder = recorder
        self.rng = rng
        self.lock = threading.Lock()
        self.submissions = []  # (token, answer, comment, outcome)
        self.customer_emails = []  # (message id, ticket id, competitor ids)
        self.rep_messages = []
        self.description_races = []  # (ticket, competitor, errors)
        self.cron_results = defaultdict(Counter)
        self.stop_crons = threading.Event()
        self.deadline = None
        self.comment_ids = itertools.count(1)
        self.skipped = 0

    # -- feedback -------------------------------------------------------

    def open_page(self, session, token, answer):
        response = self.recorder.timed(
            "feedback page (GET)",
            lambda: session.get(
                f"{self.base}/custcare/feedback/{token}/{answer}", timeout=120
            ),
        )
        match = response is not None and CSRF.search(response.text)
        return match.group(1) if match else None

    def submit(self, session, token, answer, csrf):
        comment = f"load comment {next(self.comment_ids)}"
        response = self.recorder.timed(
            "feedback submit (POST)",
            lambda: session.post(
                f"{self.base}/custcare/feedback/{token}/submit",
                data={"answer": answer, "comment": comment, "csrf_token": csrf},
                timeout=120,
            ),
        )
        outcome = classify(response) if csrf else "no CSRF token on the page"
        with self.lock:
            self.submissions.append((token, answer, comment, outcome))
        return outcome

    def answer_once(self, token, session=None):
        session = session or requests.Session()
        answer = self.rng.choice(list(ANSWERS))
        csrf = self.open_page(session, token, answer)
        self.submit(session, token, answer, csrf)
        return session

    def answer_twice(self, token):
        session = self.answer_once(token)
        self.answer_once(token, session)

    def answer_from_two_sessions(self, token):
        """Two sessions open the page, then both submit at the same moment."""
        barrier = threading.Barrier(2, timeout=120)
        pages = []
        for _ in range(2):
            session = requests.Session()
            answer = self.rng.choice(list(ANSWERS))
            pages.append((session, answer, self.open_page(session, token, answer)))

        def go(page):
            session, answer, csrf = page
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            self.submit(session, token, answer, csrf)

        helper = threading.Thread(target=go, args=(pages[1],))
        helper.start()
        go(pages[0])
        helper.join()

    # -- messages -------------------------------------------------------

    def competitor_text(self, count):
        chosen = self.rng.sample(self.plan["competitors"], count)
        words = [self.rng.choice(FILLER) for _ in range(30)]
        for i, (_competitor_id, terms) in enumerate(chosen):
            words.insert(5 + 10 * i, spoken(self.rng.choice(terms), self.rng))
        return " ".join(words), {competitor_id for competitor_id, _terms in chosen}

    def rep_post(self, pool):
        item = self.rng.choice(self.plan["feedback"])
        text, _competitors = self.competitor_text(1)
        client = pool.acquire()
        try:
            result, _error = client.call(
                "rep message_post (RPC)",
                "helpdesk.ticket",
                "message_post",
                [[item["ticket"]]],
                {
                    "body": f"<p>Hello, following up on our call: {text}</p>",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    "partner_ids": [item["partner"]],
                },
            )
        finally:
            pool.release(client)
        if result:
            with self.lock:
                self.rep_messages.append(message_id(result))

    def customer_email(self, pool):
        item = self.rng.choice(self.plan["feedback"])
        text, competitors = self.competitor_text(self.rng.choice([0, 1, 1, 2]))
        client = pool.acquire()
        try:
            result, _error = client.call(
                "customer email (RPC as admin)",
                "helpdesk.ticket",
                "message_post",
                [[item["ticket"]]],
                {
                    "body": f"<p>Dear team, {text}</p>",
                    "author_id": item["partner"],
                    "message_type": "email",
                    "subtype_xmlid": "mail.mt_comment",
                },
            )
        finally:
            pool.release(client)
        if result:
            with self.lock:
                self.customer_emails.append(
                    (message_id(result), item["ticket"], competitors)
                )

    def description_race(self, ticket_id, clients):
        """Two reps save the same ticket's description, naming the same
        competitor, at the same moment."""
        competitor_id, terms = self.rng.choice(self.plan["competitors"])
        barrier = threading.Barrier(2, timeout=120)
        errors = []

        def save(client, side):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            _result, error = client.call(
                "ticket description write (RPC)",
                "helpdesk.ticket",
                "write",
                [[ticket_id], {"description": f"<p>{side}: {terms[0]} is cheaper</p>"}],
            )
            if error:
                errors.append(error)

        helper = threading.Thread(target=save, args=(clients[1], "B"))
        helper.start()
        save(clients[0], "A")
        helper.join()
        with self.lock:
            self.description_races.append((ticket_id, competitor_id, errors))

    # -- crons ----------------------------------------------------------

    def cron_loop(self, admin):
        crons = self.plan["crons"]
        steps = [
            (
                "scheduler (RPC direct)",
                "ir.cron",
                "method_direct_trigger",
                crons["schedule"],
            ),
            (
                "promise watch (RPC direct)",
                "ir.cron",
                "method_direct_trigger",
                crons["promise"],
            ),
            (
                "later check (RPC direct)",
                "ir.cron",
                "method_direct_trigger",
                crons["later"],
            ),
            (
                "scheduler (button: cron worker)",
                "res.partner",
                "action_custcare_schedule_contacts",
                None,
            ),
        ]
        for label, model, method, record in itertools.cycle(steps):
            if self.stop_crons.is_set():
                return
            args = [[record]] if record else [[]]
            started = time.perf_counter()
            result, error = admin.call("cron trigger (RPC)", model, method, args)
            if error and "already executing" in error:
                outcome = "busy (already running)"
            elif error:
                outcome = f"error: {error}"
            elif isinstance(result, dict) and result.get("tag") == "display_exception":
                outcome = "job failed: " + str(result.get("params", {}).get("message"))
            else:
                outcome = "ok"
            with self.lock:
                self.cron_results[label][outcome] += 1
                self.cron_results[label]["seconds"] += time.perf_counter() - started
            self.stop_crons.wait(self.args.cron_interval)

    # -- the run --------------------------------------------------------

    def tasks(self, rep_pool, admin_pool, race_clients):
        tasks = []
        twice = int(len(self.plan["feedback"]) * self.args.twice)
        races = int(len(self.plan["feedback"]) * self.args.race)
        for i, item in enumerate(self.plan["feedback"]):
            if i < races:
                tasks.append((self.answer_from_two_sessions, item["token"]))
            elif i < races + twice:
                tasks.append((self.answer_twice, item["token"]))
            else:
                tasks.append((self.answer_once, item["token"]))
        tasks += [(self.rep_post, rep_pool)] * self.args.rep_posts
        tasks += [(self.customer_email, admin_pool)] * self.args.emails
        race_tickets = [item["ticket"] for item in self.plan["feedback"]]
        for ticket_id in race_tickets[-self.args.description_races :]:
            tasks.append((self.description_race, ticket_id, race_clients))
        self.rng.shuffle(tasks)
        return tasks

    def run_task(self, task):
        if time.monotonic() > self.deadline:
            with self.lock:
                self.skipped += 1
            return
        task[0](*task[1:])

    def run(self):
        db = self.server.db
        reps = self.plan["reps"]
        rep_clients = [
            RpcClient(self.base, db, login, password, self.recorder)
            for _uid, login, password in reps
            for _copy in range(2)
        ]
        admins = [
            RpcClient(self.base, db, "admin", self.args.admin_password, self.recorder)
            for _ in range(4)
        ]
        race_clients = [
            RpcClient(self.base, db, login, password, self.recorder)
            for _uid, login, password in reps[:2]
        ]
        cron_admin = RpcClient(
            self.base, db, "admin", self.args.admin_password, self.recorder
        )
        tasks = self.tasks(ClientPool(rep_clients), ClientPool(admins), race_clients)
        self.deadline = time.monotonic() + self.args.load_seconds
        cron_thread = threading.Thread(target=self.cron_loop, args=(cron_admin,))
        started = time.perf_counter()
        cron_thread.start()
        with ThreadPoolExecutor(self.args.clients) as executor:
            futures = [executor.submit(self.run_task, task) for task in tasks]
            wait(futures)
            failures = [f.exception() for f in futures if f.exception()]
        self.stop_crons.set()
        cron_thread.join()
        for failure in failures[:5]:
            print(f"  client task failed: {failure!r}", flush=True)
        return time.perf_counter() - started, len(failures)


def message_id(result):
    """message_post over RPC answers the message's id (or [id])."""
    if isinstance(result, list):
        return result[0]
    return result


# ----------------------------------------------------------------------
# Checks (SQL, in this process)
# ----------------------------------------------------------------------


def check_feedback(cr, plan, submissions):
    """Every rating answered exactly once, by the first accepted answer."""
    items = {item["token"]: item for item in plan["feedback"]}
    outcomes = defaultdict(list)
    for token, answer, comment, outcome in submissions:
        outcomes[token].append((answer, comment, outcome))
    cr.execute(
        "SELECT access_token, consumed, rating, feedback FROM rating_rating "
        "WHERE id IN %s",
        [tuple(item["rating"] for item in items.values())],
    )
    ratings = {row[0]: row[1:] for row in cr.fetchall()}
    cr.execute(
        "SELECT res_id, count(*) FROM mail_message WHERE model = 'helpdesk.ticket'"
        " AND res_id IN %s AND body LIKE %s GROUP BY res_id",
        [tuple(item["ticket"] for item in items.values()), f"%{ANSWER_NOTE}%"],
    )
    notes = dict(cr.fetchall())
    cr.execute(
        "SELECT t.id, s.closed FROM helpdesk_ticket t "
        "JOIN helpdesk_ticket_stage s ON s.id = t.stage_id WHERE t.id IN %s",
        [tuple(item["ticket"] for item in items.values())],
    )
    closed = dict(cr.fetchall())
    result = Counter()
    result["questions (resolved tickets)"] = len(ratings)
    result["consumed ratings"] = sum(bool(row[0]) for row in ratings.values())
    result["answer notes on these tickets"] = sum(notes.values())
    result["ratings differing from the accepted answer"] = 0
    result["'bad' answers whose ticket did not reopen"] = 0
    problems = []
    for token, tries in outcomes.items():
        if any(o[2] in ANSWER_OUTCOMES for o in tries):
            result["customers that submitted"] += 1
        thanks = [o for o in tries if o[2] == "thanks"]
        consumed, value, feedback = ratings[token]
        ticket = items[token]["ticket"]
        if not consumed:
            problems.append(
                f"ticket {ticket}: answered, yet its rating is not consumed"
            )
        result["submissions"] += len(tries)
        result["refused as already answered"] += sum(o[2] == "answered" for o in tries)
        if len(thanks) != 1:
            problems.append(f"token {token[:8]}…: {len(thanks)} accepted answers")
            continue
        answer, comment, _outcome = thanks[0]
        if (value, feedback) != (ANSWERS[answer], comment):
            result["ratings differing from the accepted answer"] += 1
            problems.append(
                f"ticket {ticket}: rating {value} {feedback!r}, first answer "
                f"{answer} {comment!r}"
            )
        if notes.get(ticket, 0) != 1:
            problems.append(f"ticket {ticket}: {notes.get(ticket, 0)} answer notes")
        if (answer == "bad") == closed[ticket]:
            result["'bad' answers whose ticket did not reopen"] += answer == "bad"
            problems.append(
                f"ticket {ticket}: answer {answer}, closed {closed[ticket]}"
            )
        result["tickets with exactly one answer note"] += notes.get(ticket) == 1
    result["other outcomes"] = sum(
        o[2] not in ANSWER_OUTCOMES for tries in outcomes.values() for o in tries
    )
    return result, problems


ANSWER_OUTCOMES = ("thanks", "answered", "expired")


def open_activity_condition(cr):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = "
        "'mail_activity' AND column_name = 'active'"
    )
    return "AND a.active" if cr.fetchone() else ""


def check_scheduler(cr, activity_type):
    """At most one open proactive contact per partner; one for every due or
    overdue partner someone can be assigned to; none for the others."""
    active = open_activity_condition(cr)
    cr.execute(
        f"""SELECT count(*) FROM (
              SELECT a.res_id FROM mail_activity a
               WHERE a.res_model = 'res.partner' AND a.activity_type_id = %s {active}
            GROUP BY a.res_id HAVING count(*) > 1) d""",
        [activity_type],
    )
    duplicates = cr.fetchone()[0]
    cr.execute(
        f"""SELECT
              (p.user_id IS NOT NULL OR c.user_id IS NOT NULL) AS assignable,
              p.custcare_contact_state IN ('due', 'overdue') AS due,
              EXISTS (SELECT 1 FROM mail_activity a
                       WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                         AND a.activity_type_id = %s {active}) AS planned,
              count(*)
            FROM res_partner p JOIN res_partner c ON c.id = p.commercial_partner_id
           WHERE p.custcare_under_care AND p.active
        GROUP BY 1, 2, 3""",
        [activity_type],
    )
    groups = {(a, d, p): n for a, d, p, n in cr.fetchall()}
    return {
        "partners under care": sum(groups.values()),
        "due/overdue with a salesperson": groups.get((True, True, True), 0)
        + groups.get((True, True, False), 0),
        "... with one open proactive contact": groups.get((True, True, True), 0),
        "... missing one": groups.get((True, True, False), 0),
        "partners with more than one": duplicates,
        "not due or no salesperson, yet planned": sum(
            n for (a, d, p), n in groups.items() if p and not (a and d)
        ),
    }


def check_mentions(cr, run):
    cr.execute(
        """SELECT count(*) FROM (
              SELECT 1 FROM custcare_competitor_mention
            GROUP BY competitor_id, res_model, res_id, source_key
              HAVING count(*) > 1) d"""
    )
    result = {"duplicate mentions": cr.fetchone()[0]}
    keys = {
        f"message:{mid}": (ticket, comps) for mid, ticket, comps in run.customer_emails
    }
    found = defaultdict(set)
    if keys:
        cr.execute(
            "SELECT source_key, res_id, competitor_id, spontaneous "
            "FROM custcare_competitor_mention WHERE res_model = 'helpdesk.ticket' "
            "AND source_key IN %s",
            [tuple(keys)],
        )
        for key, res_id, competitor_id, spontaneous in cr.fetchall():
            if res_id == keys[key][0] and spontaneous:
                found[key].add(competitor_id)
    naming = {k: v for k, v in keys.items() if v[1]}
    result["customer emails posted"] = len(keys)
    result["... naming a competitor"] = len(naming)
    result["... whose mentions are exactly the competitors named"] = sum(
        found[k] == comps for k, (_t, comps) in keys.items()
    )
    result["expected mentions"] = sum(len(c) for _t, c in keys.values())
    result["mentions found"] = sum(len(v) for v in found.values())
    rep_keys = tuple(f"message:{mid}" for mid in run.rep_messages) or ("",)
    cr.execute(
        "SELECT count(*) FROM custcare_competitor_mention WHERE source_key IN %s",
        [rep_keys],
    )
    result["mentions from reps' own messages (expected 0)"] = cr.fetchone()[0]
    races = run.description_races
    if races:
        cr.execute(
            "SELECT res_id, competitor_id, count(*) FROM custcare_competitor_mention"
            " WHERE res_model = 'helpdesk.ticket' AND source_key = 'description'"
            " AND res_id IN %s GROUP BY 1, 2",
            [tuple(r[0] for r in races)],
        )
        counts = {(t, c): n for t, c, n in cr.fetchall()}
        result["description races"] = len(races)
        result["... with one mention of the competitor"] = sum(
            counts.get((t, c)) == 1 for t, c, _e in races
        )
        result["... where a save failed"] = sum(bool(e) for _t, _c, e in races)
    return result


def check_notices(cr, plan):
    """Promise passed: told once; later check: asked once."""
    result = {}
    if plan["promise_tickets"]:
        cr.execute(
            "SELECT count(*) FILTER (WHERE custcare_promise_notified),"
            " count(*) FILTER (WHERE custcare_notice_count = 1),"
            " count(*) FILTER (WHERE custcare_notice_count > 1)"
            " FROM helpdesk_ticket WHERE id IN %s",
            [tuple(plan["promise_tickets"])],
        )
        notified, once, more = cr.fetchone()
        result["promise tickets"] = len(plan["promise_tickets"])
        result["... told (notified flag / one notice / more than one)"] = (
            f"{notified} / {once} / {more}"
        )
    if plan["later_tickets"]:
        cr.execute(
            "SELECT res_id, count(*) FROM rating_rating WHERE res_model = "
            "'helpdesk.ticket' AND custcare_notice = 'later' AND res_id IN %s "
            "GROUP BY res_id",
            [tuple(plan["later_tickets"])],
        )
        counts = Counter(dict(cr.fetchall()).values())
        result["later-check tickets"] = len(plan["later_tickets"])
        result["... asked once / more than once"] = (
            f"{counts.get(1, 0)} / {sum(n for k, n in counts.items() if k > 1)}"
        )
    return result


def _traceback_end(lines, i):
    """Index of the exception line that closes the traceback at ``i``."""
    j = i + 1
    while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j]):
        j += 1
    return min(j, len(lines) - 1)


def log_problems(paths):
    """ERROR and CRITICAL records (by logger and message, numbers blanked)
    and tracebacks (by their exception line), counted."""
    found = Counter()
    for path in paths:
        if not path.exists():
            continue
        lines = path.read_text(errors="replace").splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("Traceback"):
                i = _traceback_end(lines, i)
                found[f"{path.name}: Traceback → {lines[i][:140]}"] += 1
            else:
                match = LOG_LINE.match(line)
                if match and match.group(2) in ("ERROR", "CRITICAL"):
                    message = re.sub(r"\d+", "N", match.group(5))[:140]
                    if message.startswith("bad query"):
                        message = _bad_query(lines, i)
                    level, logger = match.group(2), match.group(4)
                    found[f"{path.name}: {level} {logger}: {message}"] += 1
            i += 1
    return found


def _bad_query(lines, i):
    """Odoo logs each failed query (even a serialization failure that it
    then retries): name its statement, table and PostgreSQL's error."""
    text = "\n".join(lines[i : i + 40])
    statement = re.search(r'(UPDATE|INSERT INTO|DELETE FROM|FROM)\s+"?(\w+)', text)
    error = re.search(r"^ERROR:\s+(.*)$", text, re.MULTILINE)
    what = " ".join(statement.groups()) if statement else "?"
    return f"bad query: {what} → {error.group(1) if error else '?'}"


WERKZEUG = re.compile(
    r'"(GET|POST|HEAD) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)'
)
ROUTES = [
    ("/submit", "feedback submit (POST)"),
    ("/custcare/feedback/", "feedback page (GET)"),
    ("/web/session/authenticate", "login"),
    ("helpdesk.ticket.message_post", "message_post (reps and customer emails)"),
    ("helpdesk.ticket.write", "ticket description write (RPC)"),
    ("ir.cron.method_direct_trigger", "cron run (RPC direct, whole job)"),
    ("action_custcare_schedule_contacts", "scheduler button (RPC)"),
]


def server_times(logfile, offset, end_offset):
    """Per route, from Odoo's werkzeug lines (queries, query time, other
    time): how long the server itself spent, without the queueing."""
    times = defaultdict(list)
    queries = defaultdict(list)
    with open(logfile, errors="replace") as log:
        log.seek(offset)
        text = log.read(max(end_offset - offset, 0))
    for match in WERKZEUG.finditer(text):
        path = match.group(2)
        label = next((lbl for key, lbl in ROUTES if key in path), None)
        if label:
            times[label].append((float(match.group(5)) + float(match.group(6))) * 1000)
            queries[label].append(int(match.group(4)))
    lines = [
        "| route (server side) | count | p50 ms | p95 ms | median queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for label in sorted(times):
        values = times[label]
        lines.append(
            f"| {label} | {len(values)} | {statistics.median(values):.0f} | "
            f"{percentile(values, 0.95):.0f} | "
            f"{statistics.median(queries[label]):.0f} |"
        )
    return lines


def failed_mails(cr):
    """Mails Odoo could not hand to the SMTP sink, by kind and author."""
    cr.execute(
        """SELECT mm.message_type, mm.model, coalesce(p.name, '-'),
                  split_part(coalesce(m.failure_reason, ''), E'\n', 1), count(*)
             FROM mail_mail m JOIN mail_message mm ON mm.id = m.mail_message_id
        LEFT JOIN res_partner p ON p.id = mm.author_id
            WHERE m.state = 'exception' GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC"""
    )
    return {
        f"{kind} on {model or '-'} by {author}: {reason[:90]}": count
        for kind, model, author, reason, count in cr.fetchall()
    }


# ----------------------------------------------------------------------
# Fault run
# ----------------------------------------------------------------------


class FaultRun:
    """Kill the cron worker in the middle of the contact scheduler."""

    def __init__(self, registry, server, plan, args, rng):
        self.registry = registry
        self.server = server
        self.plan = plan
        self.args = args
        self.rng = rng
        self.cron_id = plan["crons"]["schedule"]
        self.facts = {}
        self.timings = {}
        self.checks = None
        self.offset = 0

    def sql(self, query, params=None):
        with self.registry.cursor() as cr:
            cr.execute(query, params or [])
            return cr.fetchall()

    def activities(self):
        return self.sql(
            "SELECT count(*) FROM mail_activity WHERE res_model = 'res.partner' "
            "AND activity_type_id = %s",
            [self.plan["activity_type"]],
        )[0][0]

    def lock_holder(self):
        rows = self.sql(
            """SELECT l.pid, a.application_name, a.state FROM pg_locks l
                 JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted
                  AND l.database = (SELECT oid FROM pg_database
                                     WHERE datname = current_database())
                  AND l.classid = %s AND l.objid = %s AND l.objsubid = 1""",
            [SCHEDULER_LOCK >> 32, SCHEDULER_LOCK & 0xFFFFFFFF],
        )
        return rows[0] if rows else None

    def cron_row_lockers(self):
        """Backends holding a row lock on ir_cron (the cron worker's
        ``cron_cr`` keeps one on the job it runs), with their Odoo pid."""
        rows = self.sql(
            """SELECT a.application_name FROM pg_locks l
                 JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.relation = 'ir_cron'::regclass AND l.mode = 'RowShareLock'
                  AND a.pid <> pg_backend_pid()"""
        )
        pids = set()
        for (name,) in rows:
            if name and name.startswith("odoo-") and name[5:].isdigit():
                pids.add(int(name[5:]))
        return pids

    def pending_triggers(self):
        return self.sql(
            "SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s "
            "AND call_at <= now() at time zone 'UTC'",
            [self.cron_id],
        )[0][0]

    def trigger(self):
        """As the managers' button does: ``_trigger()`` (and its NOTIFY wakes
        the cron worker)."""
        offset = self.server.logfile.stat().st_size
        with self.registry.cursor() as cr:
            env = admin_env(cr)
            env["ir.cron"].browse(self.cron_id)._trigger()
        return offset

    def job_lines(self, offset):
        """(pid, event) of the scheduler's job lines in the log after offset:
        event 'starting' or its end status."""
        pattern = re.compile(
            rf"^\S+ \S+ (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: "
            rf"Job '.*' \({self.cron_id}\) (starting|fully done|partially done|failed)"
        )
        events = []
        with open(self.server.logfile, errors="replace") as log:
            log.seek(offset)
            for line in log:
                match = pattern.match(line)
                if match:
                    events.append((int(match.group(1)), match.group(2)))
        return events

    def wait_for(self, condition, timeout, step=0.2):
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            value = condition()
            if value:
                return value
            time.sleep(step)
        return None

    def seed(self):
        started = time.perf_counter()
        with self.registry.cursor() as cr:
            env = admin_env(cr)
            reps = env["res.users"].browse(self.plan["rep_ids"])
            tier = env["custcare.tier"].browse(self.plan["tier_id"])
            made = seed_care(
                env, self.args.fault_customers, reps, tier, self.rng, "Fault", mix=False
            )
        self.timings["seed overdue customers"] = time.perf_counter() - started
        self.facts["overdue customers seeded"] = made

    def kill_mid_batch(self, baseline, batch):
        """Wait until at least one batch is committed and the next one is in
        flight (the lock is held), then SIGKILL the process running the job."""

        def ready():
            holder = self.lock_holder()
            made = self.activities() - baseline
            if holder and batch <= made < self.args.fault_customers:
                return holder, made
            return None

        found = self.wait_for(ready, timeout=300, step=0.1)
        if not found:
            return None
        (backend, app_name, state), made = found
        job_pids = {
            pid for pid, event in self.job_lines(self.offset) if event == "starting"
        }
        lockers = self.cron_row_lockers()
        workers = set(self.server.cron_workers())
        candidates = job_pids & workers
        if lockers:
            # cron_cr, opened in the worker, is named odoo-<worker pid>
            candidates &= lockers
        if len(candidates) != 1:
            raise RuntimeError(
                f"cannot tell the cron worker: job log pids {job_pids}, cron "
                f"workers {workers}, ir_cron row lockers {lockers}"
            )
        pid = candidates.pop()
        os.kill(pid, signal.SIGKILL)
        self.facts["killed process"] = (
            f"pid {pid}: child of the server with nice 10 (WorkerCron), logged the "
            f"job's start; ir_cron row lock held by odoo-pid {sorted(lockers)}; "
            f"scheduler lock held by backend {backend} ({app_name}, {state}; "
            "the job's cursor comes from the registry the master preloaded, "
            "hence the master's pid in its name)"
        )
        self.facts["activities committed when killed"] = made
        return pid

    def run(self):
        self.seed()
        baseline = self.activities()
        started = time.perf_counter()
        self.offset = self.trigger()
        killed = self.kill_mid_batch(baseline, self.args.batch)
        killed_at = time.perf_counter()
        self.timings["trigger → kill"] = killed_at - started
        if not killed:
            self.facts["kill"] = (
                "missed: the scheduler finished before a batch was caught"
            )
            return self.finish(started)
        respawned = self.wait_for(
            lambda: [p for p in self.server.cron_workers() if p != killed], 60
        )
        self.timings["kill → new cron worker"] = time.perf_counter() - killed_at
        self.facts["new cron worker"] = respawned[0] if respawned else "none"
        self.wait_for(lambda: not self.lock_holder(), 120)
        self.timings["kill → scheduler lock released"] = time.perf_counter() - killed_at
        self.facts["activities after the kill (rolled back batch)"] = (
            self.activities() - baseline
        )
        self.facts["job trigger still pending after the kill"] = self.pending_triggers()
        progress = self.sql(
            "SELECT done, remaining, timed_out_counter FROM ir_cron_progress "
            "WHERE cron_id = %s ORDER BY id DESC LIMIT 1",
            [self.cron_id],
        )
        self.facts["last cron progress (done, remaining, timed out)"] = (
            progress[0] if progress else None
        )
        rerun = time.perf_counter()
        self.offset = self.trigger()
        ended = self.wait_for(self.job_ended, timeout=600, step=0.5)
        self.timings["rerun → scheduler done"] = time.perf_counter() - rerun
        self.facts["rerun"] = ended or "did not finish in 600 s"
        return self.finish(started)

    def job_ended(self):
        """The runs since ``self.offset``, once the last one ended and none is
        pending or holds the scheduler lock."""
        events = self.job_lines(self.offset)
        if (
            not any(event == "starting" for _pid, event in events)
            or events[-1][1] == "starting"
            or self.pending_triggers()
            or self.lock_holder()
        ):
            return None
        return ", ".join(f"{event} (pid {pid})" for pid, event in events)

    def finish(self, started):
        self.timings["fault run total (trigger → checked)"] = (
            time.perf_counter() - started
        )
        with self.registry.cursor() as cr:
            checks = check_scheduler(cr, self.plan["activity_type"])
            cr.execute(
                "SELECT failure_count, active FROM ir_cron WHERE id = %s",
                [self.cron_id],
            )
            checks["scheduler cron (failure count, active)"] = cr.fetchone()
        return checks


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency_table(recorder, seconds):
    lines = [
        (
            "| request | count | req/s | p50 ms | p95 ms | max ms | HTTP 5xx "
            "| other non-200 |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total_5xx = 0
    for kind in sorted(recorder.latencies):
        values = recorder.latencies[kind]
        statuses = recorder.statuses[kind]
        errors_5xx = sum(
            n for s, n in statuses.items() if isinstance(s, int) and s >= 500
        )
        other = sum(n for s, n in statuses.items() if s != 200) - errors_5xx
        total_5xx += errors_5xx
        lines.append(
            f"| {kind} | {len(values)} | {len(values) / seconds:.1f} | "
            f"{statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | "
            f"{max(values):.0f} | {errors_5xx} | {other} |"
        )
    return lines, total_5xx


def table(title, mapping):
    lines = [f"| {title} | value |", "|---|---:|"]
    lines += [f"| {key} | {value} |" for key, value in mapping.items()]
    return lines


def print_lines(lines):
    print("\n".join(lines), flush=True)


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="load_bench")
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--competitors", type=int, default=20)
    parser.add_argument("--care", type=int, default=500, help="care customers")
    parser.add_argument("--later-tickets", type=int, default=20)
    parser.add_argument("--promise-tickets", type=int, default=20)
    parser.add_argument("--emails", type=int, default=150, help="customer emails")
    parser.add_argument("--rep-posts", type=int, default=100)
    parser.add_argument("--description-races", type=int, default=10)
    parser.add_argument("--twice", type=float, default=0.2, help="answer twice")
    parser.add_argument(
        "--race", type=float, default=0.1, help="answer from two sessions at once"
    )
    parser.add_argument("--cron-interval", type=float, default=2.0)
    parser.add_argument(
        "--load-seconds", type=float, default=180, help="no new task after this"
    )
    parser.add_argument("--fault-customers", type=int, default=30000)
    parser.add_argument("--batch", type=int, default=10000, help="scheduler batch")
    parser.add_argument("--skip-fault", action="store_true")
    parser.add_argument(
        "--raw-gevent",
        action="store_true",
        help="do not give the server metadata stubs for gevent's dependencies",
    )
    parser.add_argument("--admin-password", default="load-bench-admin")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if not args.db.startswith("load_"):
        parser.error("--db must start with load_")
    return args


def wait_cron_idle(fault, timeout=300):
    """Until no scheduler run is in flight or pending (cron worker)."""
    fault.wait_for(
        lambda: not fault.lock_holder() and not fault.pending_triggers(),
        timeout,
        step=0.5,
    )


def load_phase(registry, server, plan, args, rng):
    recorder = Recorder()
    run = LoadRun(server, args, plan, recorder, rng)
    log_start = server.logfile.stat().st_size
    load_before = os.getloadavg()[0]
    seconds, failed_tasks = run.run()
    load_after = os.getloadavg()[0]
    server_side = server_times(server.logfile, log_start, server.logfile.stat().st_size)
    fault = FaultRun(registry, server, plan, args, rng)
    wait_cron_idle(fault)
    if not run.cron_results["scheduler (RPC direct)"].get("ok"):
        # a check needs one complete run; say so if the load never got one
        run.cron_results["scheduler (after the load)"]["ok"] = 1
        fault.offset = fault.trigger()
        fault.wait_for(fault.job_ended, 300, step=0.5)
    with registry.cursor() as cr:
        feedback, problems = check_feedback(cr, plan, run.submissions)
        scheduler = check_scheduler(cr, plan["activity_type"])
        mentions = check_mentions(cr, run)
        notices = check_notices(cr, plan)
        mails = failed_mails(cr)
    return {
        "loadavg": (load_before, load_after),
        "server_side": server_side,
        "failed_mails": mails,
        "recorder": recorder,
        "run": run,
        "seconds": seconds,
        "failed_tasks": failed_tasks,
        "feedback": feedback,
        "problems": problems,
        "scheduler": scheduler,
        "mentions": mentions,
        "notices": notices,
    }


def report_load(load, sink):
    run = load["run"]
    lines, total_5xx = latency_table(load["recorder"], load["seconds"])
    print(f"\n### Load run ({load['seconds']:.0f} s)\n", flush=True)
    print_lines(lines)
    print()
    print_lines(load["server_side"])
    outcomes = Counter(s[3] for s in run.submissions)
    print(
        "\nFeedback submissions by outcome: "
        + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    )
    cron_lines = ["", "| cron trigger | outcomes |", "|---|---|"]
    for label, counts in sorted(run.cron_results.items()):
        summary = ", ".join(
            f"{k} {v:.0f}" if k != "seconds" else f"{v:.1f} s in total"
            for k, v in counts.items()
        )
        cron_lines.append(f"| {label} | {summary} |")
    print_lines(cron_lines)
    rpc_lines = ["", "| RPC errors | count |", "|---|---:|"]
    for kind, errors in load["recorder"].rpc_errors.items():
        rpc_lines += [f"| {kind}: {e} | {n} |" for e, n in errors.items()]
    print_lines(rpc_lines)
    print()
    print_lines(table("feedback invariant", dict(load["feedback"])))
    print()
    print_lines(table("scheduler invariant (after the load)", load["scheduler"]))
    print()
    print_lines(table("competitor mentions", load["mentions"]))
    print()
    print_lines(table("notices", load["notices"]))
    print()
    print_lines(table("mails Odoo failed to send", load["failed_mails"] or {"none": 0}))
    print(f"\nmails accepted by the SMTP sink: {sink.mails}")
    print(
        f"HTTP 5xx: {total_5xx}; client tasks that raised: {load['failed_tasks']}; "
        f"tasks skipped (--load-seconds reached): {run.skipped}"
    )
    for problem in load["problems"][:20]:
        print(f"  feedback problem: {problem}")
    for (kind, message), example in load["recorder"].examples.items():
        tail = "\n".join(example.splitlines()[-12:])
        print(f"\n  first {kind} error {message!r}, ends:\n{tail}", flush=True)


def findings_of(load, fault_checks, problems):
    """What a reader must look at: broken invariants, errors, failed saves."""
    found = []
    _lines, total_5xx = latency_table(load["recorder"], load["seconds"])
    if total_5xx:
        found.append(f"{total_5xx} HTTP 5xx answers")
    if load["failed_tasks"]:
        found.append(f"{load['failed_tasks']} client tasks raised")
    if load["run"].skipped:
        found.append(f"{load['run'].skipped} load tasks skipped (--load-seconds)")
    found += [f"feedback: {p}" for p in load["problems"]]
    for phase, checks in (("load", load["scheduler"]), ("fault", fault_checks)):
        if not checks:
            continue
        for key in (
            "... missing one",
            "partners with more than one",
            "not due or no salesperson, yet planned",
        ):
            if checks[key]:
                found.append(f"scheduler after the {phase} run: {key} = {checks[key]}")
    mentions = load["mentions"]
    if mentions["duplicate mentions"]:
        found.append(f"{mentions['duplicate mentions']} duplicate mentions")
    exact = "... whose mentions are exactly the competitors named"
    if mentions[exact] != mentions["customer emails posted"]:
        found.append(
            f"mentions: {mentions[exact]} of {mentions['customer emails posted']} "
            "customer emails have exactly the mentions named"
        )
    if mentions["mentions from reps' own messages (expected 0)"]:
        found.append("mentions were made from reps' own messages")
    if mentions.get("... where a save failed"):
        found.append(
            f"description races: {mentions['... where a save failed']} of "
            f"{mentions['description races']} concurrent saves failed"
        )
    for kind, errors in load["recorder"].rpc_errors.items():
        for error, count in errors.items():
            if "already executing" not in error:
                found.append(f"RPC error x{count} on {kind}: {error}")
    for label, counts in load["run"].cron_results.items():
        found += [f"cron {label}: {k} x{n}" for k, n in counts.items() if "fail" in k]
    found += [f"mail not sent x{n}: {k}" for k, n in load["failed_mails"].items()]
    found += [f"log x{n}: {k}" for k, n in problems.items()]
    return found


def summary(load, fault, problems):
    """One table for the README."""
    recorder = load["recorder"]
    _lines, total_5xx = latency_table(recorder, load["seconds"])
    requests_count = sum(len(v) for v in recorder.latencies.values())

    def lat(kind):
        values = recorder.latencies.get(kind) or [0]
        return (
            f"p50 {statistics.median(values):.0f} ms, "
            f"p95 {percentile(values, 0.95):.0f} ms"
        )

    feedback = load["feedback"]
    scheduler = load["scheduler"]
    mentions = load["mentions"]
    rows = {
        "load: requests, time, HTTP 5xx": (
            f"{requests_count} in {load['seconds']:.0f} s "
            f"({requests_count / load['seconds']:.1f} req/s), 5xx: {total_5xx}"
        ),
        "machine load average (1 min), before → after the load": (
            "{:.1f} → {:.1f} (2 cores, shared)".format(*load["loadavg"])
        ),
        "feedback page GET / submit POST": (
            f"{lat('feedback page (GET)')} / {lat('feedback submit (POST)')}"
        ),
        "rep message_post / customer email (RPC)": (
            f"{lat('rep message_post (RPC)')} / {lat('customer email (RPC as admin)')}"
        ),
        "a token answers once": (
            f"{feedback['consumed ratings']} consumed of "
            f"{feedback['customers that submitted']} customers who submitted "
            f"({feedback['submissions']} submissions, "
            f"{feedback['refused as already answered']} refused as already "
            f"answered); one answer note on "
            f"{feedback['tickets with exactly one answer note']} tickets; "
            f"{len(load['problems'])} problems"
        ),
        "proactive contacts after the load": (
            f"{scheduler['... with one open proactive contact']} of "
            f"{scheduler['due/overdue with a salesperson']} due partners planned, "
            f"{scheduler['partners with more than one']} with more than one"
        ),
        "competitor mentions": (
            f"{mentions['mentions found']} of {mentions['expected mentions']} "
            f"expected from {mentions['customer emails posted']} customer emails, "
            f"{mentions['duplicate mentions']} duplicates; concurrent description "
            f"saves failed: {mentions.get('... where a save failed', 0)} of "
            f"{mentions.get('description races', 0)}"
        ),
    }
    if fault:
        checks = fault.checks
        rows["fault: cron worker SIGKILLed mid-batch"] = (
            f"after {fault.facts.get('activities committed when killed', '?')} "
            f"activities committed; new cron worker in "
            f"{fault.timings.get('kill → new cron worker', 0):.1f} s; rerun done in "
            f"{fault.timings.get('rerun → scheduler done', 0):.1f} s"
        )
        rows["fault: proactive contacts after the rerun"] = (
            f"{checks['... with one open proactive contact']} of "
            f"{checks['due/overdue with a salesperson']} due partners planned, "
            f"{checks['... missing one']} missing, "
            f"{checks['partners with more than one']} with more than one"
        )
    rows["server log: ERROR / CRITICAL / tracebacks"] = sum(problems.values())
    return table("bench_load", rows)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="load_bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"logs in {workdir}", flush=True)
    sink = SmtpSink()
    timings = {}
    started = time.perf_counter()
    build_database(args.db, workdir)
    timings["build database (install custcare_loop)"] = time.perf_counter() - started
    registry = open_registry(args.db)
    step = time.perf_counter()
    plan = seed(registry, args, sink.port, rng)
    timings["seed"] = time.perf_counter() - step
    print(f"mail queue after seeding: {plan['seed mails']}", flush=True)
    server_env, stubs = (None, []) if args.raw_gevent else gevent_environment(workdir)
    if stubs:
        print(
            "environment: pkg_resources cannot find "
            + ", ".join(stubs)
            + " (normalised dist-info names), so Odoo's gevent worker would die "
            "at start and be respawned without end; the server gets metadata "
            "stubs on its PYTHONPATH (--raw-gevent: run without them)",
            flush=True,
        )
    server = Server(args.db, workdir, server_env)
    fault = None
    try:
        timings["server start → /web/login 200"] = server.start()
        print(f"server on {server.base} (pid {server.proc.pid})", flush=True)
        step = time.perf_counter()
        load = load_phase(registry, server, plan, args, rng)
        timings["load run and its checks"] = time.perf_counter() - step
        report_load(load, sink)
        if not args.skip_fault:
            step = time.perf_counter()
            fault = FaultRun(registry, server, plan, args, rng)
            fault.checks = fault.run()
            timings["fault run (seed, kill, rerun, checks)"] = (
                time.perf_counter() - step
            )
            report_fault(fault)
    finally:
        server.stop()
        from odoo import sql_db

        sql_db.close_all()
        sink.stop()
        if not args.keep:
            drop_database(args.db)
    timings["total"] = time.perf_counter() - started
    problems = log_problems([server.logfile, server.outfile])
    print("\n### Server log\n")
    print_lines(
        table("ERROR / CRITICAL / Traceback lines", dict(problems) or {"none": 0})
    )
    print()
    print_lines(table("timing (s)", {k: f"{v:.1f}" for k, v in timings.items()}))
    print("\n### Summary\n")
    print_lines(summary(load, fault, problems))
    findings = findings_of(load, fault and fault.checks, problems)
    print("\n### Findings\n")
    print_lines([f"- {f}" for f in findings] or ["- none"])
    return 1 if findings else 0


def report_fault(fault):
    print("\n### Fault run\n")
    print_lines(table("fault run", fault.facts))
    print()
    timing = {k: f"{v:.1f}" for k, v in fault.timings.items()}
    print_lines(table("fault run timing (s)", timing))
    print()
    print_lines(table("scheduler invariant (after the fault run)", fault.checks))


if __name__ == "__main__":
    sys.exit(main())
