from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import MergeBridgeCommon

ANSWERED_ON = datetime(2026, 1, 5, 9, 30)
RATING_DATES = ("create_date", "write_date", "rated_on")


@tagged("post_install", "-at_install")
class TestMerge(MergeBridgeCommon):
    def _answered_last_week(self, ratings):
        """Answers given a while ago (within a test, every write is dated the
        transaction's start)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE rating_rating SET create_date = %s, write_date = %s, "
                "rated_on = %s WHERE id IN %s",
                ANSWERED_ON,
                ANSWERED_ON,
                ANSWERED_ON,
                tuple(ratings.ids),
            )
        )
        ratings.invalidate_recordset()

    def _answer(self, rating):
        return (
            rating.rating,
            rating.feedback,
            rating.consumed,
            rating.custcare_notice,
            rating.custcare_answer,
            rating.partner_id,
            *(rating[name] for name in RATING_DATES),
        )

    def test_the_bridge_installs_itself(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "custcare_loop_helpdesk_mgmt_merge")]
        )
        self.assertTrue(module.auto_install)
        self.assertEqual(module.state, "installed")

    def test_merging_keeps_both_tickets_points_mentions_and_answers(self):
        first = self._ticket("<p>Loafly delivers before six.</p>", "Deliver earlier")
        news = self._customer_writes(first, "<p>Loafly called me again.</p>")
        second = self._ticket("<p>Stale rolls; Loafly's never are.</p>", "Fresher")
        self._resolve_and_answer(first, "Works now")
        self._resolve_and_answer(second, "Fresh again")
        ratings = self._ratings(first | second)
        self.assertEqual(len(ratings), 2)
        self._answered_last_week(ratings)
        answers = {rating: self._answer(rating) for rating in ratings}
        first.sudo().custcare_awaiting_reply_since = datetime(2026, 1, 5, 8, 0)
        second.sudo().custcare_awaiting_reply_since = datetime(2026, 1, 6, 10, 0)
        first.custcare_temperature = "hot"
        second.custcare_temperature = "warm"
        points = self._points(first | second)
        mentions = self._mentions(first | second)
        self.assertEqual(len(points), 2)
        self.assertEqual(len(mentions), 3, "first: description, message; second")
        self.assertEqual(self._customer_mention_count(), 3)

        destination = self._merge(first | second, destination=second)

        self.assertEqual(destination, second)
        self.assertFalse(first.active)
        # improvement points
        self.assertEqual(self._points(second), points)
        self.assertFalse(self._points(first))
        # competitor mentions: the same ones, each with its customer
        self.assertEqual(self._mentions(second), mentions)
        self.assertFalse(self._mentions(first))
        self.assertEqual(
            sorted(mentions.mapped("source_key")),
            ["description", f"description:{first.id}", f"message:{news.id}"],
        )
        self.assertEqual(mentions.partner_id, self.contact)
        self.assertEqual(mentions.competitor_id, self.rival)
        self.assertEqual(self._customer_mention_count(), 3)
        # the customer's answers, as they were given
        self.assertEqual(self._ratings(second), ratings)
        self.assertEqual(second.custcare_rating_ids, ratings)
        self.assertEqual({rating: self._answer(rating) for rating in ratings}, answers)
        self.assertEqual(ratings.mapped("res_name"), [second.display_name] * 2)
        self.assertEqual(ratings.message_id.mapped("res_id"), [second.id] * 2)
        self.assertEqual(second.rating_count, 2)
        # waiting since the oldest unanswered message, as hot as the hottest
        self.assertEqual(
            second.custcare_awaiting_reply_since, datetime(2026, 1, 5, 8, 0)
        )
        self.assertFalse(first.custcare_awaiting_reply_since)
        self.assertEqual(second.custcare_temperature, "hot")

    def test_a_closed_merged_ticket_and_the_point_rule(self):
        """Closed tickets merge; the ticket they went into, closed too, keeps
        the rule: it cannot lose its last point."""
        first = self._ticket("<p>Late again.</p>", "Deliver earlier")
        second = self._ticket("<p>Late once more.</p>", "Call before")
        self._resolve_and_answer(first, "Works now")
        self._resolve_and_answer(second, "Fine")
        self._merge(first | second, destination=second)
        self.assertEqual(first.stage_id, self.stage_done)
        self.assertFalse(first.active)
        self.assertEqual(second.stage_id, self.stage_done)
        self.assertEqual(len(second.improvement_point_ids), 2)
        with self.assertRaises(UserError):
            second.improvement_point_ids.with_user(self.manager).unlink()
        self.assertEqual(len(self._points(second)), 2)

    def test_outside_a_merge_a_closed_ticket_keeps_its_point(self):
        closed = self._ticket("<p>Late again.</p>", "Deliver earlier")
        self._resolve_and_answer(closed, "Works now")
        other = self._ticket("<p>Burnt.</p>", "Watch the oven")
        with self.assertRaises(UserError):
            closed.improvement_point_ids.with_user(self.manager).with_context(
                custcare_merged_ticket_ids=closed.ids
            ).write({"ticket_id": other.id})

    def test_merged_into_a_new_ticket_nothing_is_found_twice(self):
        """The new ticket's description holds both tickets' texts: the mention
        found in one of them is kept, not recorded anew, and the salesperson
        is not told the news again."""
        first = self._ticket("<p>Loafly delivers before six.</p>", "Deliver earlier")
        second = self._ticket("<p>The crust was burnt.</p>", "Watch the oven")
        news = self._customer_writes(second, "<p>Loafly offered me 10% off.</p>")
        waiting_since = second.custcare_awaiting_reply_since
        self.assertEqual(waiting_since, news.date)
        first_description = self._mentions(first)
        points = self._points(first | second)
        mentions = self._mentions(first | second)
        self.assertEqual(len(mentions), 2)
        alerts = self._alerts()
        self.assertEqual(len(alerts), 2)

        destination = self._merge(first | second, name="Bakery complaints")

        self.assertNotIn(destination, first | second)
        self.assertFalse((first | second).filtered("active"))
        self.assertEqual(len(points), 2)
        self.assertEqual(self._points(destination), points)
        self.assertEqual(self._mentions(destination), mentions)
        self.assertEqual(
            self._mentions(destination).filtered(
                lambda m: m.source_key == "description"
            ),
            first_description,
        )
        self.assertEqual(self._alerts(), alerts)
        self.assertEqual(self._customer_mention_count(), 2)
        self.assertEqual(destination.custcare_awaiting_reply_since, waiting_since)
        # later edits of the merged description find nothing new either
        destination.with_user(self.agent).description += "<p>Loafly, again.</p>"
        self.assertEqual(self._mentions(destination), mentions)

    def test_a_hot_ticket_merged_escalates_once(self):
        """The merged ticket's escalation comes along with its activities."""
        first = self._ticket("<p>Late again.</p>", "Deliver earlier")
        second = self._ticket("<p>Late once more.</p>", "Call before")
        first.with_user(self.agent).custcare_temperature = "boiling"
        second.with_user(self.agent).custcare_temperature = "calm"
        self.assertEqual(len(self._escalations(first)), 1)
        self._merge(first | second, destination=second)
        self.assertEqual(second.custcare_temperature, "boiling")
        self.assertEqual(second.custcare_temperature_peak, "boiling")
        self.assertTrue(second.custcare_escalated)
        self.assertEqual(len(self._escalations(second)), 1)

    def test_lower_rights_may_not_merge(self):
        """A team agent may not open the wizard; a helpdesk user without
        Settings may, but Odoo 19 refuses helpdesk_mgmt_merge's move of the
        messages: nothing is merged."""
        team_agent = new_test_user(
            self.env,
            login="merge_team_agent",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
        )
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket.merge"].with_user(team_agent).create({})
        first = self._ticket("<p>Loafly delivers before six.</p>", "Deliver earlier")
        second = self._ticket("<p>Late once more.</p>", "Call before")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._merge(first | second, destination=second, user=self.agent)
        self.assertTrue(first.active)
        self.assertEqual(len(self._points(first)), 1)
        self.assertEqual(len(self._mentions(first)), 1)
