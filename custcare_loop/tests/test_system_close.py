from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_close_loop import CloseLoopCommon

INCOMING = """Return-Path: <ann@acme-bakery.example.com>
To: support@example.com
From: Ann Baker <ann@acme-bakery.example.com>
Subject: Re: {subject}
Message-ID: <{msgid}@acme-bakery.example.com>
In-Reply-To: {parent}
References: {parent}
Content-Type: text/plain; charset="utf-8"

{body}
"""


@tagged("post_install", "-at_install")
class TestSystemClose(CloseLoopCommon):
    """A person is refused a close without a point; the system (a superuser
    environment: scheduled actions, the mail gateway, automation rules,
    other addons acting as the system) is not: the ticket closes and owes a
    point, asked once of its owner, and nothing that caused it is lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ask_point = cls.env.ref("custcare_loop.mail_activity_type_ask_point")

    def _asks(self, ticket):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.ask_point
        )

    def test_a_person_is_still_refused_even_an_administrator(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        admin = self.env.ref("base.user_admin")
        for user in (self.agent, self.manager, admin):
            with self.assertRaises(UserError):
                ticket.with_user(user).write({"stage_id": self.stage_done.id})
        ticket.invalidate_recordset()
        self.assertFalse(ticket.closed)
        self.assertFalse(ticket.custcare_point_owed)
        self.assertFalse(self._asks(ticket))

    def test_the_system_closes_and_owes_a_point(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        self._flush_tracking()
        ticket.sudo().write({"stage_id": self.stage_done.id})
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(ticket.custcare_point_owed)
        ask = self._asks(ticket)
        self.assertEqual(len(ask), 1)
        self.assertEqual(ask.user_id, self.agent)
        # the resolution notice goes out as usual, to the customer only
        self._flush_tracking()
        self.assertEqual(len(ticket.custcare_rating_ids), 1)
        self.assertEqual(
            self._mailed_addresses(ticket, "Resolved:"), {self.contact.email}
        )
        # managers find it
        owed = self.env["helpdesk.ticket"].search([("custcare_point_owed", "=", True)])
        self.assertIn(ticket, owed)

    def test_asked_once_even_when_closed_again(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        system = ticket.sudo()
        system.write({"stage_id": self.stage_done.id})
        system.write({"stage_id": self.stage_new.id})
        system.write({"stage_id": self.stage_cancelled.id})
        self.assertTrue(ticket.custcare_point_owed)
        self.assertEqual(len(self._asks(ticket)), 1)

    def test_who_is_asked_never_odoobot(self):
        self.env.company.custcare_fallback_user_id = self.rep
        with_leader = self._create_ticket(user_id=False, team_id=self.team.id)
        nobody = self._create_ticket(user_id=False, name="No owner")
        (with_leader | nobody).sudo().write({"stage_id": self.stage_done.id})
        self.assertEqual(self._asks(with_leader).user_id, self.leader)
        self.assertEqual(self._asks(nobody).user_id, self.rep)
        self.env.company.custcare_fallback_user_id = self.env.ref("base.user_root")
        orphan = self._create_ticket(user_id=False, name="Nobody at all")
        orphan.sudo().write({"stage_id": self.stage_done.id})
        self.assertTrue(orphan.custcare_point_owed)
        self.assertNotEqual(
            self._asks(orphan).user_id, self.env.ref("base.user_root"), "never OdooBot"
        )

    def test_a_stage_without_the_rule_owes_nothing(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        ticket.sudo().write({"stage_id": self.stage_rejected.id})
        self.assertFalse(ticket.custcare_point_owed)
        self.assertFalse(self._asks(ticket))
        with_point = self._create_ticket(user_id=self.agent.id, name="With point")
        self.env(user=self.agent)["custcare.improvement.point"].create(
            {
                "name": "Call first",
                "partner_id": self.contact.id,
                "ticket_id": with_point.id,
            }
        )
        with_point.sudo().write({"stage_id": self.stage_done.id})
        self.assertFalse(with_point.custcare_point_owed)

    def test_recording_a_point_settles_it(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        ticket.sudo().write({"stage_id": self.stage_done.id})
        # the owner records it, with an agent's rights only
        self.env(user=self.agent)["custcare.improvement.point"].create(
            {
                "name": "Say when an order will be late",
                "partner_id": self.contact.id,
                "ticket_id": ticket.id,
            }
        )
        ticket.invalidate_recordset()
        self.assertFalse(ticket.custcare_point_owed)
        self.assertFalse(self._asks(ticket))
        # a point moved onto the ticket settles it as well
        other = self._create_ticket(user_id=self.agent.id, name="Other")
        other.sudo().write({"stage_id": self.stage_done.id})
        loose = self.env(user=self.rep)["custcare.improvement.point"].create(
            {"name": "Boxes", "partner_id": self.contact.id}
        )
        loose.ticket_id = other
        other.invalidate_recordset()
        self.assertFalse(other.custcare_point_owed)
        self.assertFalse(self._asks(other))

    def test_an_automation_rule_closes_as_the_system(self):
        """A rule a manager wrote: urgent tickets from this customer close
        themselves (the person's write is not refused for the rule's act)."""
        rule = self.env["base.automation"].create(
            {
                "name": "Close urgent",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    (
                        6,
                        0,
                        self.env.ref(
                            "helpdesk_mgmt.field_helpdesk_ticket__priority"
                        ).ids,
                    )
                ],
                "filter_domain": "[('priority', '=', '3')]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Close",
                "model_id": rule.model_id.id,
                "usage": "base_automation",
                "base_automation_id": rule.id,
                "state": "code",
                "code": f"records.write({{'stage_id': {self.stage_cancelled.id}}})",
            }
        )
        # automation rules patch the registry, which no rollback restores
        self.addCleanup(rule.unlink)
        ticket = self._create_ticket(user_id=self.agent.id)
        ticket.with_user(self.agent).write({"priority": "3"})
        self.assertEqual(ticket.stage_id, self.stage_cancelled)
        self.assertTrue(ticket.custcare_point_owed)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_the_mail_gateway_never_loses_the_message_that_closes(self):
        """An incoming reply whose rule closes the ticket: the message is kept
        on the ticket and the ticket owes a point (before, the gateway failed
        on that message at every fetch)."""
        rule = self.env["base.automation"].create(
            {
                "name": "Close on reply",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "trigger": "on_message_received",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Close",
                "model_id": rule.model_id.id,
                "usage": "base_automation",
                "base_automation_id": rule.id,
                "state": "code",
                "code": f"records.write({{'stage_id': {self.stage_done.id}}})",
            }
        )
        self.addCleanup(rule.unlink)
        ticket = self._create_ticket(user_id=self.agent.id)
        parent = ticket.message_ids[-1:].message_id or "<none@example.com>"
        self.env["mail.thread"].message_process(
            "helpdesk.ticket",
            INCOMING.format(
                subject=ticket.name,
                msgid="thanks-all-good",
                parent=parent,
                body="Thanks, it all arrived this morning.",
            ),
            thread_id=ticket.id,
        )
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "arrived this morning" in str(m.body))
        )
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(ticket.custcare_point_owed)
        self.assertEqual(len(self._asks(ticket)), 1)

    def test_a_scheduled_action_closes_every_ticket(self):
        """A job closing many tickets never stops at the first without a
        point."""
        tickets = self._create_ticket(user_id=self.agent.id) | self._create_ticket(
            user_id=self.agent.id, name="Second"
        )
        cron = self.env["ir.cron"].create(
            {
                "name": "Close stale tickets",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "state": "code",
                "code": f"model.browse({tickets.ids}).write("
                f"{{'stage_id': {self.stage_done.id}}})",
                "user_id": self.env.ref("base.user_root").id,
            }
        )
        self._run_cron(cron.get_external_id().get(cron.id) or self._xmlid(cron))
        tickets.invalidate_recordset()
        self.assertEqual(tickets.stage_id, self.stage_done)
        self.assertEqual(tickets.mapped("custcare_point_owed"), [True, True])

    def _xmlid(self, record):
        self.env["ir.model.data"].create(
            {
                "module": "__test__",
                "name": f"cron_{record.id}",
                "model": record._name,
                "res_id": record.id,
            }
        )
        return f"__test__.cron_{record.id}"
