"""OCA's helpdesk addons that act on tickets by themselves, beside
custcare_loop: each acts on our tickets as it does without us, and nothing is
lost (runs in the test command's companions database)."""

from datetime import datetime, timedelta

from odoo.tests import Form, new_test_user, tagged

from odoo.addons.custcare_loop.tests.common import CustcareCommon

REPLY = """Return-Path: <{email}>
To: support@example.com
From: {name} <{email}>
Subject: Re: {subject}
Message-ID: <{msgid}@example.com>
Content-Type: text/plain; charset="utf-8"

{body}
"""


class NeighbourCommon(CustcareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ask_point = cls.env.ref("custcare_loop.mail_activity_type_ask_point")
        cls.stage_in_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.contact.email = "ann@acme-bakery.example.com"

    def _asks(self, ticket):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.ask_point
        )


@tagged("post_install", "-at_install", "custcare_companions")
class TestCloseInactive(NeighbourCommon):
    """helpdesk_ticket_close_inactive: its nightly job closes inactive
    tickets; it no longer stops at the first ticket without a point."""

    def test_the_inactive_job_closes_tickets_that_then_owe_a_point(self):
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Bakery support",
                "close_inactive_tickets": True,
                "ticket_stage_ids": [(6, 0, self.stage_in_progress.ids)],
                "inactive_tickets_day_limit_warning": 0,
                "inactive_tickets_day_limit_closing": 14,
                "closing_ticket_stage": self.stage_done.id,
                "close_inactive_mail_template_id": False,
            }
        )
        tickets = self._create_ticket(user_id=self.agent.id, team_id=team.id)
        tickets |= self._create_ticket(
            user_id=self.agent.id, team_id=team.id, name="Stale bread"
        )
        with_point = self._create_ticket(
            user_id=self.agent.id, team_id=team.id, name="Has a point"
        )
        self.env(user=self.agent)["custcare.improvement.point"].create(
            {
                "name": "Call first",
                "partner_id": self.contact.id,
                "ticket_id": with_point.id,
            }
        )
        everything = tickets | with_point
        everything.with_user(self.agent).stage_id = self.stage_in_progress
        everything.sudo().last_stage_update = datetime.now() - timedelta(days=20)
        with self.enter_registry_test_mode():
            self.assertIs(
                self.env.ref(
                    "helpdesk_ticket_close_inactive.ir_cron_close_inactive_tickets"
                ).method_direct_trigger(),
                True,
            )
        everything.invalidate_recordset()
        self.assertEqual(everything.stage_id, self.stage_done)
        self.assertEqual(tickets.mapped("custcare_point_owed"), [True, True])
        self.assertFalse(with_point.custcare_point_owed)
        for ticket in tickets:
            self.assertEqual(self._asks(ticket).user_id, self.agent)


@tagged("post_install", "-at_install", "custcare_companions")
class TestPartnerResponse(NeighbourCommon):
    """helpdesk_ticket_partner_response: the customer's answer moves the
    ticket to Done. The answer is kept and the ticket owes a point (before,
    the customer's post was refused and rolled back)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Answers close",
                "autoupdate_ticket_stage": True,
                "autopupdate_src_stage_ids": [(4, cls.stage_in_progress.id)],
                "autopupdate_dest_stage_id": cls.stage_done.id,
            }
        )
        cls.portal_user.partner_id.write(
            {"parent_id": cls.customer.id, "email": "paula@acme-bakery.example.com"}
        )

    def _ticket(self, partner):
        ticket = self._create_ticket(
            user_id=self.agent.id, team_id=self.team.id, partner_id=partner.id
        )
        ticket.with_user(self.agent).stage_id = self.stage_in_progress
        return ticket

    def test_a_customer_answer_from_the_portal_is_kept(self):
        ticket = self._ticket(self.portal_user.partner_id)
        ticket.with_user(self.portal_user).message_post(body="Thanks, all good now")
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "all good now" in str(m.body))
        )
        self.assertTrue(ticket.custcare_point_owed)
        self.assertEqual(self._asks(ticket).user_id, self.agent)

    def test_a_customer_answer_by_email_is_kept(self):
        ticket = self._ticket(self.contact)
        self.env["mail.thread"].message_process(
            "helpdesk.ticket",
            REPLY.format(
                name=self.contact.name,
                email=self.contact.email,
                subject=ticket.name,
                msgid="answer-by-mail",
                body="Received, thank you: the bread was fresh.",
            ),
            thread_id=ticket.id,
        )
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "the bread was fresh" in str(m.body))
        )
        self.assertTrue(ticket.custcare_point_owed)

    def test_a_point_already_there_owes_nothing(self):
        ticket = self._ticket(self.portal_user.partner_id)
        self.env(user=self.agent)["custcare.improvement.point"].create(
            {
                "name": "Call first",
                "partner_id": self.portal_user.partner_id.id,
                "ticket_id": ticket.id,
            }
        )
        ticket.with_user(self.portal_user).message_post(body="Thanks")
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertFalse(ticket.custcare_point_owed)


@tagged("post_install", "-at_install", "custcare_companions")
class TestLeadFromTicket(NeighbourCommon):
    """helpdesk_mgmt_crm: a lead made from a ticket leaves the ticket's
    points where they were."""

    def test_the_ticket_keeps_its_points(self):
        seller = new_test_user(
            self.env,
            login="custcare_seller",
            groups="helpdesk_mgmt.group_helpdesk_user,sales_team.group_sale_salesman",
        )
        ticket = self._create_ticket(user_id=seller.id)
        point = self.env(user=seller)["custcare.improvement.point"].create(
            {
                "name": "Sell bigger boxes",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
            }
        )
        wizard = (
            self.env(user=seller)["helpdesk.ticket.create.lead"]
            .with_context(active_id=ticket.id)
            .create({})
        )
        wizard.action_helpdesk_ticket_to_lead()
        self.assertTrue(ticket.lead_ids)
        self.assertEqual(point.ticket_id, ticket)
        self.assertEqual(ticket.improvement_point_ids, point)
        # the ticket still closes as usual, with its point
        ticket.with_user(seller).stage_id = self.stage_done
        self.assertTrue(ticket.closed)
        self.assertFalse(ticket.custcare_point_owed)


@tagged("post_install", "-at_install", "custcare_companions")
class TestTicketType(NeighbourCommon):
    """helpdesk_type: a typed ticket follows the same rule, and Add Point &
    Close works on it."""

    def test_a_typed_ticket_closes_with_its_point(self):
        ticket_type = self.env["helpdesk.ticket.type"].create({"name": "Complaint"})
        ticket = self._create_ticket(user_id=self.agent.id, type_id=ticket_type.id)
        action = ticket.with_user(self.agent).action_custcare_close_with_point()
        wizard = Form(
            self.env(user=self.agent)[action["res_model"]].with_context(
                **action["context"]
            )
        )
        wizard.name = "Warn us of late orders"
        wizard.resolution = "We call the day before a late delivery."
        wizard.save().action_confirm()
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(ticket.type_id, ticket_type)
        self.assertEqual(ticket.improvement_point_ids.name, "Warn us of late orders")
