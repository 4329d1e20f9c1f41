import json
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..utils.care_dates import CompanyToday
from ..utils.cron_isolation import at_once_or_each

HEALTH_STATES = [
    ("at_risk", "At Risk"),
    ("watch", "Watch"),
    ("healthy", "Healthy"),
]
# below this a customer is at risk, below the next one watched
AT_RISK_BELOW = 40
WATCH_BELOW = 75
# promises slipped within this many days weigh on the health
PROMISE_WINDOW_DAYS = 90


class ResPartner(models.Model):
    """Customer health (keep the customers you have): one score from the care
    signals, and the reasons that pulled it down. Refreshed daily for all
    customer companies, in batches, by a scheduled action; a manager or rep
    can refresh one customer at once."""

    _inherit = "res.partner"

    custcare_health = fields.Integer(
        string="Health",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="0 to 100 (100 = healthy), from the care signals: care state, "
        "temperature, answers to our notices, promises, messages awaiting a "
        "reply, open improvement points and open tickets.",
        groups="custcare_loop.group_custcare_user",
    )
    custcare_health_state = fields.Selection(
        selection=HEALTH_STATES,
        string="Health State",
        readonly=True,
        copy=False,
        index="btree_not_null",
        group_expand=True,
        groups="custcare_loop.group_custcare_user",
    )
    # what pulled the health down, as codes and values (written by the
    # nightly job), shown in the reader's language
    custcare_health_reason_data = fields.Json(
        string="Health Reasons (codes)",
        readonly=True,
        copy=False,
        groups="custcare_loop.group_custcare_user",
    )
    custcare_health_reasons = fields.Text(
        string="What Pulls Health Down",
        compute="_compute_custcare_health_reasons",
        groups="custcare_loop.group_custcare_user",
    )
    custcare_health_date = fields.Date(
        string="Health Checked On",
        readonly=True,
        copy=False,
        groups="custcare_loop.group_custcare_user",
    )

    @api.depends(
        "custcare_health_reason_data",
        "custcare_contact_state",
        "custcare_temperature",
    )
    @api.depends_context("lang")
    def _compute_custcare_health_reasons(self):
        """The reasons, in the reader's language; one that is no longer true
        (a customer contacted since, or cooled down) is not shown while the
        score waits for its refresh."""
        for partner in self:
            partner.custcare_health_reasons = (
                "\n".join(
                    partner._custcare_health_reason_text(code, values)
                    for code, values in partner.custcare_health_reason_data or []
                    if partner._custcare_health_reason_holds(code, values)
                )
                or False
            )

    def _custcare_health_reason_holds(self, code, values):
        """Whether a stored reason is still true, for those the partner's own
        fields tell at no cost."""
        self.ensure_one()
        if code in ("overdue", "due"):
            return self.custcare_contact_state == code
        if code == "temperature":
            return self.custcare_temperature == values.get("value")
        return True

    def _custcare_health_follow(self):
        """What changes a customer's health as a person acts (a conversation
        logged, a ticket closed, an answer to a notice) refreshes it at once,
        for the customers already measured: the At Risk board and the Care
        Board agree. The nightly job stays for ageing (days overdue grow)."""
        # sudo: res.partner - whoever closes a ticket refreshes its
        # customer's health, Customer Care user or not
        companies = self.sudo().commercial_partner_id.filtered("custcare_health_state")
        if companies:
            companies._custcare_refresh_health()

    def _custcare_health_reason_text(self, code, values):
        """The reason ``code`` with its ``values``, in the reader's language
        (bridges add their own codes)."""
        count, days = values.get("count", 0), values.get("days", 0)
        if code == "overdue":
            return self.env._("overdue by %(days)s days", days=days)
        if code == "due":
            return self.env._("contact due")
        if code == "temperature":
            label = dict(
                self._fields["custcare_temperature"]._description_selection(self.env)
            )
            return self.env._(
                "temperature: %(t)s", t=label.get(values.get("value"), "").lower()
            )
        if code == "open_points":
            if count == 1:
                return self.env._("1 open improvement point")
            return self.env._("%(count)s open improvement points", count=count)
        if code == "answer_bad":
            return self.env._("last answer: still a problem")
        if code == "answer_partial":
            return self.env._("last answer: partly works")
        if code == "open_tickets":
            if count == 1:
                return self.env._("1 open ticket")
            return self.env._("%(count)s open tickets", count=count)
        if code == "point_owed":
            if count == 1:
                return self.env._(
                    "1 ticket closed without asking what we could do better"
                )
            return self.env._(
                "%(count)s tickets closed without asking what we could do better",
                count=count,
            )
        if code == "promises_slipped":
            if count == 1:
                return self.env._("1 promise slipped")
            return self.env._("%(count)s promises slipped", count=count)
        if code == "reply_waiting":
            if days <= 1:
                return self.env._("waiting for a reply since yesterday")
            return self.env._("waiting for a reply for %(days)s days", days=days)
        return code

    @api.model
    def _custcare_health_state_for(self, score):
        if score < AT_RISK_BELOW:
            return "at_risk"
        if score < WATCH_BELOW:
            return "watch"
        return "healthy"

    @api.model
    def _custcare_health_candidate_ids(self, stale_only=True):
        """Whose health is measured, by id: customer companies (and people
        without a company) that are under care or have had a ticket or a
        conversation. With ``stale_only``, those not refreshed today yet, so
        that an interrupted run resumes where it stopped. One query."""
        partner = self.env["res.partner"]._fields
        # three single scans rather than a subquery per partner
        rows = self.env.execute_query(
            SQL(
                """
                WITH candidates AS (
                    SELECT id FROM res_partner WHERE custcare_under_care
                     UNION
                    SELECT commercial_partner_id FROM helpdesk_ticket
                     UNION
                    SELECT commercial_partner_id FROM custcare_conversation
                )
                SELECT p.id
                  FROM candidates c
                  JOIN res_partner p ON p.id = c.id
                 WHERE p.parent_id IS NULL
                   AND p.active
                   AND (%(all)s OR p.custcare_health_date IS NULL
                        OR p.custcare_health_date < %(today)s)
              ORDER BY p.id
                """,
                all=not stale_only,
                today=fields.Date.today(),
                to_flush=[
                    partner["custcare_under_care"],
                    partner["parent_id"],
                    partner["active"],
                    partner["custcare_health_date"],
                    self.env["helpdesk.ticket"]._fields["commercial_partner_id"],
                    self.env["custcare.conversation"]._fields["commercial_partner_id"],
                ],
            )
        )
        return [row[0] for row in rows]

    def _custcare_health_signals(self):
        """{partner id: [(penalty, code, values), …]} for these commercial
        partners, with a constant number of queries whatever their number.
        A reason is a code and its values (``_custcare_health_reason_text``
        renders it for whoever reads it)."""
        signals = defaultdict(list)
        today = fields.Date.today()
        ids = self.ids
        # sudo: res.partner - the care state and temperature of the measured
        # customers, whoever refreshes (a rep, a closing ticket, the job): the
        # health is shown to Customer Care users only (groups=)
        partners = self.sudo().with_context(active_test=False)
        partners.fetch(
            [
                "custcare_contact_state",
                "custcare_next_contact_date",
                "custcare_temperature",
                "custcare_company_id",
            ]
        )
        today_in = CompanyToday()
        for partner in partners:
            if partner.custcare_contact_state == "overdue":
                days = (
                    today_in[partner._custcare_care_company()]
                    - partner.custcare_next_contact_date
                ).days
                signals[partner.id].append((30, "overdue", {"days": days}))
            elif partner.custcare_contact_state == "due":
                signals[partner.id].append((10, "due", {}))
            temperature = partner.custcare_temperature
            if temperature in ("hot", "boiling", "warm"):
                penalty = {"boiling": 30, "hot": 20, "warm": 5}[temperature]
                signals[partner.id].append(
                    (penalty, "temperature", {"value": temperature})
                )
        self._custcare_health_answer_signals(ids, signals)
        self._custcare_health_ticket_signals(ids, signals, today)
        # sudo: custcare.improvement.point - counted whoever refreshes (a
        # helpdesk agent closing a ticket sees only their tickets' points)
        points = dict(
            self.env["custcare.improvement.point"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", ids),
                    ("state", "in", ("new", "planned")),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner, count in points.items():
            signals[partner.id].append(
                (min(2 * count, 10), "open_points", {"count": count})
            )
        return signals

    def _custcare_health_answer_signals(self, ids, signals):
        """The customer's latest answer to one of our notices."""
        rating = self.env["rating.rating"]._fields
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (p.commercial_partner_id)
                       p.commercial_partner_id, r.custcare_answer
                  FROM rating_rating r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE p.commercial_partner_id IN %s
                   AND r.custcare_notice IS NOT NULL
                   AND r.consumed
              ORDER BY p.commercial_partner_id, r.rated_on DESC NULLS LAST, r.id DESC
                """,
                tuple(ids),
                to_flush=[
                    rating["partner_id"],
                    rating["custcare_notice"],
                    rating["consumed"],
                    rating["custcare_answer"],
                    rating["rated_on"],
                    self._fields["commercial_partner_id"],
                ],
            )
        )
        for partner_id, answer in rows:
            if answer == "bad":
                signals[partner_id].append((30, "answer_bad", {}))
            elif answer == "partial":
                signals[partner_id].append((10, "answer_partial", {}))

    def _custcare_health_ticket_signals(self, ids, signals, today):
        # sudo: helpdesk.ticket - counted whoever refreshes (a rep may read no
        # ticket, an agent only theirs); counts and days only
        Ticket = self.env["helpdesk.ticket"].sudo()
        for partner, count in Ticket._read_group(
            [("commercial_partner_id", "in", ids), ("closed", "=", False)],
            ["commercial_partner_id"],
            ["__count"],
        ):
            signals[partner.id].append(
                (min(5 * count, 15), "open_tickets", {"count": count})
            )
        # closed by the system before anyone asked what we could do better
        for partner, count in Ticket._read_group(
            [
                ("commercial_partner_id", "in", ids),
                ("custcare_point_owed", "=", True),
            ],
            ["commercial_partner_id"],
            ["__count"],
        ):
            signals[partner.id].append(
                (min(5 * count, 10), "point_owed", {"count": count})
            )
        since = fields.Datetime.now() - timedelta(days=PROMISE_WINDOW_DAYS)
        for partner, count in Ticket._read_group(
            [
                ("commercial_partner_id", "in", ids),
                ("custcare_promise_state", "=", "slipped"),
                ("custcare_promised_date", ">=", since),
            ],
            ["commercial_partner_id"],
            ["__count"],
        ):
            signals[partner.id].append(
                (min(10 * count, 20), "promises_slipped", {"count": count})
            )
        for partner, oldest in Ticket._read_group(
            Domain("commercial_partner_id", "in", ids)
            & Ticket._custcare_reply_late_domain(),
            ["commercial_partner_id"],
            ["custcare_awaiting_reply_since:min"],
        ):
            days = (today - oldest.date()).days
            signals[partner.id].append((15, "reply_waiting", {"days": days}))

    def _custcare_health_values(self):
        """{partner: (score, state, reasons)} for these commercial partners;
        reasons as a JSON text of [code, values] pairs, worst first (hashable:
        partners with the same values are written at once)."""
        signals = self._custcare_health_signals()
        values = {}
        for partner in self:
            found = sorted(signals.get(partner.id, []), key=lambda s: -s[0])
            score = max(0, 100 - sum(penalty for penalty, _code, _values in found))
            values[partner] = (
                score,
                self._custcare_health_state_for(score),
                json.dumps([[code, data] for _penalty, code, data in found])
                if found
                else "",
            )
        return values

    def _custcare_refresh_health(self):
        """Compute and store the health of these commercial partners: one
        write per distinct value, not one per partner."""
        groups = defaultdict(list)
        for partner, value in self._custcare_health_values().items():
            groups[value].append(partner.id)
        today = fields.Date.today()
        # sudo: res.partner - the health fields are read-only to people, and
        # the refresher (a rep, whoever closes a ticket) may not edit contacts
        Partner = self.sudo().with_context(tracking_disable=True)
        for (score, state, reasons), ids in groups.items():
            # prefetching over the whole batch: what res.partner's write()
            # reads (the old values, users, children) is read once, not once
            # per distinct value
            Partner.browse(ids).with_prefetch(self._ids).write(
                {
                    "custcare_health": score,
                    "custcare_health_state": state,
                    "custcare_health_reason_data": json.loads(reasons)
                    if reasons
                    else False,
                    "custcare_health_date": today,
                }
            )
        return len(self)

    def action_custcare_refresh_health(self):
        self.commercial_partner_id._custcare_refresh_health()
        return True

    @api.model
    def _cron_custcare_health(self, batch_size=10000):
        """Refresh every customer's health once a day, in batches, each its
        own transaction; a run stopped by its time limit or a killed worker
        resumes with the customers not refreshed today."""
        cron = self.env["ir.cron"]
        ids = self._custcare_health_candidate_ids()
        # sudo: res.partner - the job measures every candidate of every
        # company, whichever user it runs as
        Partner = self.sudo().with_context(active_test=False)
        for start in range(0, len(ids), batch_size):
            batch = Partner.browse(ids[start : start + batch_size])
            at_once_or_each(
                batch, lambda partners: partners._custcare_refresh_health(), "health"
            )
            remaining = len(ids) - start - len(batch)
            if not cron._commit_progress(len(batch), remaining=remaining):
                break
            self.env.invalidate_all()
