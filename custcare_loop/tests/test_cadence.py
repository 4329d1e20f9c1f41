from ast import literal_eval
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestCadence(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["custcare.tier"]
        cls.monthly = Tier.create(
            {"name": "Monthly", "interval_number": 1, "interval_type": "months"}
        )
        cls.fortnightly = Tier.create(
            {"name": "Fortnightly", "interval_number": 2, "interval_type": "weeks"}
        )

    def _close_conversation(self, when, partner=None, user=None):
        # logged an hour after it took place: a conversation is never future
        with freeze_time(when + timedelta(hours=1)):
            conversation = self._create_conversation(
                user=user,
                partner_id=(partner or self.customer).id,
                date=when,
                improvement_point_ids=[
                    (0, 0, {"name": "Bigger loaves", "partner_id": self.contact.id})
                ],
            )
            conversation.action_close()
        return conversation

    @freeze_time("2027-03-10 09:00:00")
    def test_coming_under_care_is_never_overdue_at_once(self):
        """Contacted 48 days ago, put under care today with a monthly
        cadence: due today, not 18 days overdue."""
        self._close_conversation(datetime(2027, 1, 21, 9, 0))
        self.customer.custcare_tier_id = self.monthly
        self.assertEqual(self.customer.custcare_care_start_date, date(2027, 3, 10))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 3, 10))
        self.assertEqual(self.customer.custcare_contact_state, "due")

    def test_not_under_care_has_no_state(self):
        self.assertFalse(self.customer.custcare_under_care)
        self.assertFalse(self.customer.custcare_next_contact_date)
        self.assertFalse(self.customer.custcare_contact_state)

    @freeze_time("2027-03-10 09:00:00")
    def test_never_contacted_is_due_from_the_day_it_came_under_care(self):
        self.customer.custcare_tier_id = self.monthly
        self.assertTrue(self.customer.custcare_under_care)
        self.assertEqual(self.customer.custcare_care_start_date, date(2027, 3, 10))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 3, 10))
        self.assertEqual(self.customer.custcare_contact_state, "due")

    def test_calendar_months_at_month_end(self):
        self.customer.custcare_tier_id = self.monthly
        with freeze_time("2027-01-31 12:00:00"):
            self._close_conversation(datetime(2027, 1, 31, 12, 0))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 1, 31))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 2, 28))
        with freeze_time("2028-01-31 12:00:00"):
            self._close_conversation(datetime(2028, 1, 31, 12, 0))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2028, 2, 29))

    def test_days_and_weeks(self):
        self.customer.write({"custcare_tier_id": self.fortnightly})
        self._close_conversation(datetime(2027, 5, 3, 9, 0))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 5, 17))
        self.customer.write(
            {"custcare_interval_number": 10, "custcare_interval_type": "days"}
        )
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 5, 13))

    def test_own_cadence_wins_over_tier(self):
        self.customer.write(
            {
                "custcare_tier_id": self.monthly.id,
                "custcare_interval_number": 3,
                "custcare_interval_type": "months",
            }
        )
        self._close_conversation(datetime(2027, 1, 15, 9, 0))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 4, 15))
        self.customer.custcare_interval_number = 0
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 2, 15))

    def test_tier_change_moves_next_contact(self):
        self.customer.custcare_tier_id = self.monthly
        self._close_conversation(datetime(2027, 1, 15, 9, 0))
        self.monthly.interval_number = 2
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 3, 15))

    def test_states_age_as_days_pass(self):
        self.customer.custcare_tier_id = self.monthly
        self._close_conversation(datetime(2027, 6, 1, 9, 0))
        self.assertEqual(self.customer.custcare_next_contact_date, date(2027, 7, 1))
        Partner = self.env["res.partner"]
        for today, expected in (
            ("2027-06-10", "on_track"),
            ("2027-06-24", "due"),  # lead time: 7 days before
            ("2027-07-01", "due"),
            ("2027-07-02", "overdue"),
        ):
            with freeze_time(today):
                Partner._custcare_refresh_contact_states()
                self.assertEqual(self.customer.custcare_contact_state, expected, today)
                self.assertEqual(
                    Partner.search_count(
                        [
                            ("id", "=", self.customer.id),
                            ("custcare_contact_state", "=", expected),
                        ]
                    ),
                    1,
                )

    @freeze_time("2027-06-20")
    def test_lead_time_is_a_company_setting(self):
        self.customer.custcare_tier_id = self.monthly
        self._close_conversation(datetime(2027, 6, 1, 9, 0))
        self.assertEqual(self.customer.custcare_contact_state, "on_track")
        self.env.company.custcare_lead_days = 14
        self.assertEqual(self.customer.custcare_contact_state, "due")

    def test_contact_with_a_contact_person_counts_for_the_company(self):
        self.customer.custcare_tier_id = self.monthly
        self._close_conversation(datetime(2027, 6, 1, 9, 0), partner=self.contact)
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 6, 1))

    def test_last_contact_is_in_the_reps_timezone(self):
        self.rep.tz = "Pacific/Auckland"
        self.customer.custcare_tier_id = self.monthly
        # 20:00 UTC on 1 March is already 2 March in Auckland
        self._close_conversation(datetime(2027, 3, 1, 20, 0))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 3, 2))

    def test_reopening_moves_last_contact_back(self):
        self.customer.custcare_tier_id = self.monthly
        self._close_conversation(datetime(2027, 1, 10, 9, 0))
        later = self._close_conversation(datetime(2027, 2, 10, 9, 0))
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 2, 10))
        later.action_reopen()
        self.assertEqual(self.customer.custcare_last_contact_date, date(2027, 1, 10))

    def test_open_conversation_is_not_a_contact(self):
        self.customer.custcare_tier_id = self.monthly
        self._create_conversation(partner_id=self.customer.id)
        self.assertFalse(self.customer.custcare_last_contact_date)

    def test_tiers_are_configured_by_managers(self):
        with self.assertRaises(AccessError):
            self.env(user=self.rep)["custcare.tier"].create({"name": "Gold"})
        tier = self.env(user=self.manager)["custcare.tier"].create(
            {"name": "Gold", "interval_number": 1, "interval_type": "weeks"}
        )
        self.assertEqual(tier.display_name, "Gold")
        self.assertIn(tier, self.env(user=self.rep)["custcare.tier"].search([]))

    def test_settings_are_for_administrators(self):
        with self.assertRaises(AccessError):
            self.env.company.with_user(self.rep).custcare_lead_days = 3
        settings = self.env["res.config.settings"].create({"custcare_lead_days": 3})
        settings.execute()
        self.assertEqual(self.env.company.custcare_lead_days, 3)

    def test_care_board_shows_customers_under_care(self):
        self.customer.custcare_tier_id = self.monthly
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.res_partner_action_care_board"
        )
        Partner = self.env(user=self.rep)["res.partner"]
        domain = literal_eval(action["domain"])
        board = Partner.search(domain)
        self.assertIn(self.customer, board)
        self.assertNotIn(self.contact, board)
        groups = Partner.formatted_read_group(
            domain, ["custcare_contact_state"], ["__count"]
        )
        self.assertIn("due", [g["custcare_contact_state"] for g in groups])
