#!/usr/bin/env python3
"""Benchmark rescheduling many deliveries at once (a truck breaks down):
one write of N deliveries' scheduled date past the promised day, with
custcare_loop_sale_stock and without custcare_loop at all.

Two databases, built once if missing: ``<db>_off`` with Odoo's sale_stock
only, ``<db>_on`` with custcare_loop and sale_stock (its bridges install
themselves). Each gets the same N confirmed orders with a promised date
(commitment date), one delivery each, for N / 10 customers. The write is
measured in each, A and B interleaved and repeated, each in a transaction
rolled back; medians and spread are printed, with the ratio. The notices
themselves are sent after the write by the scheduled action (one per
customer and order): their cost is measured once, apart.

    python3 bench/bench_delivery_delay.py [--db custcare_bench_ss] [--deliveries 1000]
"""

import argparse
import statistics
import time
from datetime import timedelta

from bench_scheduler import ensure_database, open_registry

BENCH_REF = "ccdelay"


def build(env, n):
    """N confirmed orders promised in 10 days, N / 10 customers; once."""
    Order = env["sale.order"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    existing = Order.search([("client_order_ref", "=like", f"{BENCH_REF}-%")])
    if len(existing) >= n:
        return existing.picking_ids
    product = env["product.product"].create({"name": "Bench loaf", "type": "consu"})
    customers = env["res.partner"].create(
        [
            {"name": f"Delay Customer {i}", "email": f"delay{i}@example.com"}
            for i in range(max(1, n // 10))
        ]
    )
    promised = env.cr.now().replace(microsecond=0) + timedelta(days=10)
    for start in range(0, n, 200):
        orders = Order.create(
            [
                {
                    "partner_id": customers[i % len(customers)].id,
                    "client_order_ref": f"{BENCH_REF}-{i}",
                    "commitment_date": promised,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
                for i in range(start, min(start + 200, n))
            ]
        )
        orders.action_confirm()
        env.cr.commit()
        env.invalidate_all()
    return Order.search([("client_order_ref", "=like", f"{BENCH_REF}-%")]).picking_ids


def reschedule(reg, n):
    """Seconds for one write moving the N deliveries 3 days past the promise
    (rolled back)."""
    from odoo import api
    from odoo.api import SUPERUSER_ID

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        pickings = build(env, n)
        ids = pickings.ids
        cr.commit()
        env.invalidate_all()
        pickings = env["stock.picking"].browse(ids)
        new_date = max(pickings.mapped("date_deadline")) + timedelta(days=3)
        start = time.perf_counter()
        pickings.write(
            {
                "scheduled_date": new_date,
                **(
                    {"custcare_delay_reason": "The truck broke down"}
                    if "custcare_delay_reason" in pickings._fields
                    else {}
                ),
            }
        )
        env.flush_all()
        seconds = time.perf_counter() - start
        cr.rollback()
    return seconds, len(ids)


def notices(reg, n):
    """Seconds for the scheduled action to tell every customer (rolled back)."""
    from odoo import api
    from odoo.api import SUPERUSER_ID

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        pickings = build(env, n)
        pickings.write(
            {
                "scheduled_date": max(pickings.mapped("date_deadline"))
                + timedelta(days=3)
            }
        )
        env.flush_all()
        Picking = env["stock.picking"]
        start = time.perf_counter()
        # the scheduled action's work without its commits (rolled back)
        cron_class = env["ir.cron"].__class__
        commit_progress = cron_class._commit_progress
        cron_class._commit_progress = lambda self, *a, **k: 1
        try:
            Picking._cron_custcare_delivery_watch(batch_size=n)
            env.flush_all()
        finally:
            cron_class._commit_progress = commit_progress
        seconds = time.perf_counter() - start
        told = env["mail.message"].search_count(
            [("model", "=", "sale.order"), ("subject", "ilike", "New delivery date")]
        )
        cr.rollback()
    return seconds, told


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="custcare_bench_ss")
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    off, on = f"{args.db}_off", f"{args.db}_on"
    ensure_database(off, "sale_stock")
    ensure_database(on, "custcare_loop,sale_stock")
    regs = {
        "without custcare_loop": open_registry(off),
        "with custcare_loop": open_registry(on),
    }
    times = {name: [] for name in regs}
    for _ in range(args.repeat):
        for name, reg in regs.items():
            seconds, count = reschedule(reg, args.deliveries)
            times[name].append(seconds)
    base = statistics.median(times["without custcare_loop"])
    print(f"\nOne write rescheduling {count} deliveries past the promised day:")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:<22} median {median * 1000:8.1f} ms "
            f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}, "
            f"n={len(values)})  ratio {median / base:.2f}"
        )
    seconds, told = notices(regs["with custcare_loop"], args.deliveries)
    print(
        f"Then the scheduled action tells the customers: {told} notices "
        f"(one per customer and order) in {seconds:.1f} s, "
        f"{seconds / max(told, 1) * 1000:.1f} ms each"
    )


if __name__ == "__main__":
    main()
