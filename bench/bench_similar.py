#!/usr/bin/env python3
"""Benchmark the similar-point lookup shown while a rep records a point.

Builds N improvement points of one company (varied texts of a bakery's
customers), then times ``_custcare_find_similar`` for typical new texts
(median and spread over repeats) and prints PostgreSQL's plan, to show the
trigram index (GIN on ``name_key``) is used. The baseline, in the same run:
the same query with index scans disabled (a sequential scan of every point).
Everything is removed afterwards.

    python3 bench/bench_similar.py [--db custcare_bench] [--sizes 10000 100000]
"""

import argparse
import random
import statistics
import time

from bench_scheduler import ensure_database, open_registry

SUBJECTS = [
    "deliveries",
    "the van",
    "invoices",
    "croissants",
    "the sourdough",
    "rye rolls",
    "the driver",
    "the phone line",
    "order confirmations",
    "credit notes",
    "the web shop",
    "pallets",
    "allergen sheets",
    "price changes",
    "samples",
]
PROBLEMS = [
    "arrive late",
    "come too early",
    "are missing",
    "are wrong",
    "are crushed",
    "are too dark",
    "are not labelled",
    "take too long",
    "are hard to read",
    "cost too much",
    "are never on time",
    "need a reference",
]
PROBES = [
    "Delivery arrives late in the morning",
    "The croissants are crushed in the box",
    "Invoice without the order reference",
    "Price changes announced too late",
]


def texts(n, rng):
    for i in range(n):
        yield (
            f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(PROBLEMS)} "
            f"at shop {i % 977}"
        )


def run(db, sizes, repeat):
    import odoo

    registry = open_registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Point = env["custcare.improvement.point"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        customer = env["res.partner"].create({"name": "Similar Bench Customer"})
        rng = random.Random(5)
        made = 0
        print(
            "| N points | lookup, trigram index (min–max) "
            "| same query, sequential scan | ratio | index in plan |"
        )
        print("|---:|---:|---:|---:|---|")
        for n in sizes:
            batch = list(texts(n - made, rng))
            for start in range(0, len(batch), 5000):
                Point.create(
                    [
                        {"name": name, "partner_id": customer.id}
                        for name in batch[start : start + 5000]
                    ]
                )
                env.cr.commit()
                env.invalidate_all()
            made = n
            env.cr.execute("ANALYZE custcare_improvement_point")
            timings = {"index": [], "seq": []}
            for _ in range(repeat):
                for mode in ("index", "seq"):
                    env.cr.execute(
                        "SET LOCAL enable_bitmapscan = %s",
                        ["on" if mode == "index" else "off"],
                    )
                    env.cr.execute(
                        "SET LOCAL enable_indexscan = %s",
                        ["on" if mode == "index" else "off"],
                    )
                    for probe in PROBES:
                        start = time.perf_counter()
                        Point._custcare_find_similar(probe, env.company)
                        timings[mode].append(time.perf_counter() - start)
                    env.cr.commit()
            env.cr.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', '0.35', true)"
            )
            env.cr.execute(
                "EXPLAIN SELECT id FROM custcare_improvement_point"
                " WHERE name_key %% %s AND company_id = %s AND active"
                " ORDER BY similarity(name_key, %s) DESC LIMIT 15",
                [
                    "delivery arrives late in the morning",
                    env.company.id,
                    "delivery arrives late in the morning",
                ],
            )
            plan = "\n".join(row[0] for row in env.cr.fetchall())
            uses_index = "name_key_index" in plan or "Bitmap Index Scan" in plan
            index = statistics.median(timings["index"])
            seq = statistics.median(timings["seq"])
            print(
                f"| {n:,} | {index * 1000:.1f} ms ({min(timings['index']) * 1000:.1f}–"
                f"{max(timings['index']) * 1000:.1f}) | {seq * 1000:.1f} ms "
                f"| {seq / index:.1f}x | {'yes' if uses_index else 'NO'} |",
                flush=True,
            )
        print("\nplan at the largest size:\n" + plan)
        env.cr.execute(
            "DELETE FROM custcare_improvement_point WHERE partner_id = %s",
            [customer.id],
        )
        customer.unlink()
        env.cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="custcare_bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ensure_database(args.db)
    run(args.db, args.sizes, args.repeat)


if __name__ == "__main__":
    main()
