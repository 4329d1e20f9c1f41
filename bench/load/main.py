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
import random
import tempfile
import time
from pathlib import Path

from .args import add_workload_arguments, parse_checked
from .checks import log_problems
from .report import findings_of, print_lines, report_fault, report_load, summary, table
from .scenarios import FaultRun, load_phase
from .seed import seed
from .server import (
    Server,
    SmtpSink,
    build_database,
    drop_database,
    gevent_environment,
    open_registry,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_workload_arguments(parser, "load_bench")
    parser.add_argument("--fault-customers", type=int, default=30000)
    parser.add_argument("--skip-fault", action="store_true")
    return parse_checked(parser)


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
