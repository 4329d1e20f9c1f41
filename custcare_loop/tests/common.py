from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class CustcareCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="custcare_rep",
            name="Rita Rep",
            groups="custcare_loop.group_custcare_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="custcare_manager",
            name="Max Manager",
            groups="custcare_loop.group_custcare_manager",
        )
        cls.employee = new_test_user(
            cls.env,
            login="custcare_employee",
            name="Erin Employee",
            groups="base.group_user",
        )
        cls.agent = new_test_user(
            cls.env,
            login="custcare_agent",
            name="Hal Helpdesk",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="custcare_portal",
            name="Paula Portal",
            groups="base.group_portal",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Bakery", "is_company": True, "user_id": cls.rep.id}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ann Baker", "parent_id": cls.customer.id}
        )
        cls.aspect_delivery = cls.env.ref("custcare_loop.aspect_delivery")
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_cancelled"
        )
        cls.stage_rejected = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")

    @classmethod
    def _create_conversation(cls, user=None, **vals):
        env = cls.env(user=user or cls.rep)
        return env["custcare.conversation"].create(
            {"partner_id": cls.contact.id, "channel": "call", **vals}
        )

    @classmethod
    def _create_ticket(cls, user=None, **vals):
        env = cls.env(user=user or cls.agent)
        return env["helpdesk.ticket"].create(
            {
                "name": "Late delivery",
                "description": "<p>The bread came late.</p>",
                "partner_id": cls.contact.id,
                **vals,
            }
        )
