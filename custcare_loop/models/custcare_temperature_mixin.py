from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..utils.bookkeeping import update_where
from ..utils.care_dates import local_day
from ..utils.competitor_matcher import html_to_scan_text
from ..utils.temperature import HOT, RANK, TEMPERATURES, hotter, suggest
from .custcare_contact_rules import CUSTOMER


class CustcareTemperatureMixin(models.AbstractModel):
    """The customer's temperature on a ticket or a conversation (the kettle):
    how upset they are, as the rep judges it. Hot or boiling while open
    escalates once to the team leader; closing a record that was hot or
    boiling gives its owner a follow-up ("are you happy now?"). The hottest
    temperature while open and the one at closing show who cools customers
    down. A suggestion read from the customer's own words (English only) is
    offered, never applied silently.

    Models name their temperature field in ``_custcare_temperature_field``
    and say when they are open (``_custcare_is_open``, with the fields that
    change it in ``_custcare_open_fields``)."""

    _name = "custcare.temperature.mixin"
    _inherit = ["custcare.owner.mixin"]
    _description = "Customer Care: customer temperature"

    _custcare_temperature_field = "custcare_temperature"
    _custcare_open_fields = ()

    custcare_temperature_peak = fields.Selection(
        selection=TEMPERATURES,
        string="Hottest While Open",
        readonly=True,
        copy=False,
    )
    custcare_temperature_at_close = fields.Selection(
        selection=TEMPERATURES,
        string="Temperature at Closing",
        readonly=True,
        copy=False,
    )
    custcare_cooled_down = fields.Boolean(
        string="Cooled Down",
        readonly=True,
        copy=False,
        help="Hot or boiling while open, calm or warm when closed.",
    )
    custcare_escalated = fields.Boolean(
        string="Escalated",
        readonly=True,
        copy=False,
        help="The team leader was asked to step in while the customer was hot "
        "or boiling (once per time the record is open).",
    )
    custcare_temperature_suggestion = fields.Selection(
        selection=TEMPERATURES,
        string="Suggested Temperature",
        readonly=True,
        copy=False,
        help="Read from the customer's latest words (English only). A "
        "suggestion: the rep confirms or corrects it.",
    )
    # where the suggestion was read, as a code ("summary", or "message:" and
    # the message's day): shown in the reader's language
    custcare_temperature_hint = fields.Char(
        string="Suggested From (code)",
        readonly=True,
        copy=False,
    )
    custcare_temperature_hint_text = fields.Char(
        string="Suggested From",
        compute="_compute_custcare_temperature_hint_text",
    )
    custcare_temperature_guidance = fields.Char(
        compute="_compute_custcare_temperature_guidance",
        string="How to Lower the Flame",
    )

    @api.depends("custcare_temperature_hint")
    @api.depends_context("lang")
    def _compute_custcare_temperature_hint_text(self):
        for record in self:
            hint = record.custcare_temperature_hint or ""
            if hint == "summary":
                text = self.env._("the conversation summary")
            elif hint.startswith("message:"):
                text = self.env._(
                    "the customer's message of %(date)s",
                    date=format_date(self.env, hint.split(":", 1)[1]),
                )
            else:  # written before hints were codes
                text = hint
            record.custcare_temperature_hint_text = text or False

    def _compute_custcare_temperature_guidance(self):
        guidance = self._custcare_guidance()
        for record in self:
            hot = record[record._custcare_temperature_field] in HOT
            record.custcare_temperature_guidance = guidance if hot else False

    def _custcare_guidance(self):
        return self.env._(
            "Lower the flame: let them talk and listen first; show empathy; "
            "confirm the facts; agree on what will be done, and by when; "
            "apologise. Never say “there is nothing we can do”."
        )

    # ------------------------------------------------------------------
    # To implement
    # ------------------------------------------------------------------

    def _custcare_is_open(self):
        raise NotImplementedError

    def _custcare_customer(self):
        """The customer whose temperature this is."""
        self.ensure_one()
        return self["partner_id"]

    def _custcare_language(self, author=None):
        """The language the customer writes in: theirs when known, else the
        company's."""
        self.ensure_one()
        customer = author or self._custcare_customer()
        company = self["company_id"] or self.env.company
        return customer.lang or company.partner_id.lang

    def _custcare_escalation_user(self):
        """Who is asked to step in: the company's fallback rep here."""
        self.ensure_one()
        company = self["company_id"] or self.env.company
        return self._custcare_real_user(company.custcare_fallback_user_id)

    # ------------------------------------------------------------------
    # Reacting to changes
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._custcare_temperature_changed(dict.fromkeys(records.ids, False))
        self.env["custcare.temperature.log"]._custcare_log(
            records, self._custcare_temperature_field
        )
        return records

    def write(self, vals):
        watched = {self._custcare_temperature_field, *self._custcare_open_fields}
        # moved to another customer: the one it leaves is re-judged too
        left = self._custcare_customers() if "partner_id" in vals else None
        if not watched & set(vals):
            res = super().write(vals)
            if left is not None:
                (left | self._custcare_customers())._custcare_update_temperature()
            return res
        field = self._custcare_temperature_field
        was_open = {record.id: record._custcare_is_open() for record in self}
        before = {record.id: record[field] for record in self} if field in vals else {}
        res = super().write(vals)
        self._custcare_temperature_changed(was_open)
        if left:
            left._custcare_update_temperature()
        if before:
            self.env["custcare.temperature.log"]._custcare_log(
                self.filtered(lambda r: r[field] != before[r.id]), field
            )
        return res

    def unlink(self):
        customers = self._custcare_customers()
        res = super().unlink()
        customers.exists()._custcare_update_temperature()
        return res

    def _custcare_customers(self):
        customers = self.env["res.partner"]
        for record in self:
            customers |= record._custcare_customer()
        return customers

    def _custcare_temperature_changed(self, was_open):
        """After a change of temperature or of open/closed."""
        for record in self:
            temperature = record[record._custcare_temperature_field]
            is_open = record._custcare_is_open()
            if is_open:
                vals = {}
                if not was_open.get(record.id) and record.custcare_temperature_at_close:
                    # reopened: a new episode
                    vals.update(
                        custcare_temperature_peak=False,
                        custcare_temperature_at_close=False,
                        custcare_cooled_down=False,
                        custcare_escalated=False,
                    )
                peak = hotter(
                    vals.get(
                        "custcare_temperature_peak", record.custcare_temperature_peak
                    ),
                    temperature,
                )
                if peak != record.custcare_temperature_peak:
                    vals["custcare_temperature_peak"] = peak
                if vals:
                    record.write(vals)
                if temperature in HOT and not record.custcare_escalated:
                    record._custcare_escalate()
            elif was_open.get(record.id):
                record._custcare_temperature_on_close(temperature)
        self._custcare_customers_temperature_changed()

    def _custcare_customers_temperature_changed(self):
        self._custcare_customers()._custcare_update_temperature()

    def _custcare_escalate(self):
        """Ask the team leader to step in, unless an escalation is still open
        on the record (one left from before it was closed and reopened is the
        same call for help: one open escalation, never two)."""
        self.ensure_one()
        escalation = self.env.ref("custcare_loop.mail_activity_type_escalation")
        # sudo: mail.activity - whoever reopens the record (the customer's
        # answer, a job), an open escalation is looked for on all of it
        still_open = (
            self.env["mail.activity"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("activity_type_id", "=", escalation.id),
                ],
                limit=1,
            )
        )
        if not still_open:
            label = dict(TEMPERATURES)[self[self._custcare_temperature_field]]
            self._custcare_schedule_follow_up(
                "custcare_loop.mail_activity_type_escalation",
                summary=lambda env: env._(
                    "%(temperature)s customer: step in",
                    temperature=env._(label),
                ),
                note=lambda env: (
                    Markup("<p>%s</p>") % self.with_env(env)._custcare_guidance()
                ),
                user=self._custcare_escalation_user(),
            )
        self.custcare_escalated = True

    def _custcare_temperature_on_close(self, temperature):
        self.ensure_one()
        peak = hotter(self.custcare_temperature_peak, temperature)
        self.write(
            {
                "custcare_temperature_peak": peak,
                "custcare_temperature_at_close": temperature,
                # a suggestion is for an open record: closed, it is gone
                "custcare_temperature_suggestion": False,
                "custcare_cooled_down": bool(
                    peak in HOT and temperature and RANK[temperature] < RANK["hot"]
                ),
            }
        )
        if peak in HOT:
            company = self["company_id"] or self.env.company
            day = local_day(self.env.user) + timedelta(
                days=company.custcare_follow_up_days
            )
            self._custcare_schedule_follow_up(
                "custcare_loop.mail_activity_type_follow_up",
                summary=lambda env: env._(
                    "Are you happy now? Check in with the customer"
                ),
                date_deadline=day,
            )

    # ------------------------------------------------------------------
    # Suggestion from the customer's words
    # ------------------------------------------------------------------

    def _custcare_suggest_temperature(self, text, lang, hint):
        """Offer a temperature read from ``text``; never sets it."""
        temperature = suggest(text, lang)
        vals = {
            "custcare_temperature_suggestion": temperature,
            "custcare_temperature_hint": hint[:250],
        }
        # "calm" is no news: only a warmer reading is worth the rep's
        # attention, and only while the record is open
        if (
            temperature not in (None, "calm")
            and any(self[name] != value for name, value in vals.items())
            and self._custcare_is_open()
        ):
            # bookkeeping beside a message, not an edit: utils/bookkeeping.py
            update_where(self, vals, SQL("id = %s", self.id))
        return temperature

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        rules = self.env["custcare.contact.rules"]
        if rules._listening() and (rules._message_author_kind(msg_values) == CUSTOMER):
            author = self.env["res.partner"].browse(msg_values.get("author_id"))
            for record in self:
                record._custcare_suggest_temperature(
                    html_to_scan_text(msg_values.get("body")),
                    record._custcare_language(author),
                    f"message:{local_day(self.env.user, message.date).isoformat()}",
                )
        return res

    def action_custcare_apply_temperature_suggestion(self):
        for record in self.filtered("custcare_temperature_suggestion"):
            record[record._custcare_temperature_field] = (
                record.custcare_temperature_suggestion
            )
            record.custcare_temperature_suggestion = False
        return True

    def action_custcare_dismiss_temperature_suggestion(self):
        self.write({"custcare_temperature_suggestion": False})
        return True
