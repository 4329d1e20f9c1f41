from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestAccess(CustcareCommon):
    def test_groups_contract(self):
        user_group = self.env.ref("custcare_loop.group_custcare_user")
        manager_group = self.env.ref("custcare_loop.group_custcare_manager")
        self.assertIn(user_group, manager_group.all_implied_ids)
        self.assertEqual(user_group.privilege_id.name, "Customer Care")
        self.assertTrue(self.manager.has_group("custcare_loop.group_custcare_user"))
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "custcare_loop.group_custcare_manager"
            )
        )

    def test_employee_without_group_is_refused(self):
        conversation = self._create_conversation()
        for model, vals in (
            ("custcare.conversation", {"partner_id": self.contact.id}),
            (
                "custcare.improvement.point",
                {"name": "X", "partner_id": self.contact.id},
            ),
        ):
            with self.assertRaises(AccessError):
                self.env(user=self.employee)[model].create(vals)
            with self.assertRaises(AccessError):
                self.env(user=self.employee)[model].search([])
        with self.assertRaises(AccessError):
            conversation.with_user(self.employee).read(["summary"])

    def test_portal_and_public_see_nothing(self):
        conversation = self._create_conversation(
            improvement_point_ids=[
                (0, 0, {"name": "Bigger loaves", "partner_id": self.contact.id})
            ]
        )
        public = self.env.ref("base.public_user")
        for user in (self.portal_user, public):
            for record in (conversation, conversation.improvement_point_ids):
                with self.assertRaises(AccessError):
                    record.with_user(user).read(["partner_id"])
            with self.assertRaises(AccessError):
                self.env(user=user)["custcare.improvement.aspect"].search([])

    def test_rep_cannot_delete_manager_can(self):
        conversation = self._create_conversation()
        with self.assertRaises(AccessError):
            conversation.with_user(self.rep).unlink()
        conversation.with_user(self.manager).unlink()
        self.assertFalse(conversation.exists())

    def test_helpdesk_agent_records_points_but_not_conversations(self):
        ticket = self._create_ticket()
        point = self.env(user=self.agent)["custcare.improvement.point"].create(
            {
                "name": "Warn us of late orders",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
            }
        )
        self.assertEqual(ticket.improvement_point_ids, point)
        with self.assertRaises(AccessError):
            self.env(user=self.agent)["custcare.conversation"].search([])

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Other Bakery Co"})
        rep_b = self.rep.copy(
            {
                "login": "rep_b",
                "company_id": company_b.id,
                "company_ids": [(6, 0, company_b.ids)],
            }
        )
        conversation_a = self._create_conversation()
        Conversation_b = self.env(user=rep_b)["custcare.conversation"]
        self.assertNotIn(conversation_a, Conversation_b.search([]))
        with self.assertRaises(AccessError):
            conversation_a.with_user(rep_b).read(["partner_id"])
        conversation_b = Conversation_b.create({"partner_id": self.contact.id})
        self.assertEqual(conversation_b.company_id, company_b)
        self.assertNotIn(
            conversation_b, self.env(user=self.rep)["custcare.conversation"].search([])
        )

    def test_own_tickets_agent_sees_and_edits_only_points_of_their_tickets(self):
        """An agent with "personal tickets" rights (not a Customer Care user)
        reads and completes only the points of the tickets they may see:
        completing a point mails its customers."""
        own_agent = new_test_user(
            self.env,
            login="custcare_own_agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        mine = self._create_ticket(user=self.agent, user_id=own_agent.id)
        theirs = self._create_ticket(user=self.agent, user_id=self.agent.id)
        Point = self.env["custcare.improvement.point"]
        on_mine = Point.create(
            {"name": "Mine", "partner_id": self.contact.id, "ticket_id": mine.id}
        )
        on_theirs = Point.create(
            {"name": "Theirs", "partner_id": self.contact.id, "ticket_id": theirs.id}
        )
        without_ticket = Point.create({"name": "Rep's", "partner_id": self.contact.id})
        as_agent = Point.with_user(own_agent)
        self.assertEqual(as_agent.search([]), on_mine)
        self.assertEqual(as_agent.search_count([("name", "=", "Theirs")]), 0)
        self.assertEqual(mine.with_user(own_agent).improvement_point_ids, on_mine)
        for point in (on_theirs, without_ticket):
            with self.assertRaises(AccessError) as refused:
                point.with_user(own_agent).read(["name"])
            # the name would tell what the agent may not read
            self.assertNotIn(point.name, str(refused.exception))
            _forbidden, make_error = point.with_user(own_agent)._check_access("write")
            self.assertNotIn(point.name, str(make_error()))
            with self.assertRaises(AccessError):
                point.with_user(own_agent).action_done()
        on_mine.with_user(own_agent).action_plan()
        self.assertEqual(on_mine.state, "planned")
        with self.assertRaises(AccessError):
            as_agent.create(
                {
                    "name": "Sneaky",
                    "partner_id": self.contact.id,
                    "ticket_id": theirs.id,
                }
            )
        # a Customer Care rep is not limited by tickets
        self.assertIn(on_theirs, Point.with_user(self.rep).search([]))

    def test_customers_answers_are_theirs(self):
        """An "own tickets" agent reads the answers on their tickets only; no
        rep or agent can change an answer (the customer gives it through
        their link); a Customer Care manager may correct one."""
        own_agent = new_test_user(
            self.env,
            login="custcare_own_agent_2",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        mine = self._create_ticket(user=self.agent, user_id=own_agent.id)
        theirs = self._create_ticket(user=self.agent, user_id=self.agent.id)
        Rating = self.env["rating.rating"]
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        on_mine, on_theirs = Rating.create(
            [
                {"res_model_id": model_id, "res_id": ticket.id, "custcare_notice": n}
                for ticket, n in ((mine, "resolution"), (theirs, "resolution"))
            ]
        )
        as_agent = Rating.with_user(own_agent)
        found = as_agent.search([("custcare_notice", "!=", False)])
        self.assertIn(on_mine, found)
        self.assertNotIn(on_theirs, found)
        self.assertEqual(mine.with_user(own_agent).custcare_rating_ids, on_mine)
        on_mine.with_user(own_agent).read(["feedback"])
        with self.assertRaises(AccessError):
            on_theirs.with_user(own_agent).read(["feedback"])
        for user in (own_agent, self.agent, self.rep):
            with self.assertRaises(AccessError):
                on_mine.with_user(user).write({"rating": 5, "feedback": "Great!"})
        # a Customer Care rep reads every answer
        self.assertIn(on_theirs, Rating.with_user(self.rep).search([]))
        on_mine.with_user(self.manager).write({"feedback": "corrected"})
        self.assertEqual(on_mine.feedback, "corrected")

    def test_only_managers_run_the_scheduler(self):
        with self.assertRaises(AccessError):
            self.env(user=self.rep)["res.partner"].action_custcare_schedule_contacts()
        action = self.env(user=self.manager)[
            "res.partner"
        ].action_custcare_schedule_contacts()
        self.assertEqual(action["tag"], "display_notification")

    def test_rep_may_only_say_whether_a_mention_was_unasked(self):
        competitor = self.env["custcare.competitor"].create({"name": "Rival Rolls"})
        self.customer.user_id = self.rep
        conversation = self._create_conversation(
            summary="<p>Rival Rolls called them yesterday.</p>"
        )
        mention = self.env["custcare.competitor.mention"].search(
            [("res_model", "=", conversation._name), ("res_id", "=", conversation.id)]
        )
        self.assertEqual(mention.competitor_id, competitor)
        mention.with_user(self.rep).spontaneous = False
        self.assertFalse(mention.spontaneous)
        for vals in ({"snippet": "made up"}, {"partner_id": self.customer.id}):
            with self.assertRaises(AccessError):
                mention.with_user(self.rep).write(vals)
        mention.with_user(self.manager).snippet = "corrected"
        self.assertEqual(mention.snippet, "corrected")

    def test_mention_counts_come_from_mentions_the_user_may_read(self):
        other_rep = new_test_user(
            self.env, login="custcare_rep_2", groups="custcare_loop.group_custcare_user"
        )
        self.env["custcare.competitor"].create({"name": "Rival Rolls"})
        self.customer.user_id = other_rep
        self.customer.message_post(
            body="Rival Rolls is cheaper.",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        as_rep = self.customer.with_user(self.rep)
        self.assertEqual(as_rep.custcare_competitor_mention_count, 0)
        self.assertFalse(as_rep.custcare_volunteers_competitor_news)
        as_other = self.customer.with_user(other_rep)
        self.assertEqual(as_other.custcare_competitor_mention_count, 1)
        self.assertTrue(as_other.custcare_volunteers_competitor_news)
        as_manager = self.customer.with_user(self.manager)
        self.assertEqual(as_manager.custcare_competitor_mention_count, 1)
