from odoo.tests import tagged

from .common import NOTICE, SURVEY, RatingBridgeCommon


@tagged("post_install", "-at_install")
class TestResolutionWithRating(RatingBridgeCommon):
    def test_the_bridge_installs_itself(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "custcare_loop_helpdesk_mgmt_rating")]
        )
        self.assertTrue(module.auto_install)
        self.assertEqual(module.state, "installed")

    def test_resolution_sends_one_email_and_one_rating(self):
        ticket = self._ticket()
        self._move(ticket, self.stage_done)
        message = self._messages_to_customer(ticket)
        self.assertEqual(len(message), 1, "one email to the customer")
        self.assertIn(NOTICE, message.subject)
        self.assertFalse(self._messages(ticket, SURVEY))
        self.assertEqual(len(self._mails_to_customer(ticket)), 1)
        rating = self._ratings(ticket)
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.custcare_notice, "resolution")
        self.assertEqual(rating.partner_id, self.contact)
        self.assertIn(f"/custcare/feedback/{rating.access_token}/good", message.body)

    def test_no_rate_does_not_silence_the_notice(self):
        """'No rating' stops helpdesk_mgmt_rating's surveys; the resolution
        notice goes all the same."""
        ticket = self._ticket()
        ticket.rating_status = "no_rate"
        self._move(ticket, self.stage_done)
        message = self._messages_to_customer(ticket)
        self.assertEqual(len(message), 1)
        self.assertIn(NOTICE, message.subject)
        self.assertEqual(self._ratings(ticket).custcare_notice, "resolution")

    def test_rule_disabled_sends_helpdesk_mgmt_ratings_request(self):
        self._disable_rule()
        ticket = self._ticket()
        self._move(ticket, self.stage_done)
        self.assertFalse(self._messages(ticket, NOTICE))
        survey = self._messages(ticket, SURVEY)
        self.assertEqual(len(survey), 1)
        self.assertEqual(survey.partner_ids, self.contact)
        self.assertEqual(len(self._mails_to_customer(ticket)), 1)
        rating = self._ratings(ticket)
        self.assertEqual(len(rating), 1)
        self.assertFalse(rating.custcare_notice)
        self.assertIn(f"/rate/{rating.access_token}/5", survey.body)

    def test_a_stage_that_is_not_resolved_keeps_its_request(self):
        ticket = self._ticket()
        self._move(ticket, self.stage_cancelled)
        self.assertFalse(self._messages(ticket, NOTICE))
        survey = self._messages(ticket, SURVEY)
        self.assertEqual(len(survey), 1)
        self.assertEqual(survey.partner_ids, self.contact)
        rating = self._ratings(ticket)
        self.assertEqual(len(rating), 1)
        self.assertFalse(rating.custcare_notice)
        # what the /rate route does with the customer's click
        ticket.sudo().rating_apply(5, token=rating.access_token, feedback="Fine")
        self.assertTrue(rating.consumed)
        self.assertEqual(ticket.positive_rate_percentage, 100)

    def test_a_later_request_never_answers_the_notice(self):
        """Reopened after the notice, then cancelled: the survey gets its own
        rating, so the customer's click does not land on the notice."""
        ticket = self._ticket()
        self._move(ticket, self.stage_done)
        question = self._ratings(ticket)
        self._move(ticket, self.stage_new)
        self._move(ticket, self.stage_cancelled)
        survey = self._messages(ticket, SURVEY)
        self.assertEqual(len(survey), 1)
        request = self._ratings(ticket) - question
        self.assertEqual(len(request), 1)
        self.assertFalse(request.custcare_notice)
        self.assertIn(f"/rate/{request.access_token}/5", survey.body)
        self.assertNotIn(question.access_token, survey.body)
        ticket.sudo().rating_apply(1, token=request.access_token)
        self.assertTrue(request.consumed)
        self.assertFalse(question.consumed)
        self.assertEqual(question.custcare_answer, "waiting")

    def test_answers_to_the_notice_count_in_the_satisfaction(self):
        ticket = self._ticket()
        self.assertEqual(ticket.positive_rate_percentage, -1)
        self._move(ticket, self.stage_done)
        ticket._custcare_record_answer("good", "Works")
        self.assertEqual(ticket.positive_rate_percentage, 100)
        self.assertEqual(ticket.rating_count, 1)

    def test_from_one_resolved_stage_to_another_nothing_more(self):
        """The customer was told when the ticket was first resolved."""
        on_site = self.env["helpdesk.ticket.stage"].create(
            {
                "name": "Solved on site",
                "sequence": 5,
                "closed": True,
                "custcare_resolved": True,
                "rating_mail_template_id": self.survey.id,
            }
        )
        ticket = self._ticket()
        self._move(ticket, self.stage_done)
        self._move(ticket, on_site)
        self.assertEqual(len(self._messages_to_customer(ticket)), 1)
        self.assertFalse(self._messages(ticket, SURVEY))
        self.assertEqual(len(self._ratings(ticket)), 1)
