import importlib.util
from datetime import date, datetime, timedelta
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestTemperature(CustcareCommon):
    """The kettle: how upset the customer is, as the rep judges it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env, login="custcare_leader", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Bakery Support", "user_id": cls.leader.id}
        )
        cls.escalation = cls.env.ref("custcare_loop.mail_activity_type_escalation")
        cls.follow_up = cls.env.ref("custcare_loop.mail_activity_type_follow_up")
        cls.contact.lang = "en_US"

    def _activities(self, record, activity_type):
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def _point(self, record):
        field = "ticket_id" if record._name == "helpdesk.ticket" else "conversation_id"
        self.env["custcare.improvement.point"].create(
            {"name": "Listen", "partner_id": self.contact.id, field: record.id}
        )

    def test_hot_ticket_escalates_once_to_the_team_leader(self):
        ticket = self._create_ticket(team_id=self.team.id, user_id=self.agent.id)
        ticket.with_user(self.agent).custcare_temperature = "warm"
        self.assertFalse(self._activities(ticket, self.escalation))
        ticket.with_user(self.agent).custcare_temperature = "hot"
        ticket.with_user(self.agent).custcare_temperature = "boiling"
        escalation = self._activities(ticket, self.escalation)
        self.assertEqual(len(escalation), 1, "once, not at every degree")
        self.assertEqual(escalation.user_id, self.leader)
        self.assertIn("listen", escalation.note.lower())
        self.assertTrue(ticket.custcare_escalated)
        self.assertIn("empathy", ticket.custcare_temperature_guidance)

    def test_without_a_team_leader_the_fallback_rep_steps_in(self):
        self.env.company.custcare_fallback_user_id = self.manager
        conversation = self._create_conversation(temperature="boiling")
        self.assertEqual(
            self._activities(conversation, self.escalation).user_id, self.manager
        )

    def test_nobody_to_escalate_to_is_never_odoobot(self):
        self.env.company.custcare_fallback_user_id = False
        ticket = self._create_ticket(team_id=False)
        ticket.sudo().custcare_temperature = "hot"
        escalation = self._activities(ticket, self.escalation)
        self.assertEqual(len(escalation), 1)
        self.assertFalse(escalation.user_id, "unassigned, visible on the ticket")

    @freeze_time("2027-03-01 10:00:00")
    def test_closing_a_hot_record_gives_its_owner_a_follow_up(self):
        self.env.company.custcare_follow_up_days = 3
        conversation = self._create_conversation(temperature="hot")
        self._point(conversation)
        conversation.temperature = "calm"
        conversation.action_close()
        follow_up = self._activities(conversation, self.follow_up)
        self.assertEqual(follow_up.user_id, self.rep)
        self.assertEqual(follow_up.date_deadline, date(2027, 3, 4))
        self.assertEqual(conversation.custcare_temperature_peak, "hot")
        self.assertEqual(conversation.custcare_temperature_at_close, "calm")
        self.assertTrue(conversation.custcare_cooled_down)

    def test_closing_a_calm_record_needs_no_follow_up(self):
        ticket = self._create_ticket(user_id=self.agent.id, custcare_temperature="warm")
        self._point(ticket)
        ticket.stage_id = self.stage_done
        self.assertFalse(self._activities(ticket, self.follow_up))
        self.assertEqual(ticket.custcare_temperature_at_close, "warm")
        self.assertFalse(ticket.custcare_cooled_down)

    def test_still_boiling_at_close_has_not_cooled_down(self):
        ticket = self._create_ticket(
            user_id=self.agent.id, custcare_temperature="boiling"
        )
        self._point(ticket)
        ticket.stage_id = self.stage_done
        self.assertFalse(ticket.custcare_cooled_down)
        self.assertTrue(self._activities(ticket, self.follow_up))
        report = self.env["custcare.temperature.report"].search(
            [("source", "=", "ticket"), ("partner_id", "=", self.contact.id)]
        )
        self.assertEqual(report.cooled_down_rate, 0.0)
        self.assertTrue(report.heated)

    def test_the_report_has_stable_ids_and_reads_unsaved_changes(self):
        """A row keeps its id when rows are added before it (a manager's
        open list does not point at another record), and the report sees a
        temperature set in the same transaction without a manual flush."""
        Report = self.env["custcare.temperature.report"]
        ticket = self._create_ticket(custcare_temperature="warm")
        row = Report.search(
            [("source", "=", "ticket"), ("partner_id", "=", self.contact.id)]
        )
        self.assertEqual(len(row), 1)
        first_id = row.id
        self._create_conversation(temperature="calm")
        self._create_ticket(custcare_temperature="hot", name="Another")
        ticket.custcare_temperature = "boiling"
        row = Report.browse(first_id)
        self.assertEqual(row.temperature, "boiling")
        self.assertEqual(row.temperature_value, 4)

    def test_the_customer_shows_their_latest_temperature(self):
        now = datetime.now()
        self._create_conversation(temperature="calm", date=now - timedelta(days=10))
        self._create_ticket(custcare_temperature="boiling")
        # logged after the ticket, but took place before it
        self._create_conversation(temperature="warm", date=now - timedelta(days=1))
        self.assertEqual(self.contact.custcare_temperature, "boiling")
        self.assertEqual(self.customer.custcare_temperature, "boiling")
        other_contact = self.env["res.partner"].create(
            {"name": "Bea", "parent_id": self.customer.id}
        )
        self._create_conversation(partner_id=other_contact.id, temperature="calm")
        self.assertEqual(other_contact.custcare_temperature, "calm")
        self.assertEqual(self.customer.custcare_temperature, "calm")
        self.assertEqual(self.contact.custcare_temperature, "boiling")

    def test_moving_or_deleting_a_record_rejudges_its_customer(self):
        ticket = self._create_ticket(custcare_temperature="hot")
        self.assertEqual(self.contact.custcare_temperature, "hot")
        other = self.env["res.partner"].create({"name": "Oscar", "is_company": True})
        ticket.partner_id = other
        self.assertFalse(self.contact.custcare_temperature)
        self.assertFalse(self.customer.custcare_temperature)
        self.assertEqual(other.custcare_temperature, "hot")
        conversation = self._create_conversation(
            partner_id=other.id, temperature="calm", date=datetime.now()
        )
        self.assertEqual(other.custcare_temperature, "calm")
        conversation.with_user(self.manager).unlink()
        self.assertEqual(other.custcare_temperature, "hot")
        ticket.with_user(self.env.ref("base.user_admin")).unlink()
        self.assertFalse(other.custcare_temperature)

    def test_every_temperature_is_kept_over_time(self):
        """calm, then hot, then calm again: three entries, in order, kept
        after the ticket is deleted; reps read them and change nothing."""
        Log = self.env["custcare.temperature.log"]
        with freeze_time("2027-03-01 09:00:00"):
            ticket = self._create_ticket(custcare_temperature="calm")
        with freeze_time("2027-03-02 09:00:00"):
            ticket.custcare_temperature = "hot"
            ticket.custcare_temperature = "hot"  # no change, no entry
        with freeze_time("2027-03-03 09:00:00"):
            ticket.custcare_temperature = "calm"
        ticket.name = "Renamed"  # nothing to do with the temperature
        entries = Log.search(
            [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(entries.mapped("temperature"), ["calm", "hot", "calm"])
        self.assertEqual(entries.mapped("temperature_value"), [1, 3, 1])
        self.assertEqual(entries.commercial_partner_id, self.customer)
        self.assertEqual([d.day for d in entries.mapped("date")], [3, 2, 1])
        [(average,)] = Log._read_group(
            [("id", "in", entries.ids)], aggregates=["temperature_value:avg"]
        )
        self.assertAlmostEqual(average, 5 / 3)
        self.assertEqual(
            Log.with_user(self.rep).search([("id", "in", entries.ids)]), entries
        )
        with self.assertRaises(AccessError):
            entries[0].with_user(self.rep).write({"temperature": "boiling"})
        with self.assertRaises(AccessError):
            entries[0].with_user(self.rep).unlink()
        ticket.with_user(self.env.ref("base.user_admin")).unlink()
        self.assertTrue(entries.exists())
        self.assertIn("Late delivery", entries[0].source_name)

    def test_an_upgrade_starts_the_history_with_the_current_temperatures(self):
        path = (
            Path(__file__).resolve().parent.parent
            / "migrations/19.0.2.1.0/post-migration.py"
        )
        spec = importlib.util.spec_from_file_location("custcare_mig_2_1", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        ticket = self._create_ticket(custcare_temperature="warm")
        Log = self.env["custcare.temperature.log"]
        domain = [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)]
        Log.search(domain).unlink()  # as in a 19.0.2.0.0 database
        migration.migrate(self.env.cr, "19.0.2.0.0")
        self.assertEqual(Log.search(domain).temperature, "warm")
        migration.migrate(self.env.cr, "19.0.2.0.0")  # a rerun adds nothing
        self.assertEqual(len(Log.search(domain)), 1)

    def test_a_suggestion_from_the_customers_words_is_never_applied_silently(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        ticket.message_post(
            body="This is the third time! Unacceptable, I am furious and will cancel.",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(ticket.custcare_temperature_suggestion, "boiling")
        self.assertFalse(ticket.custcare_temperature)
        self.assertFalse(self._activities(ticket, self.escalation))
        # where it was read is stored as a code, shown in the reader's language
        self.assertTrue(ticket.custcare_temperature_hint.startswith("message:"))
        self.assertIn(
            "the customer's message of", ticket.custcare_temperature_hint_text
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["custcare_loop"], ["fr_FR"], overwrite=True
        )
        french = ticket.with_context(lang="fr_FR").custcare_temperature_hint_text
        self.assertNotIn("the customer's message", french)
        ticket.with_user(self.agent).action_custcare_apply_temperature_suggestion()
        self.assertEqual(ticket.custcare_temperature, "boiling")
        self.assertFalse(ticket.custcare_temperature_suggestion)
        self.assertTrue(self._activities(ticket, self.escalation))

    def test_other_languages_are_not_guessed(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.contact.lang = "de_DE"
        ticket = self._create_ticket()
        ticket.message_post(
            body="Das ist eine Katastrophe, ich bin wütend!",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(ticket.custcare_temperature_suggestion)

    def test_our_own_words_suggest_nothing(self):
        ticket = self._create_ticket()
        ticket.with_user(self.agent).message_post(
            body="We are furious at our supplier, terrible week.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(ticket.custcare_temperature_suggestion)

    def test_a_summary_suggests_too(self):
        conversation = self._create_conversation(
            summary="<p>She was angry and disappointed: the worst delivery ever.</p>"
        )
        self.assertIn(conversation.custcare_temperature_suggestion, ("hot", "boiling"))
        conversation.action_custcare_dismiss_temperature_suggestion()
        self.assertFalse(conversation.custcare_temperature_suggestion)

    def test_a_reopened_record_is_a_new_episode(self):
        ticket = self._create_ticket(team_id=self.team.id, custcare_temperature="hot")
        self._point(ticket)
        ticket.stage_id = self.stage_done
        self.assertEqual(ticket.custcare_temperature_at_close, "hot")
        ticket.stage_id = self.stage_new
        self.assertFalse(ticket.custcare_temperature_at_close)
        self.assertTrue(ticket.custcare_escalated)
        # the escalation still open is the same call for help, not a second
        # one (test_temperature_episodes)
        self.assertEqual(len(self._activities(ticket, self.escalation)), 1)
