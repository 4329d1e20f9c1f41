from markupsafe import Markup

from odoo import models
from odoo.tools import email_normalize_all, formataddr


class CustcareCustomerNoticeMixin(models.AbstractModel):
    """Notices for one customer: what the customer is told (resolution,
    later check, promise, improvement done) reaches that customer and nobody
    else, never the followers or people in CC, whose copies would carry the
    customer's own answer links. A customer known only by an address is
    mailed at that address. When nobody can be told, the record's owner gets a
    call activity and the chatter says so: never a silent "sent".

    A notice leaves at once: it is queued and the mail queue's scheduled
    action is triggered, as Odoo does for mails that must not wait (neither
    for the hourly queue run, nor for SMTP inside the user's request). It is
    from one person, the one who signs it: the record's owner, else the
    company (``_custcare_notice_author``)."""

    _name = "custcare.customer.notice.mixin"
    _inherit = ["custcare.owner.mixin"]
    _description = "Customer Care: notices to one customer"

    def _custcare_notice_recipients(self, customer, email=False):
        """(partner, email address) to tell: the customer when they can be
        mailed, else the address alone when the record has no customer."""
        if customer:
            return (customer if customer.email_normalized else customer.browse()), ""
        addresses = email_normalize_all(email or "")
        return customer, (email if addresses else "")

    def _custcare_notify_customer(self, template, customer, email=False, context=None):
        """Render ``template`` on this record and mail it to ``customer`` (or
        to ``email`` when the record has no customer), in their language.
        The message is logged on the record as a note addressed to the
        customer only. Returns the message, or an empty recordset when nobody
        could be told (the responsible user then gets a call activity)."""
        self.ensure_one()
        partner, address = self._custcare_notice_recipients(customer, email)
        if not partner and not address:
            self._custcare_notice_unreachable(template, customer)
            return self.env["mail.message"]
        lang = (
            customer.lang
            or template._render_lang(self.ids)[self.id]
            or self.env.lang
            or "en_US"
        )
        template = template.with_context(**(context or {}))
        record = self.with_context(**(context or {}), lang=lang)
        values = {
            name: template._render_field(
                name, self.ids, set_lang=lang, add_context={"customer": customer}
            )[self.id]
            for name in ("subject", "body_html", "email_from", "reply_to")
        }
        # queued, whatever the caller's context (a server action or a cron
        # would queue it too), then sent by the mail queue's job right away
        message = record.with_context(mail_notify_force_send=False).message_post(
            body=values["body_html"],
            subject=values["subject"],
            email_from=values["email_from"] or None,
            reply_to=values["reply_to"] or False,
            author_id=self._custcare_notice_author().id,
            partner_ids=partner.ids,
            outgoing_email_to=address or False,
            message_type="auto_comment",
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid=template.email_layout_xmlid
            or "mail.mail_notification_light",
            mail_auto_delete=template.auto_delete,
            notify_skip_followers=True,
            # the customer may be the one acting (closing their own ticket
            # from the portal): Odoo skips the acting user unless told
            notify_author_mention=True,
        )
        self._custcare_send_notices_now()
        return message

    def _custcare_send_notices_now(self):
        """Have the mail queue send what is queued as soon as this
        transaction commits, in the background."""
        # sudo: ir.cron - whoever's action sends a notice (a customer on the
        # portal or a feedback page too) may wake the mail queue up
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()

    def _custcare_notice_company(self):
        self.ensure_one()
        company = self.company_id if "company_id" in self._fields else False
        return company or self.env.company

    def _custcare_notice_author(self):
        """Who the notice is from and who signs it: the record's owner (the
        person the customer deals with), else its company; never whoever
        happened to click (a colleague marking a point done, a customer
        closing their own ticket from the portal, whom Odoo would not mail as
        the author). The templates sign with this name."""
        self.ensure_one()
        owner = self["user_id"] if "user_id" in self._fields else False
        return owner.partner_id if owner else self._custcare_notice_company().partner_id

    def _custcare_notice_email_from(self):
        """The notice's From: the name of who signs it, at the company's
        address (replies reach the company), else at their own."""
        self.ensure_one()
        author = self._custcare_notice_author()
        company_email = self._custcare_notice_company().email
        if company_email:
            return formataddr((author.name or "", company_email))
        return author.email_formatted or self._custcare_notice_company().email_formatted

    def _custcare_notice_unreachable(self, template, customer):
        """Nobody can be told: say so on the record and have someone call."""
        self.ensure_one()

        def who(env):
            return customer.display_name or env._("the customer")

        def notice(env):
            return template.with_env(env).name

        self._custcare_schedule_follow_up(
            "mail.mail_activity_data_call",
            summary=lambda env: env._(
                "Call %(who)s: %(notice)s", who=who(env), notice=notice(env)
            ),
            note=lambda env: (
                Markup("<p>%s</p>")
                % env._(
                    "%(who)s has no email address, so the notice “%(notice)s” could "
                    "not be sent: tell them by phone.",
                    who=who(env),
                    notice=notice(env),
                )
            ),
        )
        # the note, in the language of the record's owner (its first reader)
        owner = self._custcare_responsible_user()
        env = self.with_context(lang=owner.lang or self.env.lang).env
        who, notice = who(env), notice(env)
        self.message_post(
            body=Markup("<p>%s</p>")
            % env._(
                "Not sent: “%(notice)s”. %(who)s has no email address; a call "
                "activity was planned instead.",
                notice=template.name,
                who=who,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
