#!/usr/bin/env python3
"""Benchmark the proactive-contact scheduler against a plain batched create.

For each N, builds N partners under care (all overdue, ten reps), runs the
scheduler cron through its ir.cron record (as Odoo's scheduler would, with
its progress commits), and measures wall time, SQL queries and activities
made. The baseline, measured in the same run on the same data, is one
batched ``mail.activity`` create of the very same activities. Then it
removes what it built.

    python3 bench/bench_scheduler.py [--db custcare_bench] [--sizes 1000 10000 100000]

The database is created (custcare_loop installed, no demo data) if missing.
Numbers, not assertions: see README, "Benchmarks".
"""

import argparse
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_REF = "ccbench"


def ensure_database(db, modules="custcare_loop"):
    exists = subprocess.run(
        ["psql", "-d", db, "-Atc", "select 1"], capture_output=True, check=False
    )
    if exists.returncode == 0:
        return
    print(f"creating database {db} with {modules} (no demo data)…", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={ROOT}",
            "--http-interface=127.0.0.1",
            "-i",
            modules,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


QUERIES = [0]


def count_queries():
    from odoo import sql_db

    execute = sql_db.Cursor.execute

    def counting_execute(self, *args, **kwargs):
        QUERIES[0] += 1
        return execute(self, *args, **kwargs)

    sql_db.Cursor.execute = counting_execute


@contextmanager
def measure():
    result = {}
    queries = QUERIES[0]
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start
    result["queries"] = QUERIES[0] - queries


def build_partners(env, n, reps, tier):
    last_contact = env["res.partner"]._fields["custcare_last_contact_date"]
    Partner = env["res.partner"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    long_ago = env.cr.now().date() - timedelta(days=60)
    for start in range(0, n, 2000):
        vals = [
            {
                "name": f"Bench Customer {i}",
                "ref": f"{BENCH_REF}-{i}",
                "is_company": True,
                "user_id": reps[i % len(reps)].id,
                "custcare_tier_id": tier.id,
                last_contact.name: long_ago,
            }
            for i in range(start, min(start + 2000, n))
        ]
        Partner.create(vals)
        env.cr.commit()
        env.invalidate_all()


def cleanup(env):
    env.cr.execute("SELECT id FROM res_partner WHERE ref LIKE %s", [f"{BENCH_REF}-%"])
    ids = tuple(r[0] for r in env.cr.fetchall()) or (0,)
    env.cr.execute(
        "DELETE FROM mail_activity WHERE res_model = 'res.partner' AND res_id IN %s",
        [ids],
    )
    env.cr.execute(
        "DELETE FROM mail_followers WHERE res_model = 'res.partner' AND res_id IN %s",
        [ids],
    )
    env.cr.execute(
        "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id IN %s", [ids]
    )
    env.cr.execute("DELETE FROM res_partner WHERE id IN %s", [ids])
    env.cr.commit()
    env.invalidate_all()


def open_registry(db):
    """Odoo configured for ``db`` with this repository's addon; its registry."""
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


def run(db, sizes):
    import odoo

    registry = open_registry(db)
    count_queries()
    rows = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cleanup(env)
        reps = env["res.users"].search([("login", "like", "ccbench_rep_%")])
        for i in range(10 - len(reps)):
            reps |= env["res.users"].create(
                {"name": f"Bench Rep {i}", "login": f"ccbench_rep_{i}_{len(reps)}"}
            )
        tier = env["custcare.tier"].search([("name", "=", "Bench monthly")]) or env[
            "custcare.tier"
        ].create({"name": "Bench monthly", "interval_number": 1})
        cron = env.ref("custcare_loop.ir_cron_custcare_schedule_contacts")
        activity_type = env.ref("custcare_loop.mail_activity_type_proactive_contact")
        env.cr.commit()
        for n in sizes:
            build_started = time.perf_counter()
            build_partners(env, n, reps, tier)
            build_seconds = time.perf_counter() - build_started

            env.invalidate_all()
            due_domain = env["res.partner"]._custcare_due_domain(activity_type)
            runs = 0
            with measure() as scheduler:
                # as Odoo's cron runner does: run the job, and run it again
                # while it reports work left (it re-triggers itself)
                while True:
                    runs += 1
                    result = cron.method_direct_trigger()
                    assert result is True, result
                    # the job ran on its own cursor: a new transaction sees it
                    env.cr.commit()
                    if not env["res.partner"].search_count(due_domain):
                        break
            domain = [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "res.partner"),
            ]
            activities = env["mail.activity"].search_fetch(
                domain, ["res_model_id", "res_id", "user_id", "date_deadline"]
            )
            made = len(activities)
            vals_list = [
                {
                    "res_model_id": a.res_model_id.id,
                    "res_id": a.res_id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "note": activity_type.default_note,
                    "user_id": a.user_id.id,
                    "date_deadline": a.date_deadline,
                }
                for a in activities
            ]
            env.cr.execute(
                "DELETE FROM mail_activity WHERE id IN %s",
                [tuple(activities.ids) or (0,)],
            )
            env.cr.execute(
                "DELETE FROM mail_followers WHERE res_model = 'res.partner'"
                " AND res_id IN (SELECT id FROM res_partner WHERE ref LIKE %s)",
                [f"{BENCH_REF}-%"],
            )
            env.cr.commit()
            env.invalidate_all()

            # the scheduler reads its partners in batches; give the baseline
            # the same head start (names in cache), so it is a pure create
            env["res.partner"].browse([v["res_id"] for v in vals_list]).mapped(
                "display_name"
            )
            with measure() as baseline:
                env["mail.activity"].with_context(
                    mail_activity_quick_update=True
                ).create(vals_list)
                env.flush_all()
            env.cr.commit()

            rows.append(
                {
                    "n": n,
                    "build": build_seconds,
                    "seconds": scheduler["seconds"],
                    "queries": scheduler["queries"],
                    "activities": made,
                    "runs": runs,
                    "base_seconds": baseline["seconds"],
                    "base_queries": baseline["queries"],
                }
            )
            print_row(rows[-1])
            cleanup(env)
    return rows


def print_row(row):
    n = row["n"]
    print(
        f"N={n:>7}  scheduler {row['seconds']:8.2f}s {row['queries']:>8} queries "
        f"({row['queries'] / n:5.2f}/partner) {row['activities']:>7} activities "
        f"in {row['runs']} cron run(s) | "
        f"baseline {row['base_seconds']:8.2f}s {row['base_queries']:>8} queries "
        f"({row['base_queries'] / n:5.2f}/partner) | "
        f"ratio {row['seconds'] / row['base_seconds']:5.2f} "
        f"(build {row['build']:.0f}s)",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="custcare_bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    ensure_database(args.db)
    run(args.db, args.sizes)


if __name__ == "__main__":
    main()
