from odoo.addons.custcare_loop.tests.common import CustcareCommon

NOTICE = "Resolved:"
SURVEY = "Satisfaction Survey"


class RatingBridgeCommon(CustcareCommon):
    """A helpdesk with custcare_loop and helpdesk_mgmt_rating: the closed
    stages Done (resolved) and Cancelled (not resolved) both carry
    helpdesk_mgmt_rating's survey, as its README suggests configuring."""

    @classmethod
    def default_env_context(cls):
        # the notice rides on mail tracking and message posting
        return {"no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.write({"email": "ann@acme-bakery.example.com"})
        cls.env.company.email = "care@example.com"
        cls.survey = cls.env.ref("helpdesk_mgmt_rating.rating_ticket_email_template")
        # helpdesk_mgmt_rating sends its request at once: keep the sent mail
        # so that it can be counted
        cls.survey.auto_delete = False
        (cls.stage_done | cls.stage_cancelled).rating_mail_template_id = cls.survey
        cls.rule = cls.env.ref("custcare_loop.base_automation_resolution_notice")

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _ticket(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        self.env["custcare.improvement.point"].create(
            {
                "name": "Warn us",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
                "company_id": ticket.company_id.id,
            }
        )
        self._flush_tracking()
        return ticket

    def _move(self, ticket, stage):
        ticket.stage_id = stage
        self._flush_tracking()

    def _disable_rule(self):
        self.rule.active = False
        # automation rules patch the registry, which no rollback restores
        self.addCleanup(self.rule.write, {"active": True})

    def _messages(self, ticket, subject):
        return ticket.message_ids.filtered(lambda m: subject in (m.subject or ""))

    def _messages_to_customer(self, ticket):
        return ticket.message_ids.filtered(lambda m: self.contact in m.partner_ids)

    def _mails_to_customer(self, ticket):
        mails = self.env["mail.mail"].search(
            [("model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
        return mails.filtered(
            lambda m: (
                self.contact in m.recipient_ids
                or self.contact.email in (m.email_to or "")
            )
        )

    def _ratings(self, ticket):
        return self.env["rating.rating"].search(
            [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
