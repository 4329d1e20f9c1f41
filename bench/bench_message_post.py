#!/usr/bin/env python3
"""Benchmark what custcare_loop adds to message_post.

The addon listens to every posted message: a person's message to a customer
is a contact (every touch counts), a customer's message awaits a reply and
may suggest a temperature (VADER, English), and competitor names are
scanned. This measures, in one process and on the same ticket, message_post with
the listeners on (A) and off (B, context key ``custcare_skip_message_hooks``),
posts interleaved in a shuffled order, for:

- a rep's reply to the customer (the usual post; contact already counted today),
- a rep's first reply of the day (it moves the last contact date, hence the
  next contact date and the care state),
- a rep's first reply of the day to a customer awaiting a reply (it moves the
  last contact date and clears the wait),
- a rep's internal note,
- a customer's 0.8 KB English email (VADER, competitor scan) that starts the
  wait for a reply, and one on a ticket already awaiting a reply,

each case ``--repeat`` times (the overhead's median and range over the
runs), and VADER alone on that email. It runs in a scratch copy of the
database (``<db>_message_post``), each post committed on its own, and drops
the copy at the end.

    python3 bench/bench_message_post.py [--db custcare_bench] [--posts 150] [--repeat 3]
"""

import argparse
import os
import random
import statistics
import subprocess
import time

from bench_scheduler import ensure_database, open_registry

EMAIL = (
    "Hello, this is the third Tuesday in a row that the gluten-free muffins "
    "are missing from our delivery. I am really disappointed: my customers ask "
    "for them every morning and I have nothing to sell. Your driver said the "
    "bakery ran out, but nobody called us. Please tell me what you will do "
    "about it, and when. We have been customers for six years and this is not "
    "the service we expect. "
) * 2


def quartiles(values):
    values = sorted(values)
    q1, median, q3 = statistics.quantiles(values, n=4)
    return median, q1, q3


def time_posts(ticket, posts, before=None, **post_kwargs):
    """Shuffled A/B: {listening: [seconds]}. ``before()`` runs, untimed,
    before each post. Each post is a transaction of its own that starts from
    an empty cache and is committed (untimed), as a post in a request of its
    own: PostgreSQL then prunes the row versions it leaves, as in production,
    instead of piling thousands of versions of one row in one transaction."""
    cr = ticket.env.cr
    durations = {True: [], False: []}
    order = [True, False] * posts
    random.Random(11).shuffle(order)
    for listening in order:
        if before:
            before()
        cr.commit()
        ticket.env.invalidate_all()
        poster = ticket.with_context(custcare_skip_message_hooks=not listening)
        start = time.perf_counter()
        poster.message_post(**post_kwargs)
        poster.env.flush_all()
        durations[listening].append(time.perf_counter() - start)
        cr.commit()
    return durations


def overhead(durations):
    """(median off, median on, relative overhead) of one shuffled A/B run."""
    off = statistics.median(durations[False])
    on = statistics.median(durations[True])
    return off, on, (on - off) / off


def report(label, runs):
    """One table row from several runs: medians over the runs, and the
    overhead's median (min–max over the runs)."""
    offs, ons, overheads = zip(*runs, strict=True)
    print(
        f"| {label} | {statistics.median(offs) * 1000:.2f} ms "
        f"| {statistics.median(ons) * 1000:.2f} ms "
        f"| {100 * statistics.median(overheads):+.1f}% "
        f"({100 * min(overheads):+.1f} … {100 * max(overheads):+.1f}) |",
        flush=True,
    )


def run(db, posts, repeat):
    """Bench in a scratch copy of ``db``, dropped at the end: the posts are
    committed one by one."""
    scratch = f"{db}_message_post"
    quiet = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(["dropdb", "--if-exists", scratch], check=True, env=quiet)
    subprocess.run(["createdb", "-T", db, scratch], check=True)
    try:
        run_in(scratch, posts, repeat)
    finally:
        from odoo import sql_db
        from odoo.modules.registry import Registry

        Registry.delete(scratch)
        sql_db.close_db(scratch)
        subprocess.run(["dropdb", "--if-exists", scratch], check=True, env=quiet)


