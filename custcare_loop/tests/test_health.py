from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestHealth(CustcareCommon):
    """Keep the customers you have: one score from the care signals, with
    the reasons that pulled it down."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "ann@acme-bakery.example.com"

    def _run_health(self):
        with self.enter_registry_test_mode():
            self.assertIs(
                self.env.ref(
                    "custcare_loop.ir_cron_custcare_health"
                ).method_direct_trigger(),
                True,
            )
        self.env.invalidate_all()

    def _answer(self, answer, when):
        ticket = self._create_ticket()
        self.env["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        with freeze_time(when):
            ticket.stage_id = self.stage_done
            ticket._custcare_record_answer(answer)
        return ticket

    @freeze_time("2027-06-10 12:00:00")
    def test_overdue_boiling_and_still_a_problem_is_at_risk(self):
        self.customer.write(
            {
                "custcare_interval_number": 1,
                "custcare_interval_type": "months",
                "custcare_care_start_date": date(2027, 1, 1),
                "custcare_last_contact_date": date(2027, 4, 1),
            }
        )
        self._answer("bad", "2027-06-01 10:00:00")
        self._create_conversation(temperature="boiling")
        self._run_health()
        self.assertEqual(self.customer.custcare_health_state, "at_risk")
        reasons = self.customer.custcare_health_reasons
        self.assertIn("overdue by 40 days", reasons)
        self.assertIn("last answer: still a problem", reasons)
        self.assertIn("temperature: boiling", reasons)
        self.assertLess(self.customer.custcare_health, 40)

    @freeze_time("2027-06-10 12:00:00")
    def test_reasons_are_stored_as_codes_and_read_in_the_readers_language(self):
        """The nightly job (OdooBot, in English) stores codes and values; a
        French manager reads French, an English one English."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["custcare_loop"], ["fr_FR"], overwrite=True
        )
        self.customer.write(
            {
                "custcare_interval_number": 1,
                "custcare_interval_type": "months",
                "custcare_care_start_date": date(2027, 1, 1),
                "custcare_last_contact_date": date(2027, 4, 1),
            }
        )
        self._create_conversation(temperature="boiling")
        self._run_health()
        self.assertEqual(
            self.customer.custcare_health_reason_data,
            [["overdue", {"days": 40}], ["temperature", {"value": "boiling"}]],
        )
        # as the web client reads it for a French manager
        french = (
            self.customer.with_user(self.manager)
            .with_context(lang="fr_FR")
            .custcare_health_reasons
        )
        self.assertIn("en retard de 40 jours", french)
        self.assertNotIn("overdue", french)
        english = self.customer.with_context(lang="en_US").custcare_health_reasons
        self.assertIn("overdue by 40 days", english)

    @freeze_time("2027-06-10 12:00:00")
    def test_health_follows_what_a_person_does(self):
        """Overdue and at risk after the nightly job; the rep logs a
        conversation today: the customer is on track at once, and no reason
        that is no longer true is shown (the At Risk board and the Care
        Board agree before the next night)."""
        self.customer.write(
            {
                "custcare_interval_number": 1,
                "custcare_interval_type": "months",
                "custcare_care_start_date": date(2027, 1, 1),
                "custcare_last_contact_date": date(2027, 4, 1),
            }
        )
        self._answer("bad", "2027-06-01 10:00:00")
        self._create_conversation(temperature="boiling", date=datetime(2027, 6, 9, 10))
        self._run_health()
        self.assertEqual(self.customer.custcare_health_state, "at_risk")
        conversation = self._create_conversation(temperature="calm")
        self.env["custcare.improvement.point"].create(
            {
                "name": "Call before a late delivery",
                "partner_id": self.contact.id,
                "conversation_id": conversation.id,
            }
        )
        conversation.with_user(self.rep).action_close()
        self.assertEqual(self.customer.custcare_contact_state, "on_track")
        reasons = self.customer.custcare_health_reasons or ""
        self.assertNotIn("overdue", reasons)
        self.assertNotIn("boiling", reasons)
        self.assertNotEqual(self.customer.custcare_health_state, "at_risk")
        # a reason the partner cannot tell by itself is refreshed by the event:
        # the customer now says the fix works
        ticket = self._answer("good", "2027-06-10 11:00:00")
        self.assertNotIn("still a problem", self.customer.custcare_health_reasons or "")
        self.assertTrue(ticket.closed)

    @freeze_time("2027-06-10 12:00:00")
    def test_a_reason_no_longer_true_is_not_shown_before_the_refresh(self):
        self.customer.write(
            {
                "custcare_interval_number": 1,
                "custcare_interval_type": "months",
                "custcare_care_start_date": date(2027, 1, 1),
                "custcare_last_contact_date": date(2027, 4, 1),
            }
        )
        self._run_health()
        self.assertIn("overdue by 40 days", self.customer.custcare_health_reasons)
        # a contact counted from a message (no refresh on that hot path)
        self.customer.custcare_last_contact_date = date(2027, 6, 10)
        self.assertNotIn("overdue", self.customer.custcare_health_reasons or "")

    @freeze_time("2027-06-10 12:00:00")
    def test_on_track_calm_and_happy_without_open_tickets_is_healthy(self):
        self.customer.write(
            {
                "custcare_interval_number": 1,
                "custcare_interval_type": "months",
                "custcare_last_contact_date": date(2027, 6, 5),
            }
        )
        self._answer("good", "2027-06-02 10:00:00")
        conversation = self._create_conversation(
            temperature="calm",
            improvement_point_ids=[
                (
                    0,
                    0,
                    {
                        "name": "Rye",
                        "partner_id": self.contact.id,
                        "state": "done",
                        "action_taken": "<p>Rye daily.</p>",
                    },
                )
            ],
        )
        conversation.action_close()
        self._run_health()
        self.assertEqual(self.customer.custcare_contact_state, "on_track")
        self.assertEqual(self.customer.custcare_health_state, "healthy")
        # the point raised when the ticket closed is still open
        self.assertEqual(self.customer.custcare_health, 98)
        self.assertEqual(
            self.customer.custcare_health_reasons, "1 open improvement point"
        )

    @freeze_time("2027-06-10 12:00:00")
    def test_the_latest_answer_counts(self):
        self._answer("bad", "2027-05-01 10:00:00")
        self._answer("good", "2027-06-01 10:00:00")
        self._run_health()
        self.assertNotIn("still a problem", self.customer.custcare_health_reasons or "")

    @freeze_time("2027-06-10 12:00:00")
    def test_open_tickets_waiting_replies_and_slipped_promises_weigh(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 6, 1, 12, 0))
        ticket.message_post(
            body="Hello?",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        ticket.sudo().write(
            {
                "custcare_awaiting_reply_since": datetime(2027, 6, 7, 9, 0),
                "custcare_promise_state": "slipped",
            }
        )
        self._run_health()
        reasons = self.customer.custcare_health_reasons
        self.assertIn("1 open ticket", reasons)
        self.assertIn("waiting for a reply for 3 days", reasons)
        self.assertIn("1 promise slipped", reasons)
        self.assertEqual(self.customer.custcare_health_state, "watch")

    def test_a_ticket_closed_by_the_system_without_a_point_weighs(self):
        ticket = self._create_ticket()
        ticket.sudo().stage_id = self.stage_cancelled
        self._run_health()
        reasons = self.customer.custcare_health_reasons or ""
        self.assertIn("1 ticket closed without asking what we could do better", reasons)
        self.env["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        self.customer._custcare_refresh_health()
        self.assertNotIn("without asking", self.customer.custcare_health_reasons or "")

    def test_a_rep_refreshes_one_customer_and_filters_theirs_at_risk(self):
        self.customer.user_id = self.rep
        self._create_conversation(temperature="boiling")
        # "still a problem" reopens the ticket: open, and the latest answer
        self._answer("bad", "2027-06-01 10:00:00")
        self.contact.with_user(self.rep).action_custcare_refresh_health()
        self.assertEqual(self.customer.custcare_health_state, "at_risk")
        view = self.env.ref("custcare_loop.res_partner_view_search_health")
        my_at_risk = view._get_combined_arch().xpath(
            "//filter[@name='custcare_my_at_risk']"
        )[0]
        mine = (
            self.env["res.partner"]
            .with_user(self.rep)
            .search(safe_eval(my_at_risk.get("domain"), {"uid": self.rep.id}))
        )
        self.assertEqual(mine, self.customer)

    def test_the_cron_works_in_batches_with_constant_queries(self):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Batch {i}",
                    "custcare_interval_number": 1,
                    "user_id": self.rep.id,
                }
                for i in range(30)
            ]
        )
        self.env.flush_all()
        with self.assertQueryCount(__system__=40):
            partners[:10]._custcare_refresh_health()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40):
            partners._custcare_refresh_health()
        self.assertEqual(set(partners.mapped("custcare_health_state")), {"healthy"})
        self.assertEqual(
            set(partners.mapped("custcare_health_reasons")), {"contact due"}
        )

    def test_employees_outside_customer_care_do_not_see_health(self):
        self.customer.custcare_interval_number = 1
        self._run_health()
        with self.assertRaises(AccessError):
            _ = self.customer.with_user(self.employee).custcare_health_reasons
        self.assertTrue(self.customer.with_user(self.rep).custcare_health_state)

    @mute_logger(
        "odoo.addons.custcare_loop.utils.cron_isolation",
        "odoo.addons.custcare_loop.models.res_partner_health",
    )
    def test_one_bad_customer_does_not_stop_the_refresh(self):
        other = self.env["res.partner"].create(
            {"name": "Other", "is_company": True, "custcare_interval_number": 1}
        )
        self.customer.custcare_interval_number = 1
        Partner = type(self.env["res.partner"])
        original = Partner._custcare_health_values
        bad_id = self.customer.id

        def broken_for_one(partners):
            if bad_id in partners.ids:
                raise ValueError("corrupt signal")
            return original(partners)

        with patch.object(Partner, "_custcare_health_values", broken_for_one):
            self._run_health()
        self.assertFalse(self.customer.custcare_health_state)
        self.assertTrue(other.custcare_health_state)
