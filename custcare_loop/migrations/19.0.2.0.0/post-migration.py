# Copyright 2026 custcare_loop developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.0: the customer's answers leave the ticket for Odoo ratings.

Up to 19.0.1.3.0 a ticket held its closing-the-loop answers in its own
columns: one token (the current notice's links) with its round, one answer
per round, one comment, one answer date. Now each notice is one
``rating.rating`` (``custcare_notice`` = ``resolution`` or ``later``), so
every recorded answer becomes a consumed rating, the comment goes with the
answer it most likely belongs to, and a token still waiting for its answer
becomes an open rating with that token, so the links in the customer's mail
keep working. Then the old columns go. The fields' ``ir.model.fields`` and
``ir.model.data`` records are left to Odoo, which removes them at the end of
the upgrade and keeps the chatter's tracking of the old answers readable.

Runs in batches of tickets (one read, one ``create`` and one update per
batch), and only for tickets that have no Customer Care rating yet: a second
run creates nothing.
"""

import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL, sql

_logger = logging.getLogger("odoo.addons.custcare_loop.migrations")

BATCH_SIZE = 1000

OLD_COLUMNS = (
    "custcare_feedback_token",
    "custcare_feedback_round",
    "custcare_feedback_answer",
    "custcare_later_answer",
    "custcare_feedback_comment",
    "custcare_feedback_date",
)

# the answers as rating values in 19.0.2.0.0 (kept here: this script
# converts the data of that version, whatever the models say later)
ANSWER_RATINGS = {"good": 5, "partial": 3, "bad": 1}

# the company setting's default when a ticket has no company
LATER_CHECK_DAYS = 14

TICKETS_TO_MIGRATE = SQL(
    """
    SELECT t.id
      FROM helpdesk_ticket t
     WHERE (t.custcare_feedback_token IS NOT NULL
            OR t.custcare_feedback_answer IS NOT NULL
            OR t.custcare_later_answer IS NOT NULL
            OR COALESCE(t.custcare_feedback_comment, '') != '')
       AND NOT EXISTS (
            SELECT 1
              FROM rating_rating r
             WHERE r.res_model = 'helpdesk.ticket'
               AND r.res_id = t.id
               AND r.custcare_notice IS NOT NULL)
     ORDER BY t.id
    """
)

OLD_ANSWERS = """
    SELECT t.id,
           t.partner_id,
           u.partner_id AS owner_partner_id,
           t.custcare_feedback_token AS token,
           t.custcare_feedback_round AS round,
           t.custcare_feedback_answer AS resolution_answer,
           t.custcare_later_answer AS later_answer,
           NULLIF(t.custcare_feedback_comment, '') AS comment,
           t.custcare_feedback_date AS answered_on,
           COALESCE(t.custcare_resolved_date, t.write_date, t.create_date)
               AS resolved_on,
           COALESCE(c.custcare_later_check_days, %s) AS later_check_days
      FROM helpdesk_ticket t
      LEFT JOIN res_users u ON u.id = t.user_id
      LEFT JOIN res_company c ON c.id = t.company_id
     WHERE t.id = ANY(%s)
     ORDER BY t.id
"""


def _questions(row, now):
    """The ratings that one ticket's old columns stand for, in the order they
    were asked (the ticket's current question last): dicts with the notice,
    the answer's value, the comment, the token, when asked and when answered.

    In 19.0.1.3.0 a new resolution notice cleared the resolution answer and
    the answer date, a later check cleared the later answer, and the token
    and its round were the latest notice's. So the answer to the current
    round is the latest answer, dated ``custcare_feedback_date``; the other
    answer came before it: the resolution answer of the same cycle, or the
    later answer of an earlier cycle (dated no later than this cycle's
    resolution)."""
    current = "later" if row["round"] == "later" else "resolution"
    answers = {"resolution": row["resolution_answer"], "later": row["later_answer"]}
    answered = [notice for notice in ("resolution", "later") if answers[notice]]
    if len(answered) == 2 and current == "resolution":
        answered.reverse()
    resolved_on = row["resolved_on"]
    later_check_on = resolved_on + timedelta(days=row["later_check_days"] or 0)
    # the comment was the first one given after an answer, to either round
    comment = row["comment"]
    comment_to = "resolution" if answers["resolution"] else "later"
    questions = []
    if comment and not answered:
        # the answer it came with was cleared by a newer notice: the comment
        # stays, on a question answered without a value we still know
        questions.append(
            {
                "notice": "resolution",
                "consumed": True,
                "rating": 0,
                "feedback": comment,
                "rated_on": resolved_on,
                "asked_on": resolved_on,
            }
        )
    for notice in answered:
        latest = notice == answered[-1]
        rated_on = (
            (row["answered_on"] or resolved_on)
            if latest
            else min(resolved_on, row["answered_on"] or resolved_on)
        )
        asked_on = resolved_on if notice == "resolution" else later_check_on
        questions.append(
            {
                "notice": notice,
                "consumed": True,
                "rating": ANSWER_RATINGS[answers[notice]],
                "feedback": comment if notice == comment_to else False,
                # links of the current notice say "already answered"
                "token": row["token"] if notice == current else False,
                "rated_on": rated_on,
                "asked_on": min(asked_on, rated_on),
            }
        )
    if row["token"] and not answers[current]:
        questions.append(
            {
                "notice": current,
                "consumed": False,
                "token": row["token"],
                "rated_on": None,
                "asked_on": resolved_on
                if current == "resolution"
                else min(later_check_on, now),
            }
        )
    return questions


def _migrate_batch(env, ticket_ids, now):
    """Ratings for a batch of tickets: (answered, waiting) created."""
    cr = env.cr
    cr.execute(OLD_ANSWERS, [LATER_CHECK_DAYS, ticket_ids])
    rows = cr.dictfetchall()
    tickets = env["helpdesk.ticket"].browse(ticket_ids)
    # what the ratings' stored computes read, fetched for the whole batch
    tickets.fetch(["name", "team_id"])
    tickets.mapped("display_name")
    tickets.team_id.mapped("display_name")

    model_id = env["ir.model"]._get_id("helpdesk.ticket")
    vals_list, dates = [], []
    for row in rows:
        for question in _questions(row, now):
            vals = {
                "res_model_id": model_id,
                "res_id": row["id"],
                "partner_id": row["partner_id"],
                "rated_partner_id": row["owner_partner_id"],
                "custcare_notice": question["notice"],
                "consumed": question["consumed"],
            }
            if question["consumed"]:
                vals["rating"] = question["rating"]
                vals["feedback"] = question["feedback"] or False
            if question.get("token"):
                vals["access_token"] = question["token"]
            vals_list.append(vals)
            dates.append((question["asked_on"], question["rated_on"]))
    ratings = env["rating.rating"].create(vals_list)
    env.flush_all()
    # "Asked On" and "Answered On" as they were, not the upgrade's date;
    # write_date too, by which Odoo orders a record's ratings
    cr.execute(
        """
        UPDATE rating_rating r
           SET create_date = d.asked_on,
               rated_on = d.rated_on,
               write_date = COALESCE(d.rated_on, d.asked_on)
          FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[])
               AS d(id, asked_on, rated_on)
         WHERE r.id = d.id
        """,
        [ratings.ids, [asked for asked, _ in dates], [rated for _, rated in dates]],
    )
    ratings.invalidate_recordset(["create_date", "write_date", "rated_on"])
    if "rating_last_value" in tickets._fields:
        env.add_to_compute(tickets._fields["rating_last_value"], tickets)
    env.flush_all()
    env.invalidate_all()
    answered = sum(1 for vals in vals_list if vals["consumed"])
    return answered, len(vals_list) - answered


def _migrate_answers(env):
    """Ratings for every ticket with old answers and no Customer Care
    rating yet, batch by batch."""
    now = fields.Datetime.now()
    env.cr.execute(TICKETS_TO_MIGRATE)
    ticket_ids = [ticket_id for (ticket_id,) in env.cr.fetchall()]
    answered = waiting = 0
    for start in range(0, len(ticket_ids), BATCH_SIZE):
        batch = ticket_ids[start : start + BATCH_SIZE]
        batch_answered, batch_waiting = _migrate_batch(env, batch, now)
        answered += batch_answered
        waiting += batch_waiting
    _logger.info(
        "custcare_loop: %s answered and %s open customer questions of %s "
        "tickets moved to ratings",
        answered,
        waiting,
        len(ticket_ids),
    )


def _drop_old_columns(cr):
    cr.execute(
        SQL(
            "ALTER TABLE helpdesk_ticket %s",
            SQL(", ").join(
                SQL("DROP COLUMN IF EXISTS %s", SQL.identifier(column))
                for column in OLD_COLUMNS
            ),
        )
    )


def migrate(cr, version):
    if not version:
        return
    missing = [
        column
        for column in OLD_COLUMNS
        if not sql.column_exists(cr, "helpdesk_ticket", column)
    ]
    if missing:
        _logger.info(
            "custcare_loop: no %s column on helpdesk_ticket: answers migrated already",
            ", ".join(missing),
        )
    else:
        _migrate_answers(api.Environment(cr, SUPERUSER_ID, {}))
    _drop_old_columns(cr)
