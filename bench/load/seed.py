"""Seeding the bench database, in this process, through Odoo's registry."""

import unicodedata
from collections import Counter
from datetime import timedelta

from .common import (
    ACTIVITY_XMLID,
    LATER_XMLID,
    MAIL_QUEUE_XMLID,
    PROMISE_XMLID,
    SCHEDULER_XMLID,
    utcnow,
)
from .server import admin_env

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
    # --batch: the scheduler's batch (the fault run kills it between two)
    scheduler = env.ref(SCHEDULER_XMLID)
    scheduler.code = f"model._cron_custcare_schedule_contacts(batch_size={args.batch})"
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
            "schedule": scheduler.id,
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


def seed_faq(env, count):
    """Published FAQ entries (the public page lists and searches them)."""
    faqs = env["custcare.faq"].create(
        [
            {
                "name": f"Why does the {FILLER[i % len(FILLER)]} come late? ({i})",
                "answer": f"<p>Because of the {FILLER[(i * 7) % len(FILLER)]}.</p>",
                "is_published": True,
                "sequence": i,
            }
            for i in range(count)
        ]
    )
    return len(faqs)
