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


def _old_columns(cr):
    """The old columns as SQL expressions on ``helpdesk_ticket t``: NULL for
    a column the database never had (the first 19.0.1.3.0 had no round and
    no later answer), or None when none is left (migrated already)."""
    present = {
        column: sql.column_exists(cr, "helpdesk_ticket", column)
        for column in (*OLD_COLUMNS, "custcare_resolved_date")
    }
    if not any(present[column] for column in OLD_COLUMNS):
        return None
    old = {
        column: SQL("t.%s", SQL.identifier(column))
        if exists
        else SQL("NULL::timestamp" if column.endswith("_date") else "NULL::varchar")
        for column, exists in present.items()
    }
    old["custcare_later_check_days"] = (
        SQL("c.custcare_later_check_days")
        if sql.column_exists(cr, "res_company", "custcare_later_check_days")
        else SQL("NULL::int")
    )
    return old


def _tickets_to_migrate(cr, old):
    """Tickets with an old answer, comment or token and no Customer Care
    rating yet (so that a second run creates nothing)."""
    cr.execute(
        SQL(
            """
            SELECT t.id
              FROM helpdesk_ticket t
             WHERE (%(token)s IS NOT NULL
                    OR %(answer)s IS NOT NULL
                    OR %(later)s IS NOT NULL
                    OR COALESCE(%(comment)s, '') != '')
               AND NOT EXISTS (
                    SELECT 1
                      FROM rating_rating r
                     WHERE r.res_model = 'helpdesk.ticket'
                       AND r.res_id = t.id
                       AND r.custcare_notice IS NOT NULL)
             ORDER BY t.id
            """,
            token=old["custcare_feedback_token"],
            answer=old["custcare_feedback_answer"],
            later=old["custcare_later_answer"],
            comment=old["custcare_feedback_comment"],
        )
    )
    return [ticket_id for (ticket_id,) in cr.fetchall()]


def _old_answers(cr, old, ticket_ids):
    cr.execute(
        SQL(
            """
            SELECT t.id,
                   t.partner_id,
                   u.partner_id AS owner_partner_id,
                   %(token)s AS token,
                   %(round)s AS round,
                   %(answer)s AS resolution_answer,
                   %(later)s AS later_answer,
                   NULLIF(%(comment)s, '') AS comment,
                   %(answered_on)s AS answered_on,
                   COALESCE(%(resolved_on)s, t.write_date, t.create_date)
                       AS resolved_on,
                   COALESCE(%(later_check_days)s, %(default_days)s)
                       AS later_check_days
              FROM helpdesk_ticket t
              LEFT JOIN res_users u ON u.id = t.user_id
              LEFT JOIN res_company c ON c.id = t.company_id
             WHERE t.id = ANY(%(ids)s)
             ORDER BY t.id
            """,
            token=old["custcare_feedback_token"],
            round=old["custcare_feedback_round"],
            answer=old["custcare_feedback_answer"],
            later=old["custcare_later_answer"],
            comment=old["custcare_feedback_comment"],
            answered_on=old["custcare_feedback_date"],
            resolved_on=old["custcare_resolved_date"],
            later_check_days=old["custcare_later_check_days"],
            default_days=LATER_CHECK_DAYS,
            ids=ticket_ids,
        )
    )
    return cr.dictfetchall()


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


def _migrate_batch(env, old, ticket_ids, now):
    """Ratings for a batch of tickets: (answered, waiting) created."""
    cr = env.cr
    rows = _old_answers(cr, old, ticket_ids)
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


def _migrate_answers(env, old):
    """Ratings for every ticket with old answers and no Customer Care
    rating yet, batch by batch."""
    now = fields.Datetime.now()
    ticket_ids = _tickets_to_migrate(env.cr, old)
    answered = waiting = 0
    for start in range(0, len(ticket_ids), BATCH_SIZE):
        batch = ticket_ids[start : start + BATCH_SIZE]
        batch_answered, batch_waiting = _migrate_batch(env, old, batch, now)
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
    old = _old_columns(cr)
    if old is None:
        _logger.info("custcare_loop: no old answer column left: nothing to migrate")
        return
    _migrate_answers(api.Environment(cr, SUPERUSER_ID, {}), old)
    _drop_old_columns(cr)
