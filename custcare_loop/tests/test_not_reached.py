"""A proactive contact not reached plans the next try (issue 18)."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common_week_one import WeekOneCommon


@tagged("post_install", "-at_install")
class TestNotReachedTriesAgain(WeekOneCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        cls.customer.write(
            {"custcare_interval_number": 1, "custcare_interval_type": "months"}
        )
        cls.customer.custcare_last_contact_date = date(2027, 4, 1)

    def _proactive(self):
        return self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", self.activity_type.id),
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
            ]
        )

    def _schedule(self):
        with self.enter_registry_test_mode():
            cron = self.env.ref("custcare_loop.ir_cron_custcare_schedule_contacts")
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()

    def test_the_retry_days_are_a_setting(self):
        self.assertEqual(
            self.env["res.company"].create({"name": "New Co"}).custcare_retry_days, 3
        )
        settings = Form(self.env["res.config.settings"])
        settings.custcare_retry_days = 5
        settings.save().execute()
        self.assertEqual(self.env.company.custcare_retry_days, 5)

    @freeze_time("2027-06-15 10:00:00")
    def test_not_reached_plans_the_next_try_and_says_so(self):
        self.env.company.custcare_retry_days = 4
        self._schedule()
        first = self._proactive()
        self.assertEqual(first.user_id, self.rep)
        result = first.with_user(self.rep).action_custcare_not_reached(
            feedback="Closed for holidays"
        )
        retry = self._proactive()
        self.assertEqual(len(retry), 1)
        self.assertNotEqual(retry, first)
        self.assertEqual(retry.user_id, self.rep)
        self.assertEqual(retry.date_deadline, date(2027, 6, 19))
        self.assertEqual(retry.activity_category, "custcare_contact")
        # the rep is told
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("06/19/2027", result["params"]["message"])
        self.assertIn(self.customer.name, result["params"]["message"])
        # the customer is still due: the scheduler adds nothing
        self.assertIn(self.customer.custcare_contact_state, ("due", "overdue"))
        self._schedule()
        self.assertEqual(self._proactive(), retry)
