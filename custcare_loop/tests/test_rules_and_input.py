from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestSillyInput(CustcareCommon):
    """What people type by mistake gets a clear error, never a crash."""

    def test_absurd_cadences_are_refused(self):
        Tier = self.env(user=self.manager)["custcare.tier"]
        for number, unit in ((0, "days"), (-3, "weeks"), (2**31 - 1, "months")):
            with self.assertRaisesRegex(ValidationError, "is not a cadence"):
                Tier.create(
                    {"name": "X", "interval_number": number, "interval_type": unit}
                )
        with self.assertRaisesRegex(ValidationError, "is not a cadence"):
            self.customer.custcare_interval_number = 2**31 - 1
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.custcare_interval_number = -1
        tier = Tier.create({"name": "Ten years", "interval_number": 120})
        self.customer.custcare_tier_id = tier
        self.assertEqual(
            self.customer.custcare_next_contact_date,
            self.customer.custcare_care_start_date,
        )

    def test_a_huge_cadence_never_crashes_a_close(self):
        """Before the bound, 2**31 months overflowed on closing."""
        self.customer.custcare_interval_number = 120
        conversation = self._create_conversation(
            partner_id=self.customer.id,
            improvement_point_ids=[
                (0, 0, {"name": "Rye", "partner_id": self.contact.id})
            ],
        )
        conversation.action_close()
        self.assertEqual(conversation.state, "closed")

    def test_company_days_are_bounded(self):
        for field, value in (
            ("custcare_later_check_days", -1),
            ("custcare_lead_days", -1),
            ("custcare_lead_days", 100_000),
        ):
            with self.assertRaises(ValidationError, msg=field):
                self.env.company.write({field: value})

    def test_a_conversation_cannot_be_dated_in_the_future(self):
        with freeze_time("2027-03-01 10:00:00"):
            with self.assertRaisesRegex(ValidationError, "in the future"):
                self._create_conversation(date=datetime(2027, 3, 2, 10, 0))
            conversation = self._create_conversation(date=datetime(2027, 3, 1, 10, 3))
            with self.assertRaisesRegex(ValidationError, "in the future"):
                conversation.date = datetime(2027, 4, 1, 10, 0)


@tagged("post_install", "-at_install")
class TestOneRuleForCompaniesAndDays(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Bakery North", "custcare_lead_days": 30}
        )
        cls.company_a.custcare_lead_days = 7
        cls.rep_b = new_test_user(
            cls.env,
            login="custcare_rep_north",
            groups="custcare_loop.group_custcare_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    @freeze_time("2027-06-01 12:00:00")
    def test_lead_time_comes_from_the_customers_company(self):
        """Next contact in 20 days: due with company B's 30-day lead time,
        on track with company A's 7 days, whoever looks."""
        partner_b = self.env["res.partner"].create(
            {"name": "North Deli", "company_id": self.company_b.id}
        )
        partner_a = self.env["res.partner"].create({"name": "South Deli"})
        partner_a.company_id = self.company_a
        for partner in (partner_a, partner_b):
            partner.write(
                {
                    "custcare_interval_number": 20,
                    "custcare_interval_type": "days",
                    "custcare_last_contact_date": date(2027, 6, 1),
                }
            )
        self.assertEqual(partner_b.custcare_company_id, self.company_b)
        self.assertEqual(partner_b.custcare_contact_state, "due")
        self.assertEqual(partner_a.custcare_contact_state, "on_track")
        self.env["res.partner"]._custcare_refresh_contact_states()
        self.assertEqual(partner_b.custcare_contact_state, "due")
        self.assertEqual(partner_a.custcare_contact_state, "on_track")

    @freeze_time("2027-06-01 12:00:00")
    def test_a_shared_customer_follows_its_salespersons_company(self):
        """A customer shared by all companies takes the lead time of its
        salesperson's company: computed by a user of company A, refreshed by
        the cron, the state does not flip."""
        shared = self.env["res.partner"].create(
            {"name": "Shared Cafe", "company_id": False, "user_id": self.rep_b.id}
        )
        shared.with_company(self.company_a).write(
            {
                "custcare_interval_number": 20,
                "custcare_interval_type": "days",
            }
        )
        shared.custcare_last_contact_date = date(2027, 6, 1)
        self.assertEqual(shared.custcare_company_id, self.company_b)
        self.assertEqual(shared.custcare_contact_state, "due")
        self.env["res.partner"].with_company(
            self.company_a
        )._custcare_refresh_contact_states()
        self.env.invalidate_all()
        self.assertEqual(shared.custcare_contact_state, "due")

    def test_the_fallback_rep_is_the_customers_companys(self):
        self.company_a.custcare_fallback_user_id = self.rep
        self.company_b.custcare_fallback_user_id = self.rep_b
        partner_b = self.env["res.partner"].create(
            {
                "name": "North Deli",
                "company_id": self.company_b.id,
                "custcare_interval_number": 1,
            }
        )
        self.assertEqual(partner_b._custcare_contact_user(), self.rep_b)

    def test_a_contact_day_is_the_same_for_a_conversation_and_an_activity(self):
        """At 09:30 in Auckland on 2 March (20:30 UTC on 1 March), a call
        marked done and a conversation logged both date from 2 March."""
        self.rep.tz = "Pacific/Auckland"
        activity_customer = self.env["res.partner"].create(
            {"name": "Kiwi Cafe", "user_id": self.rep.id, "custcare_interval_number": 1}
        )
        with freeze_time("2027-03-01 20:30:00"):
            activity = activity_customer.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.rep.id
            )
            activity.with_user(self.rep).action_feedback(feedback="Called")
            conversation = self._create_conversation(
                partner_id=self.customer.id,
                improvement_point_ids=[
                    (0, 0, {"name": "Rye", "partner_id": self.contact.id})
                ],
            )
            conversation.action_close()
        self.assertEqual(activity_customer.custcare_last_contact_date, date(2027, 3, 2))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 2))

    def test_today_is_the_care_companys_day(self):
        """At 09:30 in Auckland on 2 March (20:30 UTC on 1 March), for a
        company in Auckland, a customer whose next contact was 1 March is
        overdue by one day, not due today."""
        self.env.company.partner_id.tz = "Pacific/Auckland"
        customer = self.env["res.partner"].create(
            {
                "name": "Kiwi Bakery",
                "company_id": self.env.company.id,
                "custcare_interval_number": 1,
                "custcare_interval_type": "months",
            }
        )
        with freeze_time("2027-02-01 00:00:00"):
            customer.custcare_last_contact_date = date(2027, 2, 1)
            customer.custcare_care_start_date = date(2027, 1, 1)
        self.assertEqual(customer.custcare_next_contact_date, date(2027, 3, 1))
        with freeze_time("2027-03-01 20:30:00"):
            self.env["res.partner"]._custcare_refresh_contact_states()
            customer.invalidate_recordset()
            self.assertEqual(customer.custcare_contact_state, "overdue")
            self.assertEqual(customer.custcare_days_overdue, 1)
        # the same instant for a company in London: still 1 March there
        self.env.company.partner_id.tz = "Europe/London"
        with freeze_time("2027-03-01 20:30:00"):
            self.env["res.partner"]._custcare_refresh_contact_states()
            customer.invalidate_recordset()
            self.assertEqual(customer.custcare_contact_state, "due")
            self.assertEqual(customer.custcare_days_overdue, 0)
