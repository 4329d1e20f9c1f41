from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CustcareCommon


class CloseLoopCommon(CustcareCommon):
    @classmethod
    def default_env_context(cls):
        # the notices ride on mail tracking and message posting
        return {"no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.write({"email": "ann@acme-bakery.example.com"})
        cls.env.company.email = "care@example.com"

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _messages(self, ticket, subject):
        return ticket.message_ids.filtered(lambda m: subject in (m.subject or ""))

    def _run_cron(self, xmlid):
        with self.enter_registry_test_mode():
            self.assertIs(self.env.ref(xmlid).method_direct_trigger(), True)
        self.env.invalidate_all()

    def _resolve(self, ticket):
        self.env["custcare.improvement.point"].create(
            {"name": "Warn us", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        ticket.stage_id = self.stage_done
        self._flush_tracking()


@tagged("post_install", "-at_install")
class TestResolutionNotice(CloseLoopCommon):
    def test_rule_and_action_are_shipped_and_editable(self):
        rule = self.env.ref("custcare_loop.base_automation_resolution_notice")
        action = self.env.ref("custcare_loop.ir_actions_server_resolution_notice")
        self.assertEqual(rule.action_server_ids, action)
        self.assertEqual(action.usage, "base_automation")
        self.assertIn("_custcare_send_resolution_notice", action.code)
        self.assertEqual(
            rule.trigger_field_ids,
            self.env.ref("helpdesk_mgmt.field_helpdesk_ticket__stage_id"),
        )

    def test_done_sends_one_notice_to_the_customer(self):
        ticket = self._create_ticket()
        self._flush_tracking()
        self._resolve(ticket)
        notice = self._messages(ticket, "Resolved:")
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.partner_ids, self.contact)
        self.assertIn(
            f"/custcare/feedback/{ticket.custcare_feedback_token}/good", notice.body
        )
        self.assertIn("/bad", notice.body)
        # helpdesk_mgmt's own closing mail is replaced, not added
        self.assertFalse(self._messages(ticket, "has been closed"))
        self.assertTrue(ticket.custcare_resolved_date)
        self.assertEqual(ticket.custcare_notice_count, 1)

    def test_the_rule_is_what_sends_it(self):
        self.env.ref("custcare_loop.base_automation_resolution_notice").active = False
        ticket = self._create_ticket()
        self._resolve(ticket)
        self.assertFalse(self._messages(ticket, "Resolved:"))
        self.assertFalse(ticket.custcare_feedback_token)

    def test_customers_cannot_answer_through_the_orm(self):
        ticket = self._create_ticket()
        self._resolve(ticket)
        with self.assertRaises(AccessError):
            ticket.with_user(self.portal_user).write(
                {"custcare_feedback_answer": "good"}
            )
        with self.assertRaises(AccessError):
            ticket.with_user(self.employee).write({"custcare_promised_date": False})

    def test_cancelled_sends_no_notice(self):
        ticket = self._create_ticket()
        self.env["custcare.improvement.point"].create(
            {"name": "Warn us", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        ticket.stage_id = self.stage_cancelled
        self._flush_tracking()
        self.assertFalse(self._messages(ticket, "Resolved:"))
        self.assertFalse(ticket.custcare_feedback_token)

    def test_in_the_customers_language(self):
        template = self.env.ref("custcare_loop.mail_template_resolution_notice")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.contact.lang = "fr_FR"
        ticket = self._create_ticket()
        self.assertEqual(template._render_lang(ticket.ids)[ticket.id], "fr_FR")

    def test_customer_without_email_gets_a_call(self):
        self.contact.email = False
        ticket = self._create_ticket(user_id=self.agent.id)
        self._resolve(ticket)
        self.assertFalse(self._messages(ticket, "Resolved:"))
        call = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.agent)

    def test_feedback_answers(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        self._resolve(ticket)
        ticket._custcare_record_feedback("partial")
        self.assertEqual(ticket.custcare_feedback_answer, "partial")
        self.assertTrue(ticket.activity_ids.filtered(lambda a: a.user_id == self.agent))
        ticket._custcare_send_notice(
            "custcare_loop.mail_template_later_check", new_token="later"
        )
        self.assertFalse(ticket._custcare_current_answer())
        ticket._custcare_record_feedback("bad")
        # the first answer stays; the later check has its own
        self.assertEqual(ticket.custcare_feedback_answer, "partial")
        self.assertEqual(ticket.custcare_later_answer, "bad")
        self.assertFalse(ticket.closed)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertTrue(ticket.custcare_reopened)

    def test_later_check_once_unless_reopened(self):
        with freeze_time("2027-03-01 10:00:00"):
            ticket = self._create_ticket()
            reopened = self._create_ticket(name="Other")
            self._resolve(ticket)
            self._resolve(reopened)
        reopened.stage_id = self.stage_new
        first_token = ticket.custcare_feedback_token
        with freeze_time("2027-03-10 10:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        self.assertFalse(self._messages(ticket, "still working"))
        with freeze_time("2027-03-16 10:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        self.assertEqual(len(self._messages(ticket, "still working")), 1)
        self.assertNotEqual(ticket.custcare_feedback_token, first_token)
        self.assertFalse(self._messages(reopened, "still working"))


@tagged("post_install", "-at_install")
class TestPromiseWatch(CloseLoopCommon):
    def test_passed_promise_told_once(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        with freeze_time("2027-04-30 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self.assertFalse(self._messages(ticket, "We are late"))
        with freeze_time("2027-05-02 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self.assertEqual(len(self._messages(ticket, "We are late")), 1)
        self.assertEqual(ticket.custcare_promise_state, "slipped")
        # a new promise is watched again
        ticket.custcare_promised_date = datetime(2027, 5, 10, 12, 0)
        with freeze_time("2027-05-11 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self.assertEqual(len(self._messages(ticket, "We are late")), 2)

    def test_moved_later_told_at_once_with_reason(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        self.assertFalse(self._messages(ticket, "New date"))
        ticket.write({"custcare_promised_date": datetime(2027, 4, 28, 12, 0)})
        self.assertFalse(self._messages(ticket, "New date"))
        ticket.write(
            {
                "custcare_promised_date": datetime(2027, 5, 8, 12, 0),
                "custcare_promise_reason": "the new oven arrives late",
            }
        )
        moved = self._messages(ticket, "New date")
        self.assertEqual(len(moved), 1)
        self.assertIn("the new oven arrives late", moved.body)
        self.assertEqual(moved.partner_ids, self.contact)
        self.assertEqual(ticket.custcare_promise_state, "slipped")

    @freeze_time("2027-04-20 12:00:00")
    def test_promise_kept(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        self._resolve(ticket)
        self.assertEqual(ticket.custcare_promise_state, "kept")


@tagged("post_install", "-at_install")
class TestImprovementNotice(CloseLoopCommon):
    def test_every_customer_told_once(self):
        other = self.env["res.partner"].create(
            {"name": "Bistro Bob", "email": "bob@example.com", "lang": "en_US"}
        )
        no_email = self.env["res.partner"].create({"name": "Quiet Quentin"})
        point = self.env(user=self.rep)["custcare.improvement.point"].create(
            {
                "name": "Open on Sundays",
                "partner_id": self.contact.id,
                "partner_ids": [(6, 0, (other | no_email).ids)],
                "action_taken": "<p>We open 8-12 on Sundays.</p>",
            }
        )
        point.action_done()
        messages = point.message_ids.filtered(
            lambda m: "You asked, we did it" in (m.subject or "")
        )
        self.assertEqual(messages.partner_ids, self.contact | other)
        self.assertEqual(len(messages), 2)
        self.assertIn("8-12 on Sundays", messages[0].body)
        point.action_reset()
        point.action_done()
        again = point.message_ids.filtered(
            lambda m: "You asked, we did it" in (m.subject or "")
        )
        self.assertEqual(len(again), 2)
        # a customer merged in later is told, the others not again
        late = self.env["res.partner"].create(
            {"name": "Late Larry", "email": "larry@example.com"}
        )
        point.partner_ids = [(4, late.id)]
        again = point.message_ids.filtered(
            lambda m: "You asked, we did it" in (m.subject or "")
        )
        self.assertEqual(len(again), 3)
        self.assertEqual(again[0].partner_ids, late)

    def test_created_done_tells_its_customer(self):
        point = self.env["custcare.improvement.point"].create(
            {"name": "Rye on Mondays", "partner_id": self.contact.id, "state": "done"}
        )
        self.assertTrue(
            point.message_ids.filtered(lambda m: "You asked" in (m.subject or ""))
        )


@tagged("post_install", "-at_install")
class TestFeedbackRoute(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Route Customer", "email": "route@example.com"}
        )
        cls.owner = new_test_user(
            cls.env, login="route_owner", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Crushed croissants",
                "description": "<p>x</p>",
                "partner_id": cls.customer.id,
                "user_id": cls.owner.id,
            }
        )
        cls.env["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": cls.customer.id, "ticket_id": cls.ticket.id}
        )
        cls.ticket.stage_id = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.token = cls.ticket.custcare_feedback_token

    def test_token_is_unguessable(self):
        self.assertGreaterEqual(len(self.token), 40)

    def test_good_needs_no_login_and_counts_once(self):
        response = self.url_open(f"/custcare/feedback/{self.token}/good")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertEqual(self.ticket.custcare_feedback_answer, "good")
        response = self.url_open(f"/custcare/feedback/{self.token}/bad")
        self.assertIn("Already answered", response.text)
        self.assertEqual(self.ticket.custcare_feedback_answer, "good")
        self.assertTrue(self.ticket.closed)

    def test_bad_reopens_and_tells_the_owner(self):
        self.url_open(f"/custcare/feedback/{self.token}/bad")
        self.assertFalse(self.ticket.closed)
        self.assertEqual(
            self.ticket.stage_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"),
        )
        self.assertTrue(
            self.ticket.activity_ids.filtered(lambda a: a.user_id == self.owner)
        )
        self.assertTrue(
            self.ticket.message_ids.filtered(lambda m: "Still a problem" in str(m.body))
        )

    def test_forged_and_unknown_tokens_change_nothing(self):
        for url in (
            "/custcare/feedback/forged-token-0123456789abcdef/good",
            "/custcare/feedback/x/good",
            f"/custcare/feedback/{self.token}/excellent",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn("could not find", response.text)
        self.assertFalse(self.ticket.custcare_feedback_answer)

    @mute_logger("odoo.http")
    def test_feedback_page_tour(self):
        self.start_tour(
            f"/custcare/feedback/{self.token}/partial", "custcare_loop_feedback_tour"
        )
        self.assertEqual(self.ticket.custcare_feedback_answer, "partial")
        self.assertEqual(
            self.ticket.custcare_feedback_comment, "Only the morning round"
        )
