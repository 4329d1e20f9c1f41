from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..utils.bookkeeping import update_where
from ..utils.care_dates import CompanyToday, company_today
from .custcare_tier import INTERVAL_TYPES, cadence_delta, check_cadence, plural_units

# in the care board's column order: what needs a call first
CONTACT_STATES = [
    ("overdue", "Overdue"),
    ("due", "Due"),
    ("on_track", "On Track"),
]


class ResPartner(models.Model):
    """Proactive contact: a customer under care has a cadence (its tier's or
    its own), a last and a next contact date, and a care state."""

    _inherit = "res.partner"

    custcare_tier_id = fields.Many2one(
        comodel_name="custcare.tier",
        string="Care Tier",
        index="btree_not_null",
        tracking=True,
        help="Sets how often this customer is contacted on purpose.",
    )
    custcare_interval_number = fields.Integer(
        string="Own Cadence",
        help="When set, this customer is contacted at this cadence instead of "
        "their tier's.",
    )
    custcare_interval_type = fields.Selection(
        selection=INTERVAL_TYPES,
        string="Own Cadence Unit",
        default="months",
    )
    custcare_under_care = fields.Boolean(
        string="Under Care",
        compute="_compute_custcare_under_care",
        store=True,
        index=True,
    )
    custcare_care_start_date = fields.Date(
        string="Under Care Since",
        compute="_compute_custcare_care_start_date",
        store=True,
        copy=False,
        help="A customer never contacted is due from this day.",
    )
    custcare_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Care Company",
        compute="_compute_custcare_company_id",
        store=True,
        index="btree_not_null",
        help="The company whose care settings (lead time, fallback rep) apply "
        "to this customer: its own company, else its salesperson's, else the "
        "first company.",
    )
    custcare_last_contact_date = fields.Date(
        string="Last Contact",
        readonly=True,
        copy=False,
        help="The day of the latest contact with this customer or their "
        "contacts: a closed conversation or a proactive contact marked done, "
        "in the time zone of whoever made it.",
    )
    custcare_next_contact_date = fields.Date(
        string="Next Contact",
        compute="_compute_custcare_next_contact_date",
        store=True,
        index=True,
        copy=False,
    )
    custcare_contact_state = fields.Selection(
        selection=CONTACT_STATES,
        string="Care State",
        compute="_compute_custcare_contact_state",
        group_expand=True,
        store=True,
        index=True,
        copy=False,
    )
    custcare_on_track_rate = fields.Float(
        string="On Track (%)",
        compute="_compute_custcare_contact_state",
        store=True,
        aggregator="avg",
        copy=False,
    )

    custcare_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_custcare_days_overdue",
    )
    custcare_cadence_label = fields.Char(
        string="Cadence",
        compute="_compute_custcare_cadence_label",
        help="How often this customer is contacted, and where the cadence comes from.",
    )

    @api.depends("custcare_next_contact_date")
    def _compute_custcare_days_overdue(self):
        today_in = CompanyToday()
        for partner in self:
            today = today_in[partner._custcare_care_company()]
            next_date = partner.custcare_next_contact_date
            partner.custcare_days_overdue = (
                (today - next_date).days if next_date and next_date < today else 0
            )

    @api.depends(
        "custcare_tier_id.interval_number",
        "custcare_tier_id.interval_type",
        "custcare_interval_number",
        "custcare_interval_type",
    )
    def _compute_custcare_cadence_label(self):
        # the units as words in a sentence (German capitalises its nouns:
        # not lower() of the selection's labels)
        units = plural_units(self.env)
        singular = {
            "days": self.env._("day"),
            "weeks": self.env._("week"),
            "months": self.env._("month"),
        }
        for partner in self:
            if partner.custcare_interval_number > 0:
                number = partner.custcare_interval_number
                unit = partner.custcare_interval_type or "months"
                origin = self.env._("own cadence")
            elif partner.custcare_tier_id:
                number = partner.custcare_tier_id.interval_number
                unit = partner.custcare_tier_id.interval_type
                origin = partner.custcare_tier_id.display_name
            else:
                partner.custcare_cadence_label = False
                continue
            partner.custcare_cadence_label = (
                self.env._(
                    "every %(unit)s (%(origin)s)", unit=singular[unit], origin=origin
                )
                if number == 1
                else self.env._(
                    "every %(number)s %(unit)s (%(origin)s)",
                    number=number,
                    unit=units[unit],
                    origin=origin,
                )
            )

    @api.depends("custcare_tier_id", "custcare_interval_number")
    def _compute_custcare_under_care(self):
        for partner in self:
            partner.custcare_under_care = bool(
                partner.custcare_interval_number > 0 or partner.custcare_tier_id
            )

    @api.depends("custcare_under_care")
    def _compute_custcare_care_start_date(self):
        today_in = CompanyToday()
        for partner in self:
            if not partner.custcare_under_care:
                partner.custcare_care_start_date = False
            elif not partner.custcare_care_start_date:
                partner.custcare_care_start_date = today_in[
                    partner._custcare_care_company()
                ]

    def write(self, vals):
        # sudo: res.company - whether a company's address is written,
        # whichever companies the user may read
        if "tz" in vals and self.env["res.company"].sudo().search_count(
            [("partner_id", "in", self.ids)], limit=1
        ):
            # a company's time zone sets its customers' "today"
            self.env.registry.clear_cache()  # res.company._custcare_tz
        return super().write(vals)

    def _custcare_care_company(self):
        """The company whose rules (lead time, fallback rep, day) apply."""
        self.ensure_one()
        return self.custcare_company_id or self.company_id or self.env.company

    @api.depends(
        "custcare_under_care",
        "company_id",
        "user_id.company_id",
        "commercial_partner_id.company_id",
        "commercial_partner_id.user_id.company_id",
    )
    def _compute_custcare_company_id(self):
        first_company = None
        for partner in self:
            if not partner.custcare_under_care:
                partner.custcare_company_id = False
                continue
            commercial = partner.commercial_partner_id
            company = (
                partner.company_id
                or commercial.company_id
                or (partner.user_id or commercial.user_id).company_id
            )
            if not company:
                if first_company is None:
                    # sudo: res.company - the first company, the same for
                    # every user reading the partner
                    first_company = (
                        self.env["res.company"].sudo().search([], order="id", limit=1)
                    )
                company = first_company
            partner.custcare_company_id = company

    @api.depends(
        "custcare_under_care",
        "custcare_care_start_date",
        "custcare_last_contact_date",
        "custcare_interval_number",
        "custcare_interval_type",
        "custcare_tier_id.interval_number",
        "custcare_tier_id.interval_type",
    )
    def _compute_custcare_next_contact_date(self):
        for partner in self:
            delta = partner._custcare_cadence()
            if delta is None:
                partner.custcare_next_contact_date = False
            else:
                # never before the customer came under care: a contact made
                # long before does not make a new customer overdue at once
                start = partner.custcare_care_start_date or company_today(
                    partner._custcare_care_company()
                )
                last = partner.custcare_last_contact_date
                partner.custcare_next_contact_date = (
                    max(last + delta, start) if last else start
                )

    @api.depends("custcare_next_contact_date", "custcare_company_id.custcare_lead_days")
    def _compute_custcare_contact_state(self):
        today_in = CompanyToday()
        for partner in self:
            today = today_in[partner._custcare_care_company()]
            next_date = partner.custcare_next_contact_date
            state = next_date and self._custcare_state_for(
                next_date, today, partner.custcare_company_id.custcare_lead_days
            )
            partner.custcare_contact_state = state or False
            partner.custcare_on_track_rate = 100.0 if state == "on_track" else 0.0

    @api.constrains("custcare_interval_number", "custcare_interval_type")
    def _check_custcare_cadence(self):
        for partner in self:
            number = partner.custcare_interval_number
            if number < 0:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the own cadence cannot be negative; clear it "
                        "(0) to use the care tier's.",
                        partner=partner.display_name,
                    )
                )
            if number:
                check_cadence(
                    self.env,
                    number,
                    partner.custcare_interval_type,
                    partner.display_name,
                )

    # ------------------------------------------------------------------
    # Cadence and state
    # ------------------------------------------------------------------

    def _custcare_cadence(self):
        """The partner's cadence as a relativedelta, None when not under care.
        The partner's own cadence wins over its tier's."""
        self.ensure_one()
        if self.custcare_interval_number > 0:
            return cadence_delta(
                self.custcare_interval_number, self.custcare_interval_type or "months"
            )
        tier = self.custcare_tier_id
        if tier:
            return cadence_delta(tier.interval_number, tier.interval_type)
        return None

    @api.model
    def _custcare_state_for(self, next_date, today, lead_days):
        if next_date < today:
            return "overdue"
        if next_date <= today + timedelta(days=lead_days):
            return "due"
        return "on_track"

    @api.model
    def _custcare_stale_state_domain(self, today, lead_days):
        """Partners whose stored care state is no longer right today."""
        limit_due = today + timedelta(days=lead_days)
        return Domain.OR(
            [
                Domain("custcare_next_contact_date", "<", today)
                & Domain("custcare_contact_state", "!=", "overdue"),
                Domain("custcare_next_contact_date", ">=", today)
                & Domain("custcare_next_contact_date", "<=", limit_due)
                & Domain("custcare_contact_state", "!=", "due"),
                Domain("custcare_next_contact_date", ">", limit_due)
                & Domain("custcare_contact_state", "!=", "on_track"),
            ]
        )

    @api.model
    def _custcare_refresh_contact_states(self, companies=None):
        """Age the stored care states: a next contact date that passed makes
        the partner due, then overdue, without anyone editing it. Each
        partner is judged with its care company's lead time, whoever runs
        this, on the day it is in that company."""
        # every company: a handful, each with its own lead time and day
        # sudo: res.company - the job and a rep's refresh age every company's
        # customers alike
        companies = companies or self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        domain = Domain("custcare_under_care", "=", True) & Domain.OR(
            Domain("custcare_company_id", "=", company.id)
            & self._custcare_stale_state_domain(
                company_today(company), company.custcare_lead_days
            )
            for company in companies
        )
        # sudo: res.partner - stored states age whoever runs this; only the
        # states are recomputed, nothing is read back
        stale = self.with_context(active_test=False).sudo().search(domain)
        if stale:
            for name in ("custcare_contact_state", "custcare_on_track_rate"):
                self.env.add_to_compute(self._fields[name], stale)
            stale.flush_recordset(["custcare_contact_state", "custcare_on_track_rate"])
        return len(stale)

    def _custcare_update_last_contact_date(self):
        """Recompute the last contact date of the partners and their
        companies from every kind of contact (see custcare.contact.rules)."""
        partners = self.commercial_partner_id | self
        if not partners:
            return
        last = self.env["custcare.contact.rules"]._last_contact_days(partners)
        # sudo: res.partner - a rep closing a conversation or marking a call
        # done moves the date of a customer they may not edit
        for partner in partners.sudo():
            value = last.get(partner.id, False)
            if partner.custcare_last_contact_date != value:
                partner.custcare_last_contact_date = value

    @api.model
    def _custcare_register_contact(self, partner_ids, day):
        """A contact on ``day`` with the partners ``partner_ids``: the last
        contact date of the customers among them and of their companies moves
        forward (never back). One statement; on a day they were already
        contacted it changes nothing (see utils/bookkeeping.py)."""
        if not partner_ids:
            return self.browse()
        is_customer = self.env["custcare.contact.rules"]._is_customer_sql(SQL("c.id"))
        return update_where(
            self,
            {"custcare_last_contact_date": day},
            SQL(
                """id IN (
                       SELECT unnest(ARRAY[c.id, c.commercial_partner_id])
                         FROM res_partner c WHERE c.id IN %s AND %s
                   )
                   AND (custcare_last_contact_date IS NULL
                        OR custcare_last_contact_date < %s)""",
                tuple(partner_ids),
                is_customer,
                day,
                to_flush=self._fields["commercial_partner_id"],
            ),
        )
