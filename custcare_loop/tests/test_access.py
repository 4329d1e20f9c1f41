from odoo.exceptions import AccessError
from odoo.tests import tagged

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
