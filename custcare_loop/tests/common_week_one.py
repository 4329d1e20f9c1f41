"""Shared set-up of the tests of issue 18 (what a team hits in its first
week): a ticket owner and a colleague, the customer's messages, the mail
queue's triggers."""

from odoo.tests import RecordCapturer, new_test_user

from odoo.addons.mail.tests.common import MockEmail

from .test_close_loop import CloseLoopCommon

ANGRY = "This is the third time! Unacceptable, I am furious and will cancel."


class WeekOneCommon(CloseLoopCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.lang = "en_US"
        cls.owner = new_test_user(
            cls.env,
            login="custcare_week_owner",
            name="Olive Owner",
            email="olive@example.com",
            groups="helpdesk_mgmt.group_helpdesk_user,custcare_loop.group_custcare_user",
        )
        cls.colleague = new_test_user(
            cls.env,
            login="custcare_week_colleague",
            name="Cole Colleague",
            email="cole@example.com",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "custcare_loop.group_custcare_manager",
        )
        cls.mail_queue = cls.env.ref("mail.ir_cron_mail_scheduler_action")

    def _customer_writes(self, ticket, body="Where is my order?"):
        return ticket.message_post(
            body=body,
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )

    def _add_point(self, ticket):
        self.env["custcare.improvement.point"].create(
            {
                "name": "Tell us when it is late",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
                "company_id": ticket.company_id.id,
            }
        )

    def _queue_triggers(self):
        return RecordCapturer(
            self.env["ir.cron.trigger"].sudo(), [("cron_id", "=", self.mail_queue.id)]
        )