def run_in(db, posts, repeat):
    import odoo

    registry = open_registry(db)
    from odoo.addons.custcare_loop.utils.temperature import suggest

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        rep = env["res.users"].create(
            {
                "name": "Bench Rep",
                "login": "bench_message_post_rep",
                "email": "rep@example.com",
                "tz": "Europe/Brussels",
                "group_ids": [
                    (4, env.ref("custcare_loop.group_custcare_user").id),
                    (4, env.ref("helpdesk_mgmt.group_helpdesk_user").id),
                ],
            }
        )
        customer = env["res.partner"].create(
            {
                "name": "Bench Customer",
                "email": "bench.customer@example.com",
                "lang": "en_US",
                "custcare_interval_number": 1,
            }
        )
        env["custcare.competitor"].create(
            [{"name": f"Bench Rival {i} Ltd"} for i in range(100)]
        )
        ticket = (
            env["helpdesk.ticket"]
            .with_user(rep)
            .create(
                {
                    "name": "Bench",
                    "description": "<p>bench</p>",
                    "partner_id": customer.id,
                }
            )
        )
        print(
            "| message | listeners off (B) | listeners on (A) "
            f"| overhead, median ({repeat} runs: min … max) |\n"
            "|---|---:|---:|---:|"
        )
        reply = {
            "body": "Thank you, the muffins are on the first van tomorrow.",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            "partner_ids": customer.ids,
        }
        time_posts(ticket, 5, **reply)  # warm up, and the day's contact counted

        def contacted_yesterday():
            # as if the last contact was yesterday: the next contact date and
            # the care state follow, so today's first reply moves them too
            cr.execute(
                "UPDATE res_partner SET custcare_last_contact_date ="
                " CURRENT_DATE - 1 WHERE id = %s",
                [customer.id],
            )
            customer.invalidate_recordset(["custcare_last_contact_date"])
            customer.modified(["custcare_last_contact_date"])
            env.flush_all()

        def first_of_the_day():
            # yesterday's contact, and the customer's email waiting since an
            # hour: this reply moves the last contact and clears the wait
            contacted_yesterday()
            cr.execute(
                "UPDATE helpdesk_ticket SET custcare_awaiting_reply_since ="
                " now() at time zone 'utc' - interval '1 hour' WHERE id = %s",
                [ticket.id],
            )

        def nothing_awaited():
            cr.execute(
                "UPDATE helpdesk_ticket SET custcare_awaiting_reply_since = NULL"
                " WHERE id = %s",
                [ticket.id],
            )

        note = {"body": "Checking with the bakery.", "subtype_xmlid": "mail.mt_note"}
        email = {
            "body": EMAIL,
            "author_id": customer.id,
            "message_type": "email",
            "subtype_xmlid": "mail.mt_comment",
        }
        size = f"{len(EMAIL) / 1000:.1f} KB"
        cases = [
            (
                "rep's reply to the customer (a contact, already counted today)",
                ticket,
                None,
                reply,
            ),
            (
                "rep's first reply of the day (moves the last and next contact)",
                ticket,
                contacted_yesterday,
                reply,
            ),
            (
                "rep's first reply of the day, to a customer awaiting a reply",
                ticket,
                first_of_the_day,
                reply,
            ),
            ("rep's internal note", ticket, None, note),
            (
                f"customer's email, {size} English (starts the wait)",
                ticket.sudo(),
                nothing_awaited,
                email,
            ),
            (
                f"customer's email, {size} English (already waiting)",
                ticket.sudo(),
                None,
                email,
            ),
        ]
        runs = {label: [] for label, *_ in cases}
        for _ in range(repeat):
            for label, poster, before, kwargs in cases:
                runs[label].append(
                    overhead(time_posts(poster, posts, before=before, **kwargs))
                )
        for label, results in runs.items():
            report(label, results)
        vader = []
        for _ in range(posts):
            start = time.perf_counter()
            suggest(EMAIL, "en_US")
            vader.append(time.perf_counter() - start)
        median, q1, q3 = quartiles(vader)
        print(
            f"\nVADER alone on that email: {median * 1000:.2f} ms "
            f"({q1 * 1000:.2f}–{q3 * 1000:.2f})",
            flush=True,
        )
        cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="custcare_bench")
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ensure_database(args.db)
    run(args.db, args.posts, args.repeat)


if __name__ == "__main__":
    main()
