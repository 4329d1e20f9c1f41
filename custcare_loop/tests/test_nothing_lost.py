from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestNothingLost(CustcareCommon):
    """Customer knowledge (points, answers, mentions) outlives the record it
    came from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "ann@acme-bakery.example.com"
        cls.other = cls.env["res.partner"].create(
            {"name": "Bistro Bob", "email": "bob@example.com"}
        )
        cls.golden = cls.env["custcare.competitor"].create({"name": "Rival Rolls"})
        # the lowest helpdesk role that may delete tickets
        cls.helpdesk_manager = new_test_user(
            cls.env,
            login="custcare_helpdesk_manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )

    def test_deleting_a_ticket_keeps_its_points_and_their_customers(self):
        ticket = self._create_ticket()
        point = self.env["custcare.improvement.point"].create(
            {
                "name": "Deliver before 7",
                "partner_id": self.contact.id,
                "partner_ids": [(6, 0, self.other.ids)],
                "ticket_id": ticket.id,
            }
        )
        ticket.with_user(self.helpdesk_manager).unlink()
        self.assertTrue(point.exists())
        self.assertFalse(point.ticket_id)
        self.assertEqual(point.partner_ids, self.other)

    def test_deleting_a_ticket_keeps_the_customers_answers(self):
        ticket = self._create_ticket()
        self.env["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        ticket.stage_id = self.stage_done
        rating = ticket.sudo().custcare_rating_ids
        ticket._custcare_record_answer("bad", "Still crushed", rating=rating)
        name = ticket.display_name
        ticket.with_user(self.helpdesk_manager).unlink()
        self.assertTrue(rating.exists())
        self.assertEqual(
            (rating.res_model, rating.res_id), ("res.partner", self.contact.id)
        )
        self.assertEqual(rating.custcare_answer, "bad")
        self.assertEqual(rating.feedback, "Still crushed")
        self.assertIn(name, rating.res_name)

    def test_an_address_only_customers_answer_outlives_the_ticket(self):
        ticket = self._create_ticket(
            partner_id=False, partner_email="Nora Nobody <nora@example.com>"
        )
        self.env["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        ticket.stage_id = self.stage_done
        rating = ticket.sudo().custcare_rating_ids
        self.assertFalse(rating.partner_id)
        ticket._custcare_record_answer("partial", "Better", rating=rating)
        ticket.with_user(self.helpdesk_manager).unlink()
        self.assertTrue(rating.exists())
        self.assertEqual(rating.res_model, "res.partner")
        self.assertEqual(rating.partner_id.email_normalized, "nora@example.com")
        self.assertEqual(rating.res_id, rating.partner_id.id)
        self.assertEqual(rating.feedback, "Better")

    def test_mentions_keep_a_readable_source(self):
        ticket = self._create_ticket(description="<p>Rival Rolls is cheaper.</p>")
        message = ticket.message_post(
            body="Rival Rolls called again",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        mentions = self.env["custcare.competitor.mention"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(len(mentions), 2)
        name = ticket.display_name
        ticket.with_user(self.helpdesk_manager).unlink()
        self.assertFalse(message.exists())
        self.assertEqual(len(mentions.exists()), 2)
        self.assertEqual(set(mentions.mapped("source_name")), {name})
        self.assertEqual(self.customer.custcare_competitor_mention_count, 2)
        with self.assertRaisesRegex(UserError, "was deleted"):
            mentions[0].action_open_source()

    def test_deleting_a_conversation_keeps_its_points(self):
        conversation = self._create_conversation(
            improvement_point_ids=[
                (0, 0, {"name": "Bigger loaves", "partner_id": self.contact.id})
            ]
        )
        point = conversation.improvement_point_ids
        conversation.with_user(self.manager).unlink()
        self.assertTrue(point.exists())
        self.assertFalse(point.conversation_id)

    def test_deleting_a_closed_conversation_recomputes_the_last_contact(self):
        self.customer.custcare_interval_number = 1
        with freeze_time("2027-01-10 12:00:00"):
            first = self._close_conversation(datetime(2027, 1, 10, 9, 0))
        with freeze_time("2027-02-10 12:00:00"):
            last = self._close_conversation(datetime(2027, 2, 10, 9, 0))
        self.assertEqual(str(self.customer.custcare_last_contact_date), "2027-02-10")
        last.with_user(self.manager).unlink()
        self.assertEqual(str(self.customer.custcare_last_contact_date), "2027-01-10")
        first.with_user(self.manager).unlink()
        self.assertFalse(self.customer.custcare_last_contact_date)

    def _close_conversation(self, when):
        conversation = self._create_conversation(
            partner_id=self.customer.id,
            date=when,
            improvement_point_ids=[
                (0, 0, {"name": "Bigger loaves", "partner_id": self.contact.id})
            ],
        )
        conversation.action_close()
        return conversation

    def test_a_tier_in_use_is_neither_deleted_nor_archived(self):
        tier = self.env["custcare.tier"].create(
            {"name": "Key", "interval_number": 1, "interval_type": "months"}
        )
        self.customer.custcare_tier_id = tier
        Tier = tier.with_user(self.manager)
        with self.assertRaisesRegex(UserError, r"used by customers \(1\)"):
            Tier.unlink()
        with self.assertRaisesRegex(UserError, r"used by customers \(1\)"):
            Tier.active = False
        self.assertTrue(self.customer.custcare_under_care)
        self.customer.custcare_tier_id = False
        Tier.active = False
        Tier.unlink()


@tagged("post_install", "-at_install")
class TestSchedulerKeepsWhatIsNotItsOwn(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        cls.customer.custcare_interval_number = 1

    def _run_scheduler(self):
        with self.enter_registry_test_mode():
            self.assertIs(
                self.env.ref(
                    "custcare_loop.ir_cron_custcare_schedule_contacts"
                ).method_direct_trigger(),
                True,
            )
        self.env.invalidate_all()

    def _contacts(self, partner):
        return self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", self.activity_type.id),
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
            ]
        )

    def test_a_proactive_contact_planned_by_hand_stays(self):
        # planned by hand for the rep (not by the scheduler)
        planned = self.customer.activity_schedule(
            "custcare_loop.mail_activity_type_proactive_contact",
            summary="Call about the new rye",
            user_id=self.rep.id,
        )
        self._run_scheduler()
        self.assertEqual(self._contacts(self.customer), planned, "no second one")
        # the customer leaves care: the rep's own plan is theirs to keep
        self.customer.custcare_interval_number = 0
        self._run_scheduler()
        self.assertEqual(self._contacts(self.customer), planned)

    def test_the_scheduler_removes_its_own_when_care_stops(self):
        self._run_scheduler()
        scheduled = self._contacts(self.customer)
        self.assertTrue(scheduled.custcare_scheduled)
        self.customer.custcare_interval_number = 0
        self._run_scheduler()
        self.assertFalse(self._contacts(self.customer))

    @mute_logger(
        "odoo.addons.custcare_loop.utils.cron_isolation",
        "odoo.addons.custcare_loop.models.res_partner_scheduler",
        "odoo.sql_db",
    )
    def test_one_bad_customer_does_not_block_the_others(self):
        other = self.env["res.partner"].create(
            {"name": "Other", "user_id": self.rep.id, "custcare_interval_number": 1}
        )
        Partner = type(self.env["res.partner"])
        original = Partner._custcare_contact_activity_vals
        bad_id = self.customer.id

        def broken_for_one(partner, activity_type, model_id):
            vals = original(partner, activity_type, model_id)
            if partner.id == bad_id:
                vals["date_deadline"] = False  # NOT NULL: the create fails
            return vals

        with patch.object(Partner, "_custcare_contact_activity_vals", broken_for_one):
            self._run_scheduler()
        self.assertFalse(self._contacts(self.customer))
        self.assertEqual(len(self._contacts(other)), 1)
        # the next run schedules it once the fault is gone, without duplicates
        self._run_scheduler()
        self.assertEqual(len(self._contacts(self.customer)), 1)
        self.assertEqual(len(self._contacts(other)), 1)
