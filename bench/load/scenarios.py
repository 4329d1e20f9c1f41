"""The load run (concurrent clients) and the fault run (a cron worker
SIGKILLed mid-batch)."""

import itertools
import os
import re
import signal
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, wait

import requests

from .checks import (
    check_feedback,
    check_mentions,
    check_notices,
    check_scheduler,
    failed_mails,
)
from .clients import ClientPool, Recorder, Router, RpcClient, classify, message_id
from .common import ANSWERS, CSRF, SCHEDULER_LOCK
from .report import server_times
from .seed import FILLER, seed_care, spoken
from .server import admin_env


class LoadRun:
    """Everything the load run sends, and what came back. ``router`` says
    which server each request goes to."""

    # a customer whose page or answer got no response (its server died)
    # sends it again, to a server that is up; one server: never
    resend_lost = 0

    def __init__(self, router, args, plan, recorder, rng):
        self.router = router
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

    def send(self, kind, request):
        """``request(base URL)`` to the server the router picks."""
        server = self.router.pick()
        return self.recorder.timed(kind, lambda: request(server.base), server.name)

    def open_page(self, session, token, answer):
        for _attempt in range(1 + self.resend_lost):
            response = self.send(
                "feedback page (GET)",
                lambda base: session.get(
                    f"{base}/custcare/feedback/{token}/{answer}", timeout=120
                ),
            )
            if response is not None:
                break
        match = response is not None and CSRF.search(response.text)
        return match.group(1) if match else None

    def submit(self, session, token, answer, csrf):
        comment = f"load comment {next(self.comment_ids)}"
        for _attempt in range(1 + self.resend_lost):
            response = self.send(
                "feedback submit (POST)",
                lambda base: session.post(
                    f"{base}/custcare/feedback/{token}/submit",
                    data={"answer": answer, "comment": comment, "csrf_token": csrf},
                    timeout=120,
                ),
            )
            outcome = classify(response) if csrf else "no CSRF token on the page"
            with self.lock:
                self.submissions.append((token, answer, comment, outcome))
            if response is not None:
                break
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
        db = self.args.db
        reps = self.plan["reps"]
        rep_clients = [
            RpcClient(self.router, db, login, password, self.recorder)
            for _uid, login, password in reps
            for _copy in range(2)
        ]
        admins = [
            RpcClient(self.router, db, "admin", self.args.admin_password, self.recorder)
            for _ in range(4)
        ]
        race_clients = [
            RpcClient(self.router, db, login, password, self.recorder)
            for _uid, login, password in reps[:2]
        ]
        cron_admin = RpcClient(
            self.router, db, "admin", self.args.admin_password, self.recorder
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


class SchedulerWatch:
    """The contact scheduler seen from the database (its lock, its
    activities, its pending triggers) and from a server's log (its runs)."""

    def __init__(self, registry, server, plan):
        self.registry = registry
        self.server = server
        self.plan = plan
        self.cron_id = plan["crons"]["schedule"]
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


class FaultRun(SchedulerWatch):
    """Kill the cron worker in the middle of the contact scheduler."""

    def __init__(self, registry, server, plan, args, rng):
        super().__init__(registry, server, plan)
        self.args = args
        self.rng = rng
        self.facts = {}
        self.timings = {}
        self.checks = None

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


def wait_cron_idle(watch, timeout=300):
    """Until no scheduler run is in flight or pending (cron worker)."""
    watch.wait_for(
        lambda: not watch.lock_holder() and not watch.pending_triggers(),
        timeout,
        step=0.5,
    )


def load_phase(registry, server, plan, args, rng):
    recorder = Recorder()
    run = LoadRun(Router([server]), args, plan, recorder, rng)
    log_start = server.logfile.stat().st_size
    load_before = os.getloadavg()[0]
    seconds, failed_tasks = run.run()
    load_after = os.getloadavg()[0]
    server_side = server_times(server.logfile, log_start, server.logfile.stat().st_size)
    fault = SchedulerWatch(registry, server, plan)
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
