from datetime import timedelta

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..utils.care_dates import local_day


class MailActivity(models.Model):
    _inherit = "mail.activity"

    custcare_campaign_line_id = fields.Many2one(
        comodel_name="custcare.campaign.line",
        string="Change Campaign Customer",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    custcare_scheduled = fields.Boolean(
        string="Planned by the Contact Scheduler",
        copy=False,
        readonly=True,
        help="The contact scheduler removes only the proactive contacts it "
        "planned itself, never one a rep planned by hand.",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        proactive = self.filtered(lambda a: a.activity_category == "custcare_contact")
        context = self.env.context
        if proactive and not (
            context.get("custcare_contact_logged")
            or context.get("custcare_contact_not_made")
        ):
            raise UserError(
                self.env._(
                    "A proactive contact is done when its conversation is logged: use "
                    "“Log the Conversation” (it completes when the conversation "
                    "closes), or “Not Reached” and say why no conversation took place."
                )
            )
        # a call or a meeting done on a customer is a contact (an activity
        # on anything else asks nothing more)
        rules = self.env["custcare.contact.rules"]
        contacts = self.filtered(
            lambda a: (
                a.res_model == "res.partner"
                and rules._is_contact_activity_type(a.activity_type_id)
            )
        )
        partner_ids = contacts.mapped("res_id")
        contact_ids = contacts.ids
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if partner_ids:
            # the day of the contact is the one of whoever marked it done
            # (Odoo dates it in UTC once archived: computed first, then set)
            # sudo: mail.activity - only the activities just marked done here
            # (Odoo archived them as this user): their day is bookkeeping
            done = self.browse(contact_ids).exists().sudo()
            done.flush_recordset(["date_done"])
            done.write({"date_done": local_day(self.env.user)})
            self.env["res.partner"].browse(
                partner_ids
            ).exists()._custcare_update_last_contact_date()
        return result

    def action_custcare_log_conversation(self, feedback=False):
        """From a proactive contact: open the conversation to log, with what
        the rep wrote as its summary. Nothing is marked done yet: closing the
        conversation completes the proactive contact; discarding it leaves
        the contact to do."""
        self.ensure_one()
        partner = self.env["res.partner"].browse(self.res_id)
        if self.res_model != "res.partner" or not partner.exists():
            raise UserError(self.env._("This activity is not on a customer."))
        context = {
            "default_partner_id": partner.id,
            "default_channel": "call",
            "default_name": self.summary or self.activity_type_id.name,
        }
        if feedback:
            context["default_summary"] = Markup("<p>%s</p>") % escape(feedback)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log the Conversation"),
            "res_model": "custcare.conversation",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_custcare_not_reached(self, feedback=False):
        """The proactive contact did not happen: the rep says why, which is
        recorded; it is not a contact (the customer stays due), so a new
        proactive contact is planned for the same rep, the care company's
        retry days later, and the rep is told when."""
        reason = (feedback or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why no conversation took place (e.g. not reachable).")
            )
        retry_vals = [
            activity._custcare_retry_vals()
            for activity in self
            if activity.activity_category == "custcare_contact"
            and activity.res_model == "res.partner"
        ]
        self.with_context(custcare_contact_not_made=True).action_feedback(
            feedback=self.env._("Not reached: %(reason)s", reason=reason[:2000])
        )
        # sudo: mail.activity - the rep plans their own next try on a customer
        # they may read but not edit (as the contact scheduler does)
        retries = self.env["mail.activity"].sudo().create(retry_vals).sudo(False)
        if len(retries) != 1:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "Not reached: a new proactive contact with %(customer)s is "
                    "planned for %(date)s.",
                    customer=retries.res_name,
                    date=format_date(self.env, retries.date_deadline),
                ),
            },
        }

    def _custcare_retry_vals(self):
        """The proactive contact that tries again: same customer, same rep
        (else the customer's), the care company's retry days from today."""
        self.ensure_one()
        partner = self.env["res.partner"].browse(self.res_id)
        company = partner.custcare_company_id or self.env.company
        return {
            "res_model_id": self.res_model_id.id,
            "res_id": self.res_id,
            "activity_type_id": self.activity_type_id.id,
            "summary": self.summary,
            "note": self.activity_type_id.default_note,
            "user_id": (self.user_id or partner._custcare_contact_user()).id,
            "date_deadline": local_day(self.env.user)
            + timedelta(days=company.custcare_retry_days),
            # like the scheduler's own: it goes when the customer is no
            # longer due
            "custcare_scheduled": True,
        }
