#!/usr/bin/env python3
"""Benchmark the nightly customer-health refresh against a bare batched write.

For each N, builds N customer companies under care (a tenth overdue by
varied numbers of days, some hot, some with an open ticket), runs the health
cron through its ir.cron record as Odoo's scheduler would (progress commits,
re-run while work is left), and measures wall time and SQL queries. The
baseline, in the same run on the same data: the very same values written in
the same batches, with the same one-write-per-distinct-value grouping,
without computing anything. A and B are interleaved and repeated; medians
and spread are printed.

    python3 bench/bench_health.py [--db custcare_bench] [--sizes 1000 10000 100000]
        [--modules custcare_loop,sale_stock]
"""

import argparse
import json
import statistics
import time
from collections import defaultdict
from datetime import timedelta

from bench_scheduler import count_queries, ensure_database, measure, open_registry

BENCH_REF = "cchealth"
BATCH = 10000


def build(env, n):
    Partner = env["res.partner"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    today = env.cr.now().date()
    for start in range(0, n, 5000):
        Partner.create(
            [
                {
                    "name": f"Health Customer {i}",
                    "ref": f"{BENCH_REF}-{i}",
                    "is_company": True,
                    "custcare_interval_number": 1,
                    # a tenth overdue, each by its own number of days (so
                    # the reasons differ from customer to customer, as in
                    # real data), the others contacted in the last weeks
                    "custcare_last_contact_date": today
                    - timedelta(days=40 + i % 997 if i % 10 == 0 else i % 25),
                }
                for i in range(start, min(start + 5000, n))
            ]
        )
        env.cr.commit()
        env.invalidate_all()
    env.cr.execute(
        "SELECT id FROM res_partner WHERE ref LIKE %s ORDER BY id", [f"{BENCH_REF}-%"]
    )
    ids = [row[0] for row in env.cr.fetchall()]
    # some judged hot (stored on the customer), some with an open ticket
    env.cr.execute(
        "UPDATE res_partner SET custcare_temperature = 'hot' WHERE id IN %s",
        [tuple(ids[::20])],
    )
    env["helpdesk.ticket"].with_context(tracking_disable=True).create(
        [
            {"name": f"Bench ticket {i}", "description": "<p>x</p>", "partner_id": pid}
            for i, pid in enumerate(ids[::50])
        ]
    )
    env.cr.commit()
    env.invalidate_all()
    return ids


def cleanup(env):
    env.cr.execute("SELECT id FROM res_partner WHERE ref LIKE %s", [f"{BENCH_REF}-%"])
    ids = tuple(r[0] for r in env.cr.fetchall()) or (0,)
    env.cr.execute(
        "DELETE FROM mail_followers WHERE res_model = 'helpdesk.ticket' AND res_id IN "
        "(SELECT id FROM helpdesk_ticket WHERE partner_id IN %s)",
        [ids],
    )
    env.cr.execute(
        "DELETE FROM mail_message WHERE model = 'helpdesk.ticket' AND res_id IN "
        "(SELECT id FROM helpdesk_ticket WHERE partner_id IN %s)",
        [ids],
    )
    env.cr.execute("DELETE FROM helpdesk_ticket WHERE partner_id IN %s", [ids])
    env.cr.execute("DELETE FROM res_partner WHERE id IN %s", [ids])
    env.cr.commit()
    env.invalidate_all()


def reset(env, ids):
    env.cr.execute(
        "UPDATE res_partner SET custcare_health = NULL, custcare_health_state = NULL,"
        " custcare_health_reason_data = NULL, custcare_health_date = NULL"
        " WHERE id IN %s",
        [tuple(ids)],
    )
    env.cr.commit()
    env.invalidate_all()


def run_cron(env):
    cron = env.ref("custcare_loop.ir_cron_custcare_health")
    runs = 0
    while True:
        runs += 1
        result = cron.method_direct_trigger()
        assert result is True, result
        env.cr.commit()
        env.cr.execute(
            "SELECT count(*) FROM res_partner WHERE ref LIKE %s"
            " AND custcare_health_state IS NULL",
            [f"{BENCH_REF}-%"],
        )
        if not env.cr.fetchone()[0]:
            return runs


def baseline_write(env, ids, values):
    """The same values, written in batches of the same size, one write per
    distinct value: what the cron does once it knows them."""
    Partner = env["res.partner"].sudo().with_context(tracking_disable=True)
    for start in range(0, len(ids), BATCH):
        groups = defaultdict(list)
        for pid in ids[start : start + BATCH]:
            groups[values[pid]].append(pid)
        for (score, state, reasons, day), group in groups.items():
            Partner.browse(group).write(
                {
                    "custcare_health": score,
                    "custcare_health_state": state,
                    "custcare_health_reason_data": json.loads(reasons)
                    if reasons
                    else False,
                    "custcare_health_date": day,
                }
            )
        env.cr.commit()
        env.invalidate_all()


def run(db, sizes, repeat):
    import odoo

    registry = open_registry(db)
    count_queries()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cleanup(env)
        for n in sizes:
            started = time.perf_counter()
            ids = build(env, n)
            built = time.perf_counter() - started
            cron_times, base_times, cron_queries, base_queries = [], [], [], []
            values = None
            runs = 0
            for _ in range(repeat):
                reset(env, ids)
                with measure() as cron:
                    runs = run_cron(env)
                cron_times.append(cron["seconds"])
                cron_queries.append(cron["queries"])
                env.cr.execute(
                    "SELECT id, custcare_health, custcare_health_state,"
                    " custcare_health_reason_data::text, custcare_health_date"
                    " FROM res_partner WHERE id IN %s",
                    [tuple(ids)],
                )
                values = {row[0]: tuple(row[1:]) for row in env.cr.fetchall()}
                reset(env, ids)
                with measure() as base:
                    baseline_write(env, ids, values)
                base_times.append(base["seconds"])
                base_queries.append(base["queries"])
            states = defaultdict(int)
            for value in values.values():
                states[value[1]] += 1
            cron_s, base_s = (
                statistics.median(cron_times),
                statistics.median(base_times),
            )
            spread = f"{min(cron_times):.2f}–{max(cron_times):.2f}"
            print(
                f"| {n:,} | {cron_s:.2f} s ({spread}) "
                f"| {statistics.median(cron_queries):,.0f} "
                f"({statistics.median(cron_queries) / n:.3f}/partner) "
                f"| {base_s:.2f} s ({min(base_times):.2f}–{max(base_times):.2f}) "
                f"| {statistics.median(base_queries):,.0f} "
                f"| {cron_s / base_s:.2f} | {runs} | {dict(states)} "
                f"(build {built:.0f} s) |",
                flush=True,
            )
            cleanup(env)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="custcare_bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--modules",
        default="custcare_loop",
        help="what the database is built with, e.g. custcare_loop,sale_stock for "
        "the deliveries' and invoices' signals (their bridges install themselves)",
    )
    args = parser.parse_args()
    ensure_database(args.db, args.modules)
    print(
        "| N customers | health cron (min–max) | queries "
        "| bare batched write (min–max) | queries | ratio | cron runs | states |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    run(args.db, args.sizes, args.repeat)


if __name__ == "__main__":
    main()
