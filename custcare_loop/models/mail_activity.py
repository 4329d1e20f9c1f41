from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    custcare_campaign_line_id = fields.Many2one(
        comodel_name="custcare.campaign.line",
        string="Change Campaign Customer",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact",
            raise_if_not_found=False,
        )
        partner_ids = [
            activity.res_id
            for activity in self
            if activity.res_model == "res.partner"
            and activity.activity_type_id == activity_type
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if partner_ids and not self.env.context.get("custcare_skip_contact_update"):
            # a proactive contact marked done is a contact the addon knows of
            self.env["res.partner"].browse(
                partner_ids
            ).exists()._custcare_update_last_contact_date()
        return result
