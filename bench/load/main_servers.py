"""Two Odoo servers, one PostgreSQL primary and its streaming replica; one
server SIGKILLed mid-load.

1. Builds and seeds a fresh database (as ``bench_load.py`` does, plus
   published FAQ entries; the contact scheduler in small batches).
2. Makes a streaming replica of this machine's cluster on
   127.0.0.1:``--replica-port`` (``pg_basebackup -R`` into a temporary
   directory, its own configuration, ``pg_ctl`` as postgres).
3. Two servers ``odoo --workers=2 --max-cron-threads=1`` on 127.0.0.1 (each
   its own ports; crons on both). ``--rounds`` times: started without
   ``--db_replica_host``, then with it (``--db_replica_host=127.0.0.1
   --db_replica_port``): public page views (answer pages and the FAQ,
   alternating between the servers) and the transactions they cost the
   primary and the replica (``pg_stat_database``).
4. Load, with the replica: feedback (page and answer), FAQ, messages, the
   scheduler and the other crons, clients alternating between the servers;
   one server's process group (master, HTTP workers, cron worker, gevent) is
   SIGKILLed mid-run, the other carries on.
5. Checks: every answer recorded once, every due customer one proactive
   contact, no duplicate mention, notices once; failures only on the killed
   server, in flight at the kill.
6. Stops everything it started (servers, replica and its slot, SMTP sink),
   drops the database (unless ``--keep``), prints Markdown tables.

    python3 bench/bench_servers.py [--rounds 2] [--load-seconds 60]

Only databases whose name starts with ``load_`` are used.
"""

import argparse
import random
import signal
import statistics
import tempfile
import time
from pathlib import Path

