from odoo import models


class MailThread(models.AbstractModel):
    """Every touch counts: a message a person of ours writes to a customer,
    on any record (ticket, conversation, the customer, a lead, an order…), is
    a contact. One listener for every mail thread; the rules live in
    custcare.contact.rules."""

    _inherit = "mail.thread"

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """Listened to where a posted message's recipients are read
        (``_notify_thread`` asks it first, for this only), not in
        ``_message_post_after_hook``: Odoo's recipients data tells which of
        them have an internal user, so a message to colleagues only costs no
        query; and the partners are still in cache, before notifying them
        (mails sent) clears it. Without msg_vals (a scheduled message being
        sent) the contact was counted when it was posted."""
        recipients_data = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        rules = self.env["custcare.contact.rules"]
        contact = rules._contact_of_message(message, msg_vals) if msg_vals else None
        if contact:
            partner_ids, day = contact
            partner_ids = rules._not_colleagues(partner_ids, recipients_data)
            if partner_ids and not rules._already_contacted(partner_ids, day):
                self.env["res.partner"]._custcare_register_contact(partner_ids, day)
        return recipients_data
