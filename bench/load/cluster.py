"""Past one machine: two Odoo servers on one PostgreSQL primary and its
streaming replica, one of them SIGKILLed mid-load (issue 22).

- ``PageViews``: public page views (the answer page and the FAQ), alternating
  between the servers, with the primary's and the replica's transactions
  counted from ``pg_stat_database``; run with the servers started without
  and with ``--db_replica_host``.
- ``ClusterLoadRun``: the load run (feedback, FAQ, messages, scheduler) with
  clients alternating between the servers; mid-run one server's whole
  process group is SIGKILLed (preferably while one of its workers holds the
  contact scheduler's lock, a batch in flight) and the balancer stops
  sending to it; a customer whose page or answer got no response sends it
  again, to the server that is up.
"""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from .clients import Recorder, Router
from .common import ANSWERS
from .scenarios import LoadRun
from .seed import FILLER
from .server import psql

# what Odoo logs when a readonly route wrote (and is served again on the
# primary), and when it cannot reach the replica
READONLY_RETRY = "retrying with a read/write cursor"
REPLICA_FALLBACK = "Failed to open a readonly cursor"
# a request to the killed server that started this soon after the kill was
# routed there before the balancer took it out
ROUTING_GRACE = 1.0


def app_name(server_name):
    """``--db_app_name`` of a server: its backends say which server they
    serve (``{pid}`` is Odoo's)."""
    return f"bench-{server_name}-{{pid}}"


def transactions(db, replica=None):
    """Transactions (commits and rollbacks) of ``db`` so far, on the primary
    and on the replica (None without one)."""
    sql = (
        "SELECT coalesce(sum(xact_commit + xact_rollback), 0) "
        f"FROM pg_stat_database WHERE datname = '{db}'"
    )
    return int(psql(sql)), int(replica.psql(sql)) if replica else None


