from markupsafe import Markup, escape

from odoo import fields, models

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
        # a call, a meeting or a proactive contact done on a customer
        contact_types = self.env["custcare.contact.rules"]._contact_activity_types()
        contacts = self.filtered(
            lambda a: (
                a.res_model == "res.partner" and a.activity_type_id in contact_types
            )
        )
        partner_ids = contacts.mapped("res_id")
        contact_ids = contacts.ids
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if partner_ids and not self.env.context.get("custcare_skip_contact_update"):
            # the day of the contact is the one of whoever marked it done
            # (Odoo dates it in UTC once archived: computed first, then set)
            done = self.browse(contact_ids).exists().sudo()
            done.flush_recordset(["date_done"])
            done.write({"date_done": local_day(self.env.user)})
            # a contact the addon knows of
            self.env["res.partner"].browse(
                partner_ids
            ).exists()._custcare_update_last_contact_date()
        return result

    def action_custcare_done_log_conversation(self, feedback=False):
        """Mark a proactive contact done and open the conversation to log,
        with what the rep wrote as its summary."""
        self.ensure_one()
        partner = self.env["res.partner"].browse(self.res_id)
        if self.res_model != "res.partner" or not partner.exists():
            self.action_feedback(feedback=feedback)
            return False
        self.action_feedback(feedback=feedback)
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
