import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers.main import CustcareFaqController, CustcareFeedbackController

# every frontend page carries the session's CSRF token
CSRF = re.compile(r'csrf_token: "([^"]+)"')


@tagged("post_install", "-at_install")
class TestFeedbackRoute(HttpCase):
    """What a customer, or a mail scanner, does with the links of a notice."""

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
        cls.rating = cls.ticket.custcare_rating_ids
        cls.token = cls.rating.access_token

    def _link(self, answer):
        return f"/custcare/feedback/{self.token}/{answer}"

    def _submit(self, answer, comment="", token=None, csrf=True, improvement=None):
        page = self.url_open(self._link(answer or "good"))
        data = {"answer": answer or "", "comment": comment}
        if improvement is not None:
            data["improvement"] = improvement
        if csrf:
            data["csrf_token"] = CSRF.search(page.text).group(1)
        return self.url_open(
            f"/custcare/feedback/{token or self.token}/submit", data=data
        )

    def _answer_notes(self):
        return self.ticket.message_ids.filtered(
            lambda m: "The customer answered" in str(m.body)
        )

    def test_opening_a_link_changes_nothing(self):
        """Mail scanners open links with GET and HEAD."""
        for method in ("GET", "HEAD"):
            for answer in ("good", "partial", "bad"):
                response = self.url_open(self._link(answer), method=method)
                self.assertEqual(response.status_code, 200)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)
        self.assertEqual(self.rating.custcare_answer, "waiting")
        self.assertTrue(self.ticket.closed)
        self.assertFalse(self._answer_notes())
        page = self.url_open(self._link("bad"))
        self.assertRegex(page.text, r'id="custcare_answer_bad"[^>]*checked')
        self.assertIn("Crushed croissants", page.text)

    def test_the_customer_confirms_with_a_post_no_login(self):
        response = self._submit("good", "Perfect now")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertIn("Crushed croissants", response.text)
        self.rating.invalidate_recordset()
        self.assertEqual(
            (self.rating.rating, self.rating.feedback, self.rating.consumed),
            (5.0, "Perfect now", True),
        )
        note = self._answer_notes()
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.customer, "not the Public user")
        self.assertTrue(self.ticket.closed)

    def test_a_token_answers_once(self):
        self._submit("good")
        response = self._submit("bad", "Changed my mind")
        self.assertIn("Already answered", response.text)
        self.rating.invalidate_recordset()
        self.assertEqual(self.rating.rating, 5.0)
        self.assertFalse(self.rating.feedback)
        self.assertEqual(len(self._answer_notes()), 1)
        self.assertTrue(self.ticket.closed)

    @mute_logger("odoo.http")
    def test_a_post_without_csrf_token_changes_nothing(self):
        response = self._submit("bad", csrf=False)
        self.assertEqual(response.status_code, 400)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)
        self.assertTrue(self.ticket.closed)

    def test_still_a_problem_reopens_and_tells_the_owner(self):
        response = self._submit("bad", "Still crushed")
        self.assertIn("We have reopened your request", response.text)
        self.assertNotIn("Thank you!", response.text)
        self.ticket.invalidate_recordset()
        self.assertFalse(self.ticket.closed)
        self.assertEqual(
            self.ticket.stage_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"),
        )
        activity = self.ticket.activity_ids.filtered(lambda a: a.user_id == self.owner)
        self.assertIn("Still a problem", activity.summary)
        # planned by OdooBot, not "by the Public user" (whose mail could not go)
        self.assertNotEqual(activity.create_uid, self.env.ref("base.public_user"))

    def test_a_colleague_cannot_answer_for_the_customer(self):
        """An agent opening the notice from the chatter, or a follower's
        copy, sees whose link it is; nothing changes."""
        colleague = new_test_user(
            self.env,
            login="route_colleague",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        self.authenticate("route_colleague", "route_colleague")
        page = self.url_open(self._link("bad"))
        self.assertEqual(page.status_code, 403)
        self.assertIn("This link is the customer", page.text)
        self.assertNotIn('name="answer"', page.text)
        response = self._submit("bad")
        self.assertEqual(response.status_code, 403)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)
        self.assertTrue(self.ticket.closed)
        self.assertTrue(colleague)

    def test_odoos_own_rating_pages_lead_to_ours(self):
        """/rate/<token>/… would record the answer without reopening the
        ticket: it leads to the Customer Care page instead."""
        response = self.url_open(f"/rate/{self.token}/1", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            f"/custcare/feedback/{self.token}/bad", response.headers["Location"]
        )
        csrf = CSRF.search(self.url_open(self._link("bad")).text).group(1)
        page = self.url_open(
            f"/rate/{self.token}/submit_feedback", data={"rate": 1, "csrf_token": csrf}
        )
        self.assertIn("/custcare/feedback/", page.url)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)

    def test_no_answer_chosen_asks_again(self):
        response = self._submit(None)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please choose", response.text)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)

    def test_unknown_tokens_get_a_404_that_says_how_to_reach_us(self):
        self.env.company.email = "care@example.com"
        for url in (
            "/custcare/feedback/forged-token-0123456789abcdef/good",
            "/custcare/feedback/x/good",
            "/custcare/feedback/" + "a" * 5000 + "/good",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404)
            self.assertIn("could not find", response.text)
            self.assertIn("care@example.com", response.text)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)

    def test_pages_that_only_read_are_served_read_only(self):
        """The answer page and the FAQ only read: Odoo serves them on a
        read-only cursor (the replica when one is configured). A write there
        would be retried on the primary with a logged warning."""
        self.assertTrue(
            CustcareFeedbackController.custcare_feedback.original_routing["readonly"]
        )
        self.assertTrue(CustcareFaqController.custcare_faq.original_routing["readonly"])
        self.assertFalse(
            CustcareFeedbackController.custcare_feedback_submit.original_routing.get(
                "readonly"
            )
        )
        for url in (
            self._link("good"),
            self._link("excellent"),
            "/custcare/feedback/unknown-token/good",
            "/custcare/faq",
            "/custcare/faq?search=bread",
        ):
            with self.assertNoLogs("odoo.http", level="WARNING"):
                self.url_open(url)

    def test_an_unknown_answer_word_is_not_found(self):
        """A mistyped link (/excellent) is the 404 page with how to reach us,
        not "already answered", even once the question is answered."""
        self.env.company.email = "care@example.com"
        for _ in range(2):
            response = self.url_open(self._link("excellent"))
            self.assertEqual(response.status_code, 404)
            self.assertIn("could not find", response.text)
            self.assertIn("care@example.com", response.text)
            self._submit("good")

    def test_what_we_could_do_better_becomes_the_customers_point(self):
        """The customer's own suggestion, in their words, on the ticket, and
        it settles a point the ticket owed after a close by the system."""
        ask_point = self.env.ref("custcare_loop.mail_activity_type_ask_point")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Soggy croissants",
                "description": "<p>x</p>",
                "partner_id": self.customer.id,
                "user_id": self.owner.id,
            }
        )
        # closed by the system (this test runs as superuser): a point is owed
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertTrue(ticket.custcare_point_owed)
        self.ticket, self.token = ticket, ticket.custcare_rating_ids.access_token
        page = self.url_open(self._link("good"))
        self.assertIn('name="improvement"', page.text)
        words = "Pack the croissants   upright, in a box per dozen. " * 200
        response = self._submit("good", "Fine", improvement=words)
        self.assertEqual(response.status_code, 200)
        self.assertIn("what we could do better", response.text)
        point = self.ticket.improvement_point_ids
        self.assertEqual(len(point), 1)
        self.assertEqual(point.partner_id, self.customer)
        self.assertEqual(point.raised_by, "customer")
        self.assertEqual(point.user_id, self.owner)
        self.assertEqual(point.customer_words, words.strip()[:5000])
        self.assertTrue(point.name.startswith("Pack the croissants upright"))
        self.assertLessEqual(len(point.name), 200)
        self.ticket.invalidate_recordset()
        self.assertFalse(self.ticket.custcare_point_owed)
        self.assertFalse(
            self.ticket.activity_ids.filtered(lambda a: a.activity_type_id == ask_point)
        )
        # answered once: a second submission adds no point
        self._submit("bad", improvement="Something else")
        self.assertEqual(len(self.ticket.improvement_point_ids), 1)

    def test_an_empty_improvement_records_no_point(self):
        before = self.ticket.improvement_point_ids
        response = self._submit("partial", improvement="   \n ")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.ticket.improvement_point_ids, before)

    def test_a_question_of_a_reopened_ticket_has_expired(self):
        self.ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        page = self.url_open(self._link("good"))
        self.assertIn("no longer open", page.text)
        self.assertNotIn('name="answer"', page.text)
        # nor can it be answered by posting anyway
        self.ticket.stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        response = self._submit("bad")
        self.assertIn("no longer open", response.text)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)

    def test_an_older_question_expires_when_a_newer_one_is_asked(self):
        self.ticket._custcare_ask_feedback(
            "later", self.env.ref("custcare_loop.mail_template_later_check")
        )
        page = self.url_open(self._link("good"))
        self.assertIn("no longer open", page.text)

    def test_the_page_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        page = self.url_open(self._link("good"))
        self.assertRegex(page.text, r'js_change_lang active"[^>]*data-url_code="fr"')

    @mute_logger("odoo.http")
    def test_feedback_page_tour(self):
        self.start_tour(self._link("partial"), "custcare_loop_feedback_tour")
        self.rating.invalidate_recordset()
        self.assertEqual(self.rating.custcare_answer, "bad")
        self.assertEqual(self.rating.feedback, "Only the morning round")
        self.ticket.invalidate_recordset()
        self.assertFalse(self.ticket.closed)
        self.assertIn(
            "Deliver before 6 in the morning",
            self.ticket.improvement_point_ids.mapped("customer_words"),
        )
