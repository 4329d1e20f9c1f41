import logging

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..utils.competitor_matcher import html_to_scan_text
from .custcare_contact_rules import CUSTOMER

_logger = logging.getLogger(__name__)


class CustcareCompetitorMention(models.Model):
    _name = "custcare.competitor.mention"
    _description = "Competitor Mention"
    _inherit = ["custcare.customer.company.mixin"]
    _order = "date desc, id desc"
    _rec_name = "competitor_id"

    competitor_id = fields.Many2one(
        comodel_name="custcare.competitor",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    res_model = fields.Char(string="Source Model", required=True, index=True)
    res_id = fields.Many2oneReference(
        string="Source Record", model_field="res_model", required=True, index=True
    )
    source_name = fields.Char(
        string="Source Record Name",
        readonly=True,
        help="The record the mention came from, as it was named then: kept "
        "when that record is deleted.",
    )
    # a mention is the customer's knowledge: it outlives its message
    message_id = fields.Many2one(
        comodel_name="mail.message",
        index="btree_not_null",
        ondelete="set null",
    )
    source_key = fields.Char(
        required=True,
        help="Which text of the source: a message, the description, the summary.",
    )
    source = fields.Selection(
        selection=[
            ("message", "Message"),
            ("description", "Ticket Description"),
            ("summary", "Conversation Summary"),
            # the competitor that won a deal (custcare_loop_crm's Mark as
            # Lost): declared here so that the customer's knowledge outlives
            # the bridge's uninstall
            ("lost_deal", "Lost Deal"),
        ],
        required=True,
    )
    snippet = fields.Text()
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    spontaneous = fields.Boolean(
        help="The customer brought the competitor up unasked.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.company,
        index=True,
    )

    _source_uniq = models.Constraint(
        "UNIQUE(competitor_id, res_model, res_id, source_key)",
        "A competitor is mentioned once per message or text.",
    )

    @api.depends("competitor_id", "partner_id")
    def _compute_display_name(self):
        for mention in self:
            mention.display_name = self.env._(
                "%(competitor)s by %(customer)s",
                competitor=mention.competitor_id.name,
                customer=mention.partner_id.display_name,
            )

    def write(self, vals):
        """Reps may only say whether the customer brought it up unasked."""
        if (
            not self.env.su
            and set(vals) - {"spontaneous"}
            and not self.env.user.has_group("custcare_loop.group_custcare_manager")
        ):
            raise AccessError(
                self.env._(
                    "You can only change whether the customer brought the "
                    "competitor up unasked; managers correct the rest."
                )
            )
        return super().write(vals)

    @api.readonly
    def action_open_source(self):
        self.ensure_one()
        if (
            self.res_model not in self.env
            or not self.env[self.res_model].browse(self.res_id).exists()
        ):
            raise UserError(
                self.env._(
                    "“%(record)s” was deleted; the mention and its snippet are kept.",
                    record=self.source_name or self.res_model,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.model
    def _custcare_sync(
        self, record, source, text, partner, spontaneous, message=None, date=None
    ):
        """Record the competitors named in ``text`` (one of ``record``'s
        texts) as mentions by ``partner``. Re-scanning the same text updates
        its mentions and never duplicates them."""
        matcher = self.env["custcare.competitor"]._custcare_matcher()
        if not matcher or not partner:
            return self.browse()
        found = matcher.find(text or "")
        source_key = f"message:{message.id}" if message else source
        # sudo: custcare.competitor.mention - whoever's text named the
        # competitor (a customer's email, the portal, a helpdesk agent
        # without Customer Care rights) records the mention; only Customer
        # Care users read them
        Mention = self.sudo()
        existing = Mention.browse()
        # a new message with no competitor needs no look-up at all
        if found or not message:
            existing = Mention.search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("source_key", "=", source_key),
                ]
            )
            # a competitor no longer named loses its mention; one that was
            # archived is not matched any more, and its mentions are kept
            existing.filtered(
                lambda m: m.competitor_id.active and m.competitor_id.id not in found
            ).unlink()
        by_competitor = {m.competitor_id.id: m for m in existing.exists()}
        vals_list = []
        for competitor_id, snippet in found.items():
            mention = by_competitor.get(competitor_id)
            if mention:
                updates = {}
                if mention.snippet != snippet:
                    updates["snippet"] = snippet
                if mention.spontaneous != spontaneous:
                    updates["spontaneous"] = spontaneous
                if mention.partner_id != partner:
                    updates["partner_id"] = partner.id
                if updates:
                    mention.write(updates)
                continue
            vals_list.append(
                {
                    "competitor_id": competitor_id,
                    "partner_id": partner.id,
                    "res_model": record._name,
                    "res_id": record.id,
                    "message_id": message.id if message else False,
                    "source_key": source_key,
                    "source": source,
                    "snippet": snippet,
                    "spontaneous": spontaneous,
                    # sudo: mail.thread - the record's name, kept for when
                    # it is deleted
                    "source_name": record.sudo().display_name,
                    "date": date or fields.Datetime.now(),
                    "company_id": (
                        record.company_id.id
                        if "company_id" in record._fields and record.company_id
                        else self.env.company.id
                    ),
                }
            )
        created = Mention._custcare_create_once(vals_list)
        created.filtered("spontaneous")._custcare_alert()
        return created

    @api.model
    def _custcare_scan_field(self, records, field, spontaneous, date_field=None):
        """Scan the HTML ``field`` of each of ``records`` (a ticket's
        description, a conversation's summary) for competitors named by the
        record's customer; ``spontaneous(record)`` says whether unasked.
        Re-scanning an edited text updates its mentions, never duplicates."""
        if not records or not self.env["custcare.competitor"]._custcare_matcher():
            return
        for record in records:
            self._custcare_sync(
                record,
                field,
                html_to_scan_text(record[field]),
                record.partner_id,
                spontaneous(record),
                date=record[date_field] if date_field else None,
            )

    @api.model
    def _custcare_create_once(self, vals_list):
        """Create mentions; one that another transaction created meanwhile
        (two reps saving the same description at once) is not created twice,
        and the save that found it goes through rather than failing on the
        unique constraint."""
        if not vals_list:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                return self.create(vals_list)
        except psycopg2.errors.UniqueViolation:
            _logger.info(
                "custcare: a concurrent save recorded some of these mentions; "
                "recording the others one by one"
            )
        created = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= self.create(vals)
            except psycopg2.errors.UniqueViolation:
                _logger.info(
                    "custcare: mention of competitor %s on %s,%s already recorded "
                    "by a concurrent save",
                    vals["competitor_id"],
                    vals["res_model"],
                    vals["res_id"],
                )
        return created

    @api.model
    def _custcare_scan_message(self, record, message, msg_values=None):
        """What a customer posts or emails on ``record`` (see
        ``custcare.contact.rules._message_author_kind``) is scanned; their
        mentions are spontaneous. Reads the posted values rather than the
        message, so that a message naming no competitor costs no query. The
        context key ``custcare_skip_competitor_scan`` turns it off (bulk
        imports, benchmarks)."""
        rules = self.env["custcare.contact.rules"]
        if self.env.context.get("custcare_skip_competitor_scan") or not (
            rules._listening()
        ):
            return self.browse()
        matcher = self.env["custcare.competitor"]._custcare_matcher()
        if not matcher:
            return self.browse()
        if msg_values is None:  # a message posted before: read it
            msg_values = {
                "body": message.body,
                "message_type": message.message_type,
                "subtype_id": message.subtype_id.id,
                "author_id": message.author_id.id,
                "email_from": message.email_from,
            }
        body = msg_values.get("body")
        if not matcher.search_html(body) or (
            rules._message_author_kind(msg_values) != CUSTOMER
        ):
            return self.browse()
        author = message.author_id
        if not author:
            # a sender known only by address: a contact of that address if
            # there is one; none is made for an unknown sender (spam naming
            # a competitor would become a customer)
            # sudo: res.partner - the contact of the sender's address, which
            # the mail gateway or the portal may not read
            author = (
                self.env["res.partner"]
                .sudo()
                ._find_or_create_from_emails(
                    [msg_values["email_from"]], no_create=True
                )[0]
            )
        return self._custcare_sync(
            record,
            "message",
            html_to_scan_text(body),
            author,
            True,
            message=message,
            date=message.date,
        )

    def _custcare_alert(self):
        """Tell each customer's salesperson that the customer volunteered
        competitor news (a notification or an activity, per company)."""
        for mention in self:
            # an archived salesperson (or OdooBot) is told nothing
            salesperson = self.env["custcare.owner.mixin"]._custcare_real_user(
                mention.salesperson_id
            )
            company = mention.company_id or self.env.company
            how = company.custcare_mention_alert
            if not salesperson or how == "none":
                continue
            customer = mention.commercial_partner_id
            body = Markup("<p>%s</p><blockquote>%s</blockquote>") % (
                self.env._(
                    "%(customer)s mentioned %(competitor)s, unasked.",
                    customer=mention.partner_id.display_name,
                    competitor=mention.competitor_id.name,
                ),
                mention.snippet or "",
            )
            if how == "activity":
                customer.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Competitor news: %(competitor)s",
                        competitor=mention.competitor_id.name,
                    ),
                    note=body,
                    user_id=salesperson.id,
                )
            else:
                customer.message_notify(
                    partner_ids=salesperson.partner_id.ids,
                    subject=self.env._(
                        "%(customer)s volunteered competitor news",
                        customer=customer.display_name,
                    ),
                    body=body,
                    model_description=self.env._("Customer"),
                )