def restart(servers, options):
    """Stop every server, start them all again at once with ``options``
    (beside each one's own): same database, ports and logs."""
    for server in servers:
        server.stop()
    seconds, errors = {}, []

    def start(server):
        server.options = [f"--db_app_name={app_name(server.name)}", *options]
        try:
            seconds[server.name] = server.start()
        except RuntimeError as exc:
            errors.append(f"{server.name}: {exc}")

    threads = [threading.Thread(target=start, args=(s,)) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("; ".join(errors))
    return seconds


def log_count(server, offset, text):
    with open(server.logfile, errors="replace") as log:
        log.seek(offset)
        return log.read().count(text)


class PageViews:
    """Public page views, and where their transactions went."""

    def __init__(self, args, plan, replica):
        self.args = args
        self.plan = plan
        self.replica = replica

    def paths(self):
        """Half answer pages (a token and an answer, in turn), half the FAQ
        (the list, then a search)."""
        tokens = [item["token"] for item in self.plan["feedback"]]
        answers = list(ANSWERS)
        paths = []
        for i in range(self.args.views):
            n = i // 2
            if i % 2 == 0:
                token = tokens[n % len(tokens)]
                paths.append(
                    ("answer page", f"/custcare/feedback/{token}/{answers[n % 3]}")
                )
            elif n % 2:
                paths.append(("FAQ", f"/custcare/faq?search={FILLER[n % len(FILLER)]}"))
            else:
                paths.append(("FAQ", "/custcare/faq"))
        return paths

    def warm_up(self, servers, paths):
        """Each worker renders each page once before counting (templates
        compiled, assets known): what is measured is the steady state."""
        kinds = {}
        for kind, path in paths:
            kinds.setdefault(kind, []).append(path)
        for server in servers:
            for kind_paths in kinds.values():
                for path in kind_paths[:4]:
                    requests.get(f"{server.base}{path}", timeout=120)

    def settle(self):
        """A backend reports its transactions to pg_stat_database when it
        goes idle, at most once a second; what it could not report then, it
        reports 10 s later (PostgreSQL 15, PGSTAT_IDLE_INTERVAL): wait."""
        time.sleep(self.args.settle_seconds)

    def measure(self, servers, label):
        paths = self.paths()
        self.warm_up(servers, paths)
        self.settle()
        # the servers' own background (cron workers polling) while idle
        idle_start = transactions(self.args.db, self.replica)
        time.sleep(self.args.idle_seconds)
        idle_end = transactions(self.args.db, self.replica)
        offsets = {s.name: s.logfile.stat().st_size for s in servers}
        router = Router(servers)
        recorder = Recorder()

        def view(item):
            kind, path = item
            server = router.pick()
            recorder.timed(
                kind,
                lambda: requests.get(f"{server.base}{path}", timeout=120),
                server.name,
            )

        before = transactions(self.args.db, self.replica)
        started = time.perf_counter()
        with ThreadPoolExecutor(self.args.view_threads) as executor:
            list(executor.map(view, paths))
        seconds = time.perf_counter() - started
        self.settle()
        after = transactions(self.args.db, self.replica)
        window = time.perf_counter() - started
        idle = [
            (e - s) / self.args.idle_seconds
            for s, e in zip(idle_start, idle_end, strict=True)
        ]
        statuses = {}
        for kind, counts in recorder.statuses.items():
            statuses[kind] = dict(counts)
        return {
            "configuration": label,
            "views": len(paths),
            "seconds": seconds,
            "statuses": statuses,
            "latencies": dict(recorder.latencies),
            "primary": after[0] - before[0],
            "replica": after[1] - before[1],
            "idle primary per s": idle[0],
            "idle replica per s": idle[1],
            "window": window,
            "readonly retries logged": sum(
                log_count(s, offsets[s.name], READONLY_RETRY) for s in servers
            ),
            "replica fallbacks logged": sum(
                log_count(s, offsets[s.name], REPLICA_FALLBACK) for s in servers
            ),
        }


def per_thousand(result, where):
    """Transactions per 1,000 views on ``where``, raw and less the idle
    background over the same window."""
    raw = result[where]
    net = raw - result[f"idle {where} per s"] * result["window"]
    return 1000 * raw / result["views"], 1000 * max(net, 0) / result["views"]


class ClusterLoadRun(LoadRun):
    """The load run on several servers; one of them is killed mid-run."""

    resend_lost = 1

    def __init__(self, router, args, plan, recorder, rng, watch):
        super().__init__(router, args, plan, recorder, rng)
        self.watch = watch
        self.load_over = threading.Event()
        self.started = None
        self.killed = None
        self.kill_at = None
        self.kill = {}

    def faq_view(self):
        search = self.rng.choice(["", "", *FILLER])
        path = f"/custcare/faq?search={search}" if search else "/custcare/faq"
        for _attempt in range(1 + self.resend_lost):
            response = self.send(
                "FAQ page (GET)",
                lambda base: requests.get(f"{base}{path}", timeout=120),
            )
            if response is not None:
                break

    def tasks(self, rep_pool, admin_pool, race_clients):
        tasks = super().tasks(rep_pool, admin_pool, race_clients)
        tasks += [(self.faq_view,)] * self.args.faq_views
        self.rng.shuffle(tasks)
        return tasks

    def run(self):
        self.started = time.perf_counter()
        killer = threading.Thread(target=self.kill_one)
        killer.start()
        try:
            return super().run()
        finally:
            self.load_over.set()
            killer.join()

    # -- the kill -------------------------------------------------------

    def server_of(self, application_name):
        for server in self.router.servers:
            prefix = app_name(server.name).split("{")[0]
            if (application_name or "").startswith(prefix):
                return server
        return None

    def backends(self, server):
        """(state, first words of the query) of the server's backends on the
        primary, but idle ones."""
        prefix = app_name(server.name).split("{")[0]
        return self.watch.sql(
            "SELECT state, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name LIKE %s AND state <> 'idle'",
            [prefix + "%"],
        )

    def kill_one(self):
        """After ``--kill-after`` seconds, wait up to ``--kill-window`` for a
        server whose worker holds the scheduler's lock (a batch in flight),
        else take the first; the balancer stops sending to it, then its
        whole process group is SIGKILLed."""
        if self.load_over.wait(self.args.kill_after):
            self.kill["kill"] = "not done: the load ended first"
            return
        victim = holder = None
        until = time.monotonic() + self.args.kill_window
        while not victim and time.monotonic() < until:
            holder = self.watch.lock_holder()
            victim = holder and self.server_of(holder[1])
            if not victim:
                time.sleep(0.1)
        self.kill["scheduler lock held by the killed server"] = bool(victim)
        victim = victim or self.router.servers[0]
        busy = self.backends(victim)
        planned = self.watch.activities()
        self.router.take_down(victim)
        self.kill_at = time.perf_counter()
        members = victim.kill()
        self.killed = victim
        ended = self.watch.wait_for(lambda: not victim.group(), 10, step=0.1)
        roles = {}
        for pid, role in sorted(members.items()):
            roles.setdefault(role, []).append(str(pid))
        self.kill.update(
            {
                "killed server": f"{victim.name} ({victim.base})",
                "at (s into the run)": f"{self.kill_at - self.started:.1f}",
                "processes SIGKILLed (process group)": "; ".join(
                    f"{role} {', '.join(pids)}" for role, pids in sorted(roles.items())
                ),
                "processes left in the group after 10 s": (
                    0 if ended else len(victim.group())
                ),
                "its busy backends on the primary at the kill": len(busy),
                "... what they ran": "; ".join(
                    f"{state}: {query}" for state, query in busy
                )
                or "-",
                "proactive contacts committed before the kill": planned,
            }
        )
        gone = self.watch.wait_for(lambda: not self.backends(victim), 60, step=0.2)
        self.kill["its backends gone after (s)"] = (
            f"{time.perf_counter() - self.kill_at:.1f}" if gone is not None else "> 60"
        )
        released = self.watch.wait_for(
            lambda: not self.lock_holder_of(victim), 60, step=0.2
        )
        self.kill["its scheduler lock released"] = released is not None

    def lock_holder_of(self, server):
        holder = self.watch.lock_holder()
        return holder and self.server_of(holder[1]) is server

    # -- what came back -------------------------------------------------

    def failed_at_kill(self, event):
        """Whether a failed request was in flight on the killed server at
        the kill (or routed to it just before the balancer took it out)."""
        started, _ended, _kind, server, _status = event
        return (
            self.killed is not None
            and server == self.killed.name
            and started <= self.kill_at + ROUTING_GRACE
        )

    def failures_at_kill(self):
        """Failed requests in flight on the killed server, by kind."""
        return Counter(
            event[2]
            for event in self.recorder.events
            if (not isinstance(event[4], int) or event[4] >= 500)
            and self.failed_at_kill(event)
        )

    def by_server(self):
        """Per server: requests, answered (HTTP status), no response, 5xx,
        and failures that were in flight on the killed server at the kill
        (or routed to it just before the balancer took it out)."""
        rows = {}
        for event in self.recorder.events:
            _started, _ended, _kind, server, status = event
            row = rows.setdefault(
                server,
                {"requests": 0, "HTTP 200": 0, "no response": 0, "HTTP 5xx": 0},
            )
            row["requests"] += 1
            row.setdefault("failed at the kill", 0)
            row.setdefault("failed otherwise", 0)
            if status == 200:
                row["HTTP 200"] += 1
                continue
            failed = not isinstance(status, int) or status >= 500
            if not isinstance(status, int):
                row["no response"] += 1
            elif status >= 500:
                row["HTTP 5xx"] += 1
            else:
                row.setdefault(f"HTTP {status}", 0)
                row[f"HTTP {status}"] += 1
            if failed:
                at_kill = self.failed_at_kill(event)
                row["failed at the kill" if at_kill else "failed otherwise"] += 1
        return rows
