"""A delivery notice leaves at once and is from who signs it (issue 18)."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import RecordCapturer, tagged

from odoo.addons.mail.tests.common import MockEmail

from .test_delivery_notice import DeliveryCommon


@tagged("post_install", "-at_install")
@freeze_time("2027-03-01 09:00:00")
class TestDeliveryNoticeAtOnce(DeliveryCommon, MockEmail):
    def test_a_moved_delivery_is_told_at_once_by_the_salesperson(self):
        mail_queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        order = self._order()
        order.picking_ids.write(
            {
                "scheduled_date": datetime(2027, 3, 12, 6, 0),
                "custcare_delay_reason": "The rye flour reaches the mill late",
            }
        )
        with RecordCapturer(
            self.env["ir.cron.trigger"].sudo(), [("cron_id", "=", mail_queue.id)]
        ) as triggers:
            self._run_watch()
        self.assertTrue(triggers.records, "the mail queue is asked to run now")
        notice = self._notices(order, "New delivery date")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.id)])
        self.assertEqual(mail.state, "outgoing")
        with self.mock_mail_gateway(), self.enter_registry_test_mode():
            self.assertIs(mail_queue.method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertEqual(mail.state, "sent")
        # from the order's salesperson, who signs it, at the company's address
        self.assertEqual(notice.author_id, self.seller.partner_id)
        self.assertIn(self.seller.name, mail.email_from)
        self.assertIn(self.env.company.email, mail.email_from)
        self.assertIn(self.seller.name, notice.body)
