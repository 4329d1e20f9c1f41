from odoo import models


class MailThread(models.AbstractModel):
    """Every touch counts: a message a person of ours writes to a customer,
    on any record (ticket, conversation, the customer, a lead, an order…), is
    a contact. One listener for every mail thread; the rules live in
    custcare.contact.rules."""

    _inherit = "mail.thread"

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        contact = self.env["custcare.contact.rules"]._contact_of_message(msg_values)
        if contact:
            partner_ids, day = contact
            self.env["res.partner"]._custcare_register_contact(partner_ids, day)
        return res
