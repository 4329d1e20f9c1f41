from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged
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
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Vince Vendor", "email": "vince@flour-mill.example.com"}
        )
        cls.leader = cls.env["res.users"].create(
            {
                "name": "Tara Team Leader",
                "login": "custcare_leader",
                "email": "tara@example.com",
                "group_ids": [
                    (6, 0, cls.env.ref("helpdesk_mgmt.group_helpdesk_user").ids)
                ],
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Bakery Support", "user_id": cls.leader.id}
        )

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _notices(self, record, subject):
        return record.message_ids.filtered(lambda m: subject in (m.subject or ""))

    def _mails(self, record):
        return self.env["mail.mail"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)]
        )

    def _mailed_addresses(self, record, subject):
        """Every address a mail about ``record`` with ``subject`` goes to."""
        mails = self._mails(record).filtered(lambda m: subject in (m.subject or ""))
        return set(mails.recipient_ids.mapped("email")) | {
            address for address in mails.mapped("email_to") if address
        }

    def _run_cron(self, xmlid):
        with self.enter_registry_test_mode():
            self.assertIs(self.env.ref(xmlid).method_direct_trigger(), True)
        self.env.invalidate_all()

    def _resolve(self, ticket):
        self.env["custcare.improvement.point"].create(
            {
                "name": "Warn us",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
                "company_id": ticket.company_id.id,
            }
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

    def test_done_mails_the_customer_and_nobody_else(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        # a vendor in CC and the team leader follow the ticket
        ticket.message_subscribe((self.vendor | self.leader.partner_id).ids)
        self._flush_tracking()
        self._resolve(ticket)
        notice = self._notices(ticket, "Resolved:")
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.partner_ids, self.contact)
        self.assertEqual(notice.notified_partner_ids, self.contact)
        self.assertEqual(
            self._mailed_addresses(ticket, "Resolved:"), {self.contact.email}
        )
        # one Odoo rating per notice; its token is the one in the links
        rating = ticket.custcare_rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.contact)
        self.assertEqual(rating.custcare_notice, "resolution")
        self.assertEqual(rating.custcare_answer, "waiting")
        self.assertIn(f"/custcare/feedback/{rating.access_token}/good", notice.body)
        self.assertIn(f"/custcare/feedback/{rating.access_token}/bad", notice.body)
        # helpdesk_mgmt's own closing mail is replaced, not added
        self.assertFalse(self._notices(ticket, "has been closed"))
        self.assertTrue(ticket.custcare_resolved_date)
        self.assertEqual(ticket.custcare_notice_count, 1)

    def test_the_notice_says_what_we_did(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        action = ticket.with_user(self.agent).action_custcare_close_with_point()
        wizard = (
            self.env(user=self.agent)[action["res_model"]]
            .with_context(**action["context"])
            .create(
                {
                    "name": "Say when an order will be late",
                    "resolution": "We now call the day before a late delivery.",
                }
            )
        )
        wizard.action_confirm()
        self._flush_tracking()
        notice = self._notices(ticket, "Resolved:")
        self.assertEqual(len(notice), 1)
        self.assertIn("What we did:", notice.body)
        self.assertIn("We now call the day before a late delivery.", notice.body)

    def test_the_composer_never_carries_live_links(self):
        """A rep sending the notice's template from the chatter's composer
        mails followers and CC too: its links must not be the customer's
        live ones."""
        ticket = self._create_ticket(user_id=self.agent.id)
        self._resolve(ticket)
        rating = ticket.custcare_rating_ids
        template = self.env.ref("custcare_loop.mail_template_resolution_notice")
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.agent)
            .with_context(
                default_model=ticket._name,
                default_res_ids=ticket.ids,
                default_composition_mode="comment",
            )
            .create({"template_id": template.id})
        )
        self.assertIn("/custcare/feedback/preview/good", composer.body)
        self.assertNotIn(rating.access_token, composer.body)
        # and the preview token answers nothing
        self.assertFalse(
            self.env["rating.rating"].search([("access_token", "=", "preview")])
        )

    def test_a_customer_known_only_by_address_is_mailed(self):
        ticket = self._create_ticket(
            partner_id=False, partner_email="Jane Doe <jane@example.com>"
        )
        self._resolve(ticket)
        self.assertEqual(
            self._mailed_addresses(ticket, "Resolved:"), {"jane@example.com"}
        )
        rating = ticket.custcare_rating_ids
        self.assertEqual(len(rating), 1)
        self.assertFalse(rating.partner_id)
        self.assertEqual(ticket.custcare_notice_count, 1)
        ticket._custcare_record_answer("good", "Works, thanks", rating=rating)
        answer = ticket.message_ids[0]
        self.assertIn("Works, thanks", answer.body)
        self.assertEqual(answer.email_from, "Jane Doe <jane@example.com>")
        self.assertNotEqual(answer.author_id, self.env.ref("base.partner_root"))

    def test_nobody_to_tell_gives_the_owner_a_call_never_a_silent_sent(self):
        self.contact.email = False
        ticket = self._create_ticket(user_id=self.agent.id)
        self._resolve(ticket)
        self.assertFalse(self._notices(ticket, "Resolved:"))
        self.assertFalse(
            self._mails(ticket).filtered(lambda m: "Resolved" in m.subject)
        )
        self.assertFalse(ticket.custcare_rating_ids)
        self.assertEqual(ticket.custcare_notice_count, 0)
        call = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.agent)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "Not sent" in str(m.body)),
            "the ticket says the notice could not be sent",
        )

    def test_a_cron_never_gives_odoobot_the_call(self):
        """The promise watch runs as OdooBot: the call goes to the team
        leader, else the company's fallback rep."""
        self.contact.email = False
        ticket = self._create_ticket(
            user_id=False,
            team_id=self.team.id,
            custcare_promised_date=datetime(2027, 5, 1, 12, 0),
        )
        other = self._create_ticket(
            user_id=False, custcare_promised_date=datetime(2027, 5, 1, 12, 0)
        )
        self.env.company.custcare_fallback_user_id = self.rep
        with freeze_time("2027-05-02 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        call = self.env.ref("mail.mail_activity_data_call")
        self.assertEqual(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == call).user_id,
            self.leader,
        )
        self.assertEqual(
            other.activity_ids.filtered(lambda a: a.activity_type_id == call).user_id,
            self.rep,
        )

    def test_the_rule_is_what_sends_it(self):
        rule = self.env.ref("custcare_loop.base_automation_resolution_notice")
        rule.active = False
        # automation rules patch the registry, which no rollback restores
        self.addCleanup(rule.write, {"active": True})
        ticket = self._create_ticket()
        self._resolve(ticket)
        self.assertFalse(self._notices(ticket, "Resolved:"))
        self.assertFalse(ticket.custcare_rating_ids)

    def test_cancelled_sends_no_notice(self):
        ticket = self._create_ticket()
        self.env["custcare.improvement.point"].create(
            {"name": "Warn us", "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        ticket.stage_id = self.stage_cancelled
        self._flush_tracking()
        self.assertFalse(self._notices(ticket, "Resolved:"))
        self.assertFalse(ticket.custcare_rating_ids)

    def test_a_real_notice_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref("custcare_loop.mail_template_resolution_notice")
        template.with_context(lang="fr_FR").subject = "Résolu : {{ object.name }}"
        self.contact.lang = "fr_FR"
        ticket = self._create_ticket()
        self._resolve(ticket)
        self.assertTrue(self._notices(ticket, "Résolu : Late delivery"))
        self.assertFalse(self._notices(ticket, "Resolved:"))

    def test_two_rounds_two_answers_each_kept(self):
        with freeze_time("2027-03-01 10:00:00"):
            ticket = self._create_ticket(user_id=self.agent.id)
            self._resolve(ticket)
        first = ticket.custcare_rating_ids
        with freeze_time("2027-03-02 10:00:00"):
            ticket._custcare_record_answer("partial", "Only mornings", rating=first)
        self.assertTrue(ticket.activity_ids.filtered(lambda a: a.user_id == self.agent))
        with freeze_time("2027-03-20 10:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        later = ticket.custcare_rating_ids - first
        self.assertEqual(later.custcare_notice, "later")
        self.assertEqual(len(self._notices(ticket, "still working")), 1)
        with freeze_time("2027-03-21 10:00:00"):
            ticket._custcare_record_answer("bad", "Burnt again", rating=later)
        # each notice keeps its own answer, comment and date
        self.assertEqual(
            (first.custcare_answer, first.feedback, first.rated_on),
            ("partial", "Only mornings", datetime(2027, 3, 2, 10, 0)),
        )
        self.assertEqual(
            (later.custcare_answer, later.feedback, later.rated_on),
            ("bad", "Burnt again", datetime(2027, 3, 21, 10, 0)),
        )
        self.assertFalse(ticket.closed)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertTrue(ticket.custcare_reopened)
        # Odoo's own rating statistics come with it
        self.assertEqual(ticket.rating_count, 2)

    def test_later_check_once_unless_reopened(self):
        with freeze_time("2027-03-01 10:00:00"):
            ticket = self._create_ticket()
            reopened = self._create_ticket(name="Other")
            self._resolve(ticket)
            self._resolve(reopened)
        reopened.stage_id = self.stage_new
        with freeze_time("2027-03-10 10:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        self.assertFalse(self._notices(ticket, "still working"))
        with freeze_time("2027-03-16 10:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        self.assertEqual(len(self._notices(ticket, "still working")), 1)
        self.assertEqual(len(ticket.custcare_rating_ids), 2)
        self.assertFalse(self._notices(reopened, "still working"))

    def test_later_check_delay_is_per_company(self):
        other_company = self.env["res.company"].create(
            {"name": "Bakery North", "custcare_later_check_days": 3}
        )
        self.agent.company_ids = [(4, other_company.id)]
        with freeze_time("2027-03-01 10:00:00"):
            here = self._create_ticket()
            there = self._create_ticket(name="North", company_id=other_company.id)
            self._resolve(here)
            self._resolve(there)
        with freeze_time("2027-03-05 10:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        self.assertTrue(self._notices(there, "still working"))
        self.assertFalse(self._notices(here, "still working"))

    @mute_logger(
        "odoo.addons.custcare_loop.utils.cron_isolation",
        "odoo.addons.mail.models.mail_render_mixin",
    )
    def test_one_failing_ticket_does_not_stop_the_later_check(self):
        """A template edited with an expression that fails for tickets
        without a customer record: that ticket is logged and retried, the
        others are asked."""
        template = self.env.ref("custcare_loop.mail_template_later_check")
        template.body_html = (
            '<p>Hello <t t-out="object.partner_id.name.upper()"/>, still working?</p>'
        )
        with freeze_time("2027-03-01 10:00:00"):
            broken = self._create_ticket(
                name="By mail", partner_id=False, partner_email="x@example.com"
            )
            fine = self._create_ticket(name="Known")
            self._resolve(broken)
            self._resolve(fine)
        with freeze_time("2027-03-20 10:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_later_check")
        self.assertTrue(fine.custcare_later_check_sent)
        self.assertEqual(len(fine.custcare_rating_ids), 2)
        self.assertFalse(broken.custcare_later_check_sent)
        self.assertEqual(len(broken.custcare_rating_ids), 1)


@tagged("post_install", "-at_install")
class TestPromiseWatch(CloseLoopCommon):
    def test_passed_promise_told_once_to_the_customer_only(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        ticket.message_subscribe(self.vendor.ids)
        with freeze_time("2027-04-30 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self.assertFalse(self._notices(ticket, "We are late"))
        with freeze_time("2027-05-02 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self.assertEqual(len(self._notices(ticket, "We are late")), 1)
        self.assertEqual(
            self._mailed_addresses(ticket, "We are late"), {self.contact.email}
        )
        self.assertEqual(ticket.custcare_promise_state, "slipped")
        # a new promise is watched again
        ticket.custcare_promised_date = datetime(2027, 5, 10, 12, 0)
        with freeze_time("2027-05-11 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self.assertEqual(len(self._notices(ticket, "We are late")), 2)

    def test_moved_later_told_at_once_with_reason(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        ticket.message_subscribe(self.vendor.ids)
        ticket.write({"custcare_promised_date": datetime(2027, 4, 28, 12, 0)})
        self.assertFalse(self._notices(ticket, "New date"))
        ticket.write(
            {
                "custcare_promised_date": datetime(2027, 5, 8, 12, 0),
                "custcare_promise_reason": "the new oven arrives late",
            }
        )
        moved = self._notices(ticket, "New date")
        self.assertEqual(len(moved), 1)
        self.assertIn("the new oven arrives late", moved.body)
        self.assertEqual(moved.notified_partner_ids, self.contact)
        self.assertEqual(
            self._mailed_addresses(ticket, "New date"), {self.contact.email}
        )
        self.assertEqual(ticket.custcare_promise_state, "slipped")

    def test_moving_the_promise_of_a_closed_ticket_tells_nobody(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        with freeze_time("2027-04-20 12:00:00"):
            self._resolve(ticket)
        ticket.write({"custcare_promised_date": datetime(2027, 6, 1, 12, 0)})
        self.assertFalse(self._notices(ticket, "New date"))
        self.assertEqual(ticket.custcare_promise_state, "kept")

    def test_promise_kept_when_closed_in_time(self):
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        with freeze_time("2027-04-20 12:00:00"):
            self._resolve(ticket)
        self.assertEqual(ticket.custcare_promise_state, "kept")

    def test_promise_slipped_when_closed_late(self):
        """Closed after the date, before the watch ran: slipped, not kept."""
        ticket = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        with freeze_time("2027-05-01 12:30:00"):
            self._resolve(ticket)
        self.assertEqual(ticket.custcare_promise_state, "slipped")
        self.assertEqual(ticket.custcare_promise_kept_rate, 0.0)

    def test_report_rates_count_only_the_tickets_they_apply_to(self):
        """Promises kept over tickets with a promise, reopens over tickets
        resolved, whatever else the report shows."""
        kept = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        slipped = self._create_ticket(
            custcare_promised_date=datetime(2027, 5, 1, 12, 0)
        )
        no_promise = self._create_ticket()
        with freeze_time("2027-04-20 12:00:00"):
            self._resolve(kept)
            self._resolve(no_promise)
        with freeze_time("2027-05-02 12:00:00"):
            self._resolve(slipped)
        no_promise.custcare_reopened = True
        self._create_ticket()  # open: neither promised nor resolved
        tickets = kept | slipped | no_promise
        domain = [("partner_id", "=", self.contact.id)]
        [(kept_rate, reopen_rate)] = self.env["helpdesk.ticket"]._read_group(
            domain,
            aggregates=["custcare_promise_kept_rate:avg", "custcare_reopen_rate:avg"],
        )
        self.assertEqual(len(tickets), 3)
        self.assertAlmostEqual(kept_rate, 50.0)
        self.assertAlmostEqual(reopen_rate, 100.0 / 3)

    @mute_logger(
        "odoo.addons.custcare_loop.utils.cron_isolation",
        "odoo.addons.mail.models.mail_render_mixin",
    )
    def test_one_failing_ticket_does_not_stop_the_watch(self):
        template = self.env.ref("custcare_loop.mail_template_promise_slipped")
        template.body_html = (
            '<p>Late for <t t-out="object.partner_id.name.upper()"/></p>'
        )
        broken = self._create_ticket(
            partner_id=False,
            partner_email="x@example.com",
            custcare_promised_date=datetime(2027, 5, 1, 12, 0),
        )
        fine = self._create_ticket(custcare_promised_date=datetime(2027, 5, 1, 12, 0))
        with freeze_time("2027-05-02 12:00:00"):
            self._run_cron("custcare_loop.ir_cron_custcare_promise_watch")
        self.assertTrue(fine.custcare_promise_notified)
        self.assertFalse(broken.custcare_promise_notified)


@tagged("post_install", "-at_install")
class TestImprovementNotice(CloseLoopCommon):
    def test_every_customer_told_once_each_alone(self):
        other = self.env["res.partner"].create(
            {"name": "Bistro Bob", "email": "bob@example.com", "lang": "en_US"}
        )
        point = self.env(user=self.rep)["custcare.improvement.point"].create(
            {
                "name": "Open on Sundays",
                "partner_id": self.contact.id,
                "partner_ids": [(6, 0, other.ids)],
                "action_taken": "<p>We open 8-12 on Sundays.</p>",
            }
        )
        point.message_subscribe(self.vendor.ids)
        point.with_context(custcare_done_confirmed=True).action_done()
        messages = self._notices(point, "You asked, we did it")
        self.assertEqual(len(messages), 2)
        self.assertEqual(
            {tuple(m.notified_partner_ids.ids) for m in messages},
            {(self.contact.id,), (other.id,)},
        )
        self.assertIn("8-12 on Sundays", messages[0].body)
        self.assertEqual(
            self._mailed_addresses(point, "You asked"),
            {self.contact.email, other.email},
        )
        point.action_reset()
        point.with_context(custcare_done_confirmed=True).action_done()
        self.assertEqual(len(self._notices(point, "You asked, we did it")), 2)
        # a customer merged in later is told, the others not again
        late = self.env["res.partner"].create(
            {"name": "Late Larry", "email": "larry@example.com"}
        )
        point.partner_ids = [(4, late.id)]
        again = self._notices(point, "You asked, we did it")
        self.assertEqual(len(again), 3)
        self.assertEqual(again[0].notified_partner_ids, late)

    def test_a_customer_without_email_becomes_a_call_for_the_owner(self):
        quiet = self.env["res.partner"].create({"name": "Quiet Quentin"})
        point = self.env(user=self.rep)["custcare.improvement.point"].create(
            {
                "name": "Rye on Mondays",
                "partner_id": quiet.id,
                "action_taken": "<p>Rye every Monday.</p>",
            }
        )
        point.with_context(custcare_done_confirmed=True).action_done()
        self.assertFalse(self._notices(point, "You asked"))
        call = point.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.rep)
        self.assertIn(quiet, point.notified_partner_ids)
        point.action_reset()
        point.with_context(custcare_done_confirmed=True).action_done()
        self.assertEqual(len(point.activity_ids), 1, "called once, not again")

    def test_created_done_tells_its_customer(self):
        point = self.env["custcare.improvement.point"].create(
            {
                "name": "Rye on Mondays",
                "partner_id": self.contact.id,
                "state": "done",
                "action_taken": "<p>Rye every Monday.</p>",
            }
        )
        self.assertTrue(self._notices(point, "You asked"))