from .args import add_workload_arguments, parse_checked
from .checks import (
    check_feedback,
    check_mentions,
    check_notices,
    check_scheduler,
    failed_mails,
    log_problems,
)
from .clients import Recorder, Router
from .cluster import (
    READONLY_RETRY,
    REPLICA_FALLBACK,
    ClusterLoadRun,
    PageViews,
    log_count,
    per_thousand,
    restart,
)
from .replica import Replica
from .report import (
    latency_table,
    percentile,
    print_lines,
    report_outcomes,
    table,
)
from .scenarios import SchedulerWatch, wait_cron_idle
from .seed import seed, seed_faq
from .server import (
    Server,
    SmtpSink,
    admin_env,
    build_database,
    drop_database,
    gevent_environment,
    open_registry,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_workload_arguments(
        parser,
        "load_servers",
        customers=150,
        clients=8,
        care=4000,
        emails=80,
        rep_posts=60,
        load_seconds=60.0,
        batch=200,
    )
    parser.add_argument("--faq", type=int, default=12, help="published FAQ entries")
    parser.add_argument("--faq-views", type=int, default=200, help="in the load")
    parser.add_argument(
        "--kill-after", type=float, default=12, help="seconds into the load"
    )
    parser.add_argument(
        "--kill-window",
        type=float,
        default=20,
        help="then wait this long for a server running a scheduler batch",
    )
    parser.add_argument(
        "--views", type=int, default=400, help="public page views per measurement"
    )
    parser.add_argument("--view-threads", type=int, default=4)
    parser.add_argument(
        "--rounds", type=int, default=2, help="measurements without, then with"
    )
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument(
        "--settle-seconds",
        type=float,
        default=12,
        help="PostgreSQL may hold a backend's counts for 10 s before it reports",
    )
    parser.add_argument("--replica-port", type=int, default=5433)
    return parse_checked(parser)


def _terminate(signum, frame):
    raise SystemExit(f"signal {signum}")


def replica_options(replica):
    return ["--db_replica_host=127.0.0.1", f"--db_replica_port={replica.port}"]


def measure_views(args, plan, replica, servers, timings):
    views = PageViews(args, plan, replica)
    results = []
    for round_ in range(args.rounds):
        for label, options in (
            ("without replica", []),
            ("with replica", replica_options(replica)),
        ):
            started = restart(servers, options)
            timings[f"round {round_ + 1}, {label}: servers up"] = max(started.values())
            step = time.perf_counter()
            result = views.measure(servers, label)
            result["round"] = round_ + 1
            results.append(result)
            timings[f"round {round_ + 1}, {label}: page views"] = (
                time.perf_counter() - step
            )
            print_lines(views_table([result], header=not (round_ or options)))
    return results


def load_and_kill(registry, args, plan, servers, rng):
    recorder = Recorder()
    router = Router(servers)
    watch = SchedulerWatch(registry, servers[0], plan)
    run = ClusterLoadRun(router, args, plan, recorder, rng, watch)
    offsets = {s.name: s.logfile.stat().st_size for s in servers}
    seconds, failed_tasks = run.run()
    survivor = next(s for s in servers if s is not run.killed)
    watch.server = survivor
    wait_cron_idle(watch)
    with registry.cursor() as cr:
        scheduler = check_scheduler(cr, plan["activity_type"])
    final_run = None
    if scheduler["... missing one"]:
        # the load ended before the survivor's runs caught up: one more run
        watch.offset = watch.trigger()
        final_run = watch.wait_for(watch.job_ended, 300, step=0.5)
    with registry.cursor() as cr:
        feedback, problems = check_feedback(cr, plan, run.submissions, lost_ok=True)
        checks = {
            "feedback": feedback,
            "feedback problems": problems,
            "scheduler after the load": scheduler,
            "scheduler": check_scheduler(cr, plan["activity_type"]),
            "final scheduler run": final_run,
            "mentions": check_mentions(cr, run),
            "notices": check_notices(cr, plan),
            "failed mails": failed_mails(cr),
        }
    checks["logged during the load"] = {
        what: sum(log_count(s, offsets[s.name], text) for s in servers)
        for what, text in (
            ("readonly routes retried on the primary", READONLY_RETRY),
            ("replica unreachable, primary used", REPLICA_FALLBACK),
        )
    }
    return run, seconds, failed_tasks, checks, offsets


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="load_servers-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"logs in {workdir}", flush=True)
    timings = {}
    started = time.perf_counter()
    sink = SmtpSink()
    # after the sink's process is forked: it keeps the default handler
    signal.signal(signal.SIGTERM, _terminate)
    replica = Replica(args.replica_port)
    servers = []
    views = load = None
    cleanup = []
    try:
        build_database(args.db, workdir)
        timings["build database"] = time.perf_counter() - started
        registry = open_registry(args.db)
        step = time.perf_counter()
        plan = seed(registry, args, sink.port, rng)
        with registry.cursor() as cr:
            plan["faq"] = seed_faq(admin_env(cr), args.faq)
        timings["seed"] = time.perf_counter() - step
        step = time.perf_counter()
        replica.start()
        timings["replica: base backup, start, caught up"] = time.perf_counter() - step
        print(
            f"replica on 127.0.0.1:{replica.port} ({replica.dir}), "
            f"lag {replica.lag_bytes()} bytes",
            flush=True,
        )
        server_env, _stubs = (
            (None, []) if args.raw_gevent else gevent_environment(workdir)
        )
        servers = [
            Server(args.db, workdir, server_env, name=name) for name in ("a", "b")
        ]
        views = measure_views(args, plan, replica, servers, timings)
        if not views:
            restart(servers, replica_options(replica))
        step = time.perf_counter()
        load = load_and_kill(registry, args, plan, servers, rng)
        timings["load, kill and checks"] = time.perf_counter() - step
        load_lag = replica.lag_bytes()
    finally:
        for server in servers:
            server.stop()
        from odoo import sql_db

        sql_db.close_all()
        cleanup += replica.stop()
        sink.stop()
        if not args.keep:
            drop_database(args.db)
    timings["total"] = time.perf_counter() - started
    problems = log_problems([path for s in servers for path in (s.logfile, s.outfile)])
    report(args, views, load, problems, timings, cleanup, load_lag)
    findings = findings_of(views, load, problems, cleanup)
    print("\n### Findings\n")
    print_lines([f"- {f}" for f in findings] or ["- none"])
    return 1 if findings else 0


# ----------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------


def views_table(results, header=True):
    lines = []
    if header:
        lines = [
            (
                "| round | servers | views | s | non-200 | primary tx | "
                "primary tx / 1,000 views (less idle) | replica tx / 1,000 views "
                "| idle tx/s primary, replica | readonly retries, replica "
                "fallbacks logged |"
            ),
            "|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
        ]
    for r in results:
        non_200 = sum(
            n
            for counts in r["statuses"].values()
            for s, n in counts.items()
            if s != 200
        )
        raw, net = per_thousand(r, "primary")
        replica_raw, _replica_net = per_thousand(r, "replica")
        lines.append(
            f"| {r['round']} | {r['configuration']} | {r['views']} | "
            f"{r['seconds']:.1f} | {non_200} | {r['primary']} | "
            f"{raw:.0f} ({net:.0f}) | {replica_raw:.0f} | "
            f"{r['idle primary per s']:.2f}, {r['idle replica per s']:.2f} | "
            f"{r['readonly retries logged']}, {r['replica fallbacks logged']} |"
        )
    return lines


def views_summary(results):
    """Per configuration: primary transactions per 1,000 views, median and
    range over the rounds; view latency."""
    rows = {}
    for label in ("without replica", "with replica"):
        mine = [r for r in results if r["configuration"] == label]
        if not mine:
            continue
        raw = [per_thousand(r, "primary")[0] for r in mine]
        net = [per_thousand(r, "primary")[1] for r in mine]
        replica = [per_thousand(r, "replica")[0] for r in mine]
        latencies = [v for r in mine for vs in r["latencies"].values() for v in vs]
        rows[f"{label}: primary tx / 1,000 views (median, range)"] = (
            f"{statistics.median(raw):.0f} ({min(raw):.0f}–{max(raw):.0f}); "
            f"less idle {statistics.median(net):.0f} ({min(net):.0f}–{max(net):.0f})"
        )
        rows[f"{label}: replica tx / 1,000 views"] = (
            f"{statistics.median(replica):.0f} ({min(replica):.0f}–{max(replica):.0f})"
        )
        rows[f"{label}: view p50 / p95"] = (
            f"{statistics.median(latencies):.0f} ms / "
            f"{percentile(latencies, 0.95):.0f} ms"
        )
    return rows


def report(args, views, load, problems, timings, cleanup, load_lag):
    if views:
        print("\n### Public page views: where their transactions go\n")
        print_lines(views_table(views))
        print()
        print_lines(table("page views", views_summary(views)))
    if load:
        run, seconds, failed_tasks, checks, _offsets = load
        print(f"\n### Load on two servers ({seconds:.0f} s), one killed\n")
        lines, _total_5xx = latency_table(run.recorder, seconds)
        print_lines(lines)
        print()
        print_lines(server_table(run.by_server()))
        print()
        kill = dict(run.kill)
        kill["failed requests in flight at the kill, by kind"] = (
            ", ".join(f"{k} {n}" for k, n in sorted(run.failures_at_kill().items()))
            or "none"
        )
        print_lines(table("the kill", kill))
        report_outcomes(run, run.recorder)
        print()
        print_lines(table("feedback invariant", dict(checks["feedback"])))
        print()
        print_lines(
            table(
                "scheduler invariant (after the load)",
                checks["scheduler after the load"],
            )
        )
        if checks["final scheduler run"]:
            print()
            print_lines(
                table("scheduler invariant (one more run)", checks["scheduler"])
            )
        print()
        print_lines(table("competitor mentions", checks["mentions"]))
        print()
        print_lines(table("notices", checks["notices"]))
        print()
        print_lines(
            table("mails Odoo failed to send", checks["failed mails"] or {"none": 0})
        )
        print()
        print_lines(table("logged during the load", checks["logged during the load"]))
        print(f"\nreplica lag after the load: {load_lag} bytes")
        print(f"client tasks that raised: {failed_tasks}; skipped: {run.skipped}")
        for problem in checks["feedback problems"][:20]:
            print(f"  feedback problem: {problem}")
    print("\n### Server logs\n")
    print_lines(
        table("ERROR / CRITICAL / Traceback lines", dict(problems) or {"none": 0})
    )
    print()
    print_lines(table("timing (s)", {k: f"{v:.1f}" for k, v in timings.items()}))
    print()
    print_lines(table("clean-up problems", {c: 1 for c in cleanup} or {"none": 0}))
    if views and load:
        print("\n### Summary\n")
        print_lines(summary(views, load))


def server_table(rows):
    keys = []
    for row in rows.values():
        keys += [k for k in row if k not in keys]
    lines = [
        "| server | " + " | ".join(keys) + " |",
        "|---|" + "---:|" * len(keys),
    ]
    for server, row in sorted(rows.items()):
        lines.append(
            f"| {server} | " + " | ".join(str(row.get(k, 0)) for k in keys) + " |"
        )
    return lines


def summary(views, load):
    run, seconds, _failed_tasks, checks, _offsets = load
    recorder = run.recorder
    _lines, total_5xx = latency_table(recorder, seconds)
    requests_count = sum(len(v) for v in recorder.latencies.values())
    servers = run.by_server()
    at_kill = sum(r["failed at the kill"] for r in servers.values())
    otherwise = sum(r["failed otherwise"] for r in servers.values())

    def lat(kind):
        values = recorder.latencies.get(kind) or [0]
        return (
            f"p50 {statistics.median(values):.0f} ms, "
            f"p95 {percentile(values, 0.95):.0f} ms"
        )

    feedback = checks["feedback"]
    scheduler = checks["scheduler"]
    mentions = checks["mentions"]
    rows = views_summary(views)
    rows.update(
        {
            "load: requests, time, HTTP 5xx": (
                f"{requests_count} in {seconds:.0f} s "
                f"({requests_count / seconds:.1f} req/s), 5xx: {total_5xx}"
            ),
            "failed requests: in flight on the killed server / otherwise": (
                f"{at_kill} / {otherwise}"
            ),
            "killed": (
                f"server {run.kill.get('killed server', '-')} at "
                f"{run.kill.get('at (s into the run)', '-')} s: "
                f"{run.kill.get('processes SIGKILLed (process group)', '-')}; "
                "scheduler batch in flight: "
                f"{run.kill.get('scheduler lock held by the killed server')}"
            ),
            "answer page GET / submit POST / FAQ GET": (
                f"{lat('feedback page (GET)')} / {lat('feedback submit (POST)')}"
                f" / {lat('FAQ page (GET)')}"
            ),
            "rep message_post / customer email (RPC)": (
                f"{lat('rep message_post (RPC)')} / "
                f"{lat('customer email (RPC as admin)')}"
            ),
            "every answer recorded once": (
                f"{feedback['consumed ratings']} consumed of "
                f"{feedback['customers that submitted']} customers who submitted "
                f"({feedback['submissions']} submissions, "
                f"{feedback['refused as already answered']} refused as already "
                f"answered, "
                f"{feedback['answers recorded by a request whose response was lost']}"
                " recorded by a request lost with the server); one answer note on "
                f"{feedback['tickets with exactly one answer note']} tickets; "
                f"{len(checks['feedback problems'])} problems"
            ),
            "proactive contacts": (
                f"{scheduler['... with one open proactive contact']} of "
                f"{scheduler['due/overdue with a salesperson']} due partners "
                f"planned, {scheduler['partners with more than one']} with more "
                "than one"
                + (" (after one more run)" if checks["final scheduler run"] else "")
            ),
            "competitor mentions": (
                f"{mentions['mentions found']} of {mentions['expected mentions']} "
                f"expected, {mentions['duplicate mentions']} duplicates"
            ),
        }
    )
    return table("bench_servers", rows)


def findings_of(views, load, problems, cleanup):
    """What a reader must look at: broken invariants, errors, failures."""
    found = [f"clean-up: {c}" for c in cleanup]
    found += view_findings(views or [])
    if load:
        found += load_findings(*load)
    found += [f"log x{n}: {k}" for k, n in problems.items()]
    return found


def view_findings(views):
    found = []
    for r in views:
        bad = {
            f"{kind} {s}": n
            for kind, counts in r["statuses"].items()
            for s, n in counts.items()
            if s != 200
        }
        if bad:
            found.append(f"page views ({r['configuration']}): {bad}")
        if r["readonly retries logged"] or r["replica fallbacks logged"]:
            found.append(
                f"page views ({r['configuration']}): readonly routes retried "
                f"on the primary {r['readonly retries logged']}, replica "
                f"unreachable {r['replica fallbacks logged']}"
            )
    return found


def load_findings(run, _seconds, failed_tasks, checks, _offsets):
    found = []
    if run.killed is None:
        found.append(f"no server killed: {run.kill}")
    for server, row in run.by_server().items():
        if row["failed otherwise"]:
            found.append(
                f"server {server}: {row['failed otherwise']} failed requests "
                "not in flight at the kill"
            )
        if row["HTTP 5xx"]:
            found.append(f"server {server}: {row['HTTP 5xx']} HTTP 5xx")
    if failed_tasks:
        found.append(f"{failed_tasks} client tasks raised")
    if run.skipped:
        found.append(f"{run.skipped} load tasks skipped (--load-seconds)")
    found += [f"feedback: {p}" for p in checks["feedback problems"]]
    scheduler = checks["scheduler"]
    for key in (
        "... missing one",
        "partners with more than one",
        "not due or no salesperson, yet planned",
    ):
        if scheduler[key]:
            found.append(f"scheduler: {key} = {scheduler[key]}")
    mentions = checks["mentions"]
    if mentions["duplicate mentions"]:
        found.append(f"{mentions['duplicate mentions']} duplicate mentions")
    exact = "... whose mentions are exactly the competitors named"
    if mentions[exact] != mentions["customer emails posted"]:
        found.append(
            f"mentions: {mentions[exact]} of "
            f"{mentions['customer emails posted']} customer emails have "
            "exactly the mentions named"
        )
    for kind, errors in run.recorder.rpc_errors.items():
        for error, count in errors.items():
            if "already executing" not in error:
                found.append(f"RPC error x{count} on {kind}: {error}")
    for label, counts in run.cron_results.items():
        found += [f"cron {label}: {k} x{n}" for k, n in counts.items() if "fail" in k]
    found += [f"mail not sent x{n}: {k}" for k, n in checks["failed mails"].items()]
    found += [
        f"{what} x{n} during the load"
        for what, n in checks["logged during the load"].items()
        if n
    ]
    return found
