import re

from odoo.tests import HttpCase, tagged

from .common import RatingBridgeCommon

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestRateRoute(RatingBridgeCommon, HttpCase):
    """helpdesk_mgmt_rating's survey, answered where its links lead, by a
    customer who is not logged in."""

    def test_the_customer_rates_a_cancelled_ticket(self):
        ticket = self._ticket()
        self._move(ticket, self.stage_done)
        question = self._ratings(ticket)
        self._move(ticket, self.stage_new)
        self._move(ticket, self.stage_cancelled)
        request = self._ratings(ticket) - question
        survey = self._messages(ticket, "Satisfaction Survey")
        self.assertIn(f"/rate/{request.access_token}/5", survey.body)
        page = self.url_open(f"/rate/{request.access_token}/5")
        self.assertEqual(page.status_code, 200)
        response = self.url_open(
            f"/rate/{request.access_token}/submit_feedback",
            data={
                "rate": 5,
                "feedback": "Kind of you",
                "csrf_token": CSRF.search(page.text).group(1),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(request.consumed)
        self.assertEqual(request.rating, 5)
        self.assertEqual(request.feedback, "Kind of you")
        self.assertFalse(question.consumed)
        self.assertEqual(ticket.positive_rate_percentage, 100)
