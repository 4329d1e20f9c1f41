from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import sql_db
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.custcare_loop.models.res_partner_scheduler import SCHEDULER_LOCK

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestScheduler(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        cls.cron = cls.env.ref("custcare_loop.ir_cron_custcare_schedule_contacts")
        cls.monthly = cls.env["custcare.tier"].create(
            {"name": "Monthly", "interval_number": 1, "interval_type": "months"}
        )
        # demo data may set one; these tests say when there is one
        cls.env.company.custcare_fallback_user_id = False
        cls.other_rep = cls.rep.copy({"login": "custcare_rep_2", "name": "Otto Rep"})
        Partner = cls.env["res.partner"]
        cls.overdue = Partner.create(
            {"name": "Overdue Deli", "is_company": True, "user_id": cls.rep.id}
        )
        cls.due = Partner.create(
            {"name": "Due Diner", "is_company": True, "user_id": cls.other_rep.id}
        )
        cls.on_track = Partner.create(
            {"name": "On Track Tavern", "is_company": True, "user_id": cls.rep.id}
        )
        cls.orphan = Partner.create({"name": "Orphan Oven", "is_company": True})
        (
            cls.overdue | cls.due | cls.on_track | cls.orphan
        ).custcare_tier_id = cls.monthly
        cls.overdue.custcare_last_contact_date = date(2027, 4, 1)  # next 1 May
        cls.due.custcare_last_contact_date = date(2027, 5, 20)  # next 20 June
        cls.on_track.custcare_last_contact_date = date(2027, 6, 10)  # next 10 July
        cls.orphan.custcare_last_contact_date = date(2027, 4, 1)

    def _activities(self, partners=None):
        domain = [
            ("activity_type_id", "=", self.activity_type.id),
            ("res_model", "=", "res.partner"),
        ]
        if partners is not None:
            domain.append(("res_id", "in", partners.ids))
        return self.env["mail.activity"].search(domain)

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.assertIs(self.cron.method_direct_trigger(), True)
        self.env.invalidate_all()

    @freeze_time("2027-06-15 03:00:00")
    def test_cron_gives_each_due_partner_one_activity(self):
        self._run_cron()
        self.assertEqual(self.overdue.custcare_contact_state, "overdue")
        self.assertEqual(self.due.custcare_contact_state, "due")
        self.assertEqual(self.on_track.custcare_contact_state, "on_track")
        overdue_activity = self._activities(self.overdue)
        self.assertEqual(len(overdue_activity), 1)
        self.assertEqual(overdue_activity.user_id, self.rep)
        self.assertEqual(overdue_activity.date_deadline, date(2027, 5, 1))
        due_activity = self._activities(self.due)
        self.assertEqual(due_activity.user_id, self.other_rep)
        self.assertEqual(due_activity.date_deadline, date(2027, 6, 20))
        self.assertFalse(self._activities(self.on_track))
        # no salesperson, no fallback: nothing, and the others are not blocked
        self.assertFalse(self._activities(self.orphan))
        # running again creates no duplicates
        self._run_cron()
        self.assertEqual(len(self._activities(self.overdue | self.due)), 2)

    @freeze_time("2027-06-15 03:00:00")
    def test_a_rep_reads_the_proactive_contact_in_their_language(self):
        """The job runs as OdooBot, in English; a French rep's proactive
        contact is French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["custcare_loop"], ["fr_FR"], overwrite=True
        )
        self.rep.lang = "fr_FR"
        self._run_cron()
        self.assertEqual(self._activities(self.overdue).summary, "Contact proactif")
        self.assertEqual(self._activities(self.due).summary, "Proactive contact")

    @freeze_time("2027-06-15 03:00:00")
    def test_fallback_rep(self):
        self.env.company.custcare_fallback_user_id = self.manager
        self._run_cron()
        self.assertEqual(self._activities(self.orphan).user_id, self.manager)

    @freeze_time("2027-06-15 03:00:00")
    def test_an_archived_salesperson_gets_nothing(self):
        """The salesperson left (user archived): the fallback rep calls; with
        no fallback nobody is given a contact they would never see."""
        self.other_rep.active = False
        self._run_cron()
        self.assertFalse(self._activities(self.due))
        self.env.company.custcare_fallback_user_id = self.manager
        self._run_cron()
        self.assertEqual(self._activities(self.due).user_id, self.manager)

    @freeze_time("2027-06-15 03:00:00")
    @mute_logger("odoo.addons.custcare_loop.models.res_partner_scheduler")
    def test_one_bad_partner_or_step_does_not_stop_the_scheduler(self):
        Partner = type(self.env["res.partner"])
        build_vals = Partner._custcare_contact_activity_vals
        overdue_id = self.overdue.id

        def bad_for_one(partner, *args):
            if partner.id == overdue_id:
                raise ValueError("a broken partner")
            return build_vals(partner, *args)

        def broken_step(*args, **kwargs):
            raise ValueError("a broken step")

        with (
            patch.object(Partner, "_custcare_contact_activity_vals", bad_for_one),
            patch.object(
                Partner, "_custcare_clear_stale_contact_activities", broken_step
            ),
        ):
            self._run_cron()
        self.assertFalse(self._activities(self.overdue))
        self.assertEqual(self._activities(self.due).user_id, self.other_rep)
        # the next run schedules the partner that failed
        self._run_cron()
        self.assertEqual(len(self._activities(self.overdue)), 1)

    @freeze_time("2027-06-15 03:00:00")
    def test_contacts_use_the_company_salesperson(self):
        self.contact.custcare_tier_id = self.monthly
        self._run_cron()
        self.assertEqual(self._activities(self.contact).user_id, self.rep)

    @freeze_time("2027-06-15 03:00:00")
    def test_batches_follow_the_partner_ids(self):
        Partner = self.env["res.partner"]
        Partner._custcare_refresh_contact_states()
        # start at this test's partners (demo partners come before them)
        partners, activities = Partner._custcare_schedule_contacts_batch(
            self.activity_type, after_id=self.overdue.id - 1, limit=1
        )
        self.assertEqual(partners, self.overdue)
        self.assertEqual(activities.res_id, self.overdue.id)
        rest, _activities = Partner._custcare_schedule_contacts_batch(
            self.activity_type, after_id=partners.id, limit=10
        )
        self.assertNotIn(self.overdue, rest)
        self.assertIn(self.due, rest)
        self.assertEqual(len(self._activities(self.overdue | self.due)), 2)

    @freeze_time("2027-06-15 03:00:00")
    def test_a_concurrent_run_does_nothing(self):
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SELECT pg_advisory_lock(%s)", [SCHEDULER_LOCK])
            result = self.env["res.partner"]._custcare_schedule_contacts_batch(
                self.activity_type
            )
            self.assertIsNone(result)
            self.assertFalse(self._activities(self.overdue))
        finally:
            other.execute("SELECT pg_advisory_unlock(%s)", [SCHEDULER_LOCK])
            other.close()

    @freeze_time("2027-06-15 10:00:00")
    def test_logging_a_conversation_completes_the_activity(self):
        self._run_cron()
        activity = self._activities(self.overdue)
        conversation = self._create_conversation(
            partner_id=self.overdue.id,
            date=datetime(2027, 6, 14, 16, 0),
            improvement_point_ids=[
                (0, 0, {"name": "Earlier deliveries", "partner_id": self.overdue.id})
            ],
        )
        conversation.action_close()
        self.assertFalse(activity.active)
        self.assertEqual(activity.date_done, date(2027, 6, 14))
        self.assertIn(conversation.display_name, str(activity.feedback))
        self.assertEqual(self.overdue.custcare_last_contact_date, date(2027, 6, 14))
        self.assertEqual(self.overdue.custcare_next_contact_date, date(2027, 7, 14))
        self.assertEqual(self.overdue.custcare_contact_state, "on_track")
        self._run_cron()
        self.assertFalse(self._activities(self.overdue))

    @freeze_time("2027-06-15 10:00:00")
    def test_a_proactive_contact_is_done_only_by_its_conversation(self):
        """Marking it done by any other way (Done & Schedule Next, a list,
        RPC) is refused; "Not Reached" records why and is no contact."""
        self._run_cron()
        last_contact = self.due.custcare_last_contact_date
        activity = self._activities(self.due).with_user(self.other_rep)
        with self.assertRaisesRegex(UserError, "Log the Conversation"):
            activity.action_feedback(feedback="Called, all fine")
        with self.assertRaisesRegex(UserError, "Say why"):
            activity.action_custcare_not_reached(feedback="  ")
        activity.action_custcare_not_reached(feedback="Closed for holidays")
        self.assertFalse(activity.active)
        self.assertIn(
            "Not reached: Closed for holidays",
            str(self.due.message_ids.mapped("body")),
        )
        self.assertEqual(self.due.custcare_last_contact_date, last_contact)
        self.assertIn(self.due.custcare_contact_state, ("due", "overdue"))

    @freeze_time("2027-06-15 10:00:00")
    def test_done_leads_the_rep_to_log_the_conversation(self):
        self._run_cron()
        activity = self._activities(self.overdue).with_user(self.rep)
        self.assertEqual(activity.activity_category, "custcare_contact")
        action = activity.action_custcare_log_conversation(
            feedback="Talked about Sundays"
        )
        self.assertTrue(activity.active, "nothing is done until it is logged")
        self.assertEqual(action["res_model"], "custcare.conversation")
        form = Form(
            self.env(user=self.rep)["custcare.conversation"].with_context(
                **action["context"]
            )
        )
        self.assertEqual(form.partner_id, self.overdue)
        self.assertIn("Talked about Sundays", str(form.summary))
        with form.improvement_point_ids.new() as line:
            line.name = "Deliver on Sundays"
        conversation = form.save()
        self.assertTrue(activity.active, "an open conversation is not a contact yet")
        conversation.action_close()
        self.assertFalse(activity.active)
        self.assertEqual(self.overdue.custcare_last_contact_date, date(2027, 6, 15))

    @freeze_time("2027-06-15 10:00:00")
    def test_partner_no_longer_under_care_loses_its_activity(self):
        self._run_cron()
        self.assertTrue(self._activities(self.overdue))
        self.overdue.custcare_tier_id = False
        self.assertFalse(self.overdue.custcare_contact_state)
        self._run_cron()
        self.assertFalse(self._activities(self.overdue))

    @freeze_time("2027-06-15 10:00:00")
    def test_the_top_bar_names_proactive_contacts(self):
        self._run_cron()
        groups = self.rep.with_user(self.rep)._get_activity_groups()
        proactive = [g for g in groups if g["name"] == "Proactive Contact"]
        self.assertEqual(len(proactive), 1)
        self.assertEqual(proactive[0]["model"], "res.partner")
        self.assertGreaterEqual(proactive[0]["total_count"], 1)
        partners = (
            self.env["res.partner"].with_user(self.rep).search(proactive[0]["domain"])
        )
        self.assertIn(self.overdue, partners)
