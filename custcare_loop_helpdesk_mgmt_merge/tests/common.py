from markupsafe import Markup

from odoo.tests import Form, new_test_user

from odoo.addons.custcare_loop.tests.common import CustcareCommon


class MergeBridgeCommon(CustcareCommon):
    """A customer's tickets in a helpdesk team, merged through
    helpdesk_mgmt_merge's wizard by a helpdesk user who is no Customer Care
    user. helpdesk_mgmt_merge's access file lets helpdesk users merge, but its
    wizard moves the merged tickets' messages (``res_id``), which Odoo 19
    lets administrators only: the lowest rights that merge are a helpdesk
    user's with Settings."""

    @classmethod
    def default_env_context(cls):
        # notices, answers and competitor alerts ride on message posting
        return {"no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.write({"email": "ann@acme-bakery.example.com", "lang": "en_US"})
        cls.env.company.email = "care@example.com"
        cls.leader = new_test_user(
            cls.env, login="merge_leader", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Bakery Support", "user_id": cls.leader.id}
        )
        cls.rival = cls.env["custcare.competitor"].create({"name": "Loafly"})
        cls.escalation = cls.env.ref("custcare_loop.mail_activity_type_escalation")
        cls.merger = new_test_user(
            cls.env,
            login="merge_merger",
            name="Mia Merger",
            groups="helpdesk_mgmt.group_helpdesk_user,base.group_system",
        )

    def _ticket(self, description, point):
        ticket = self._create_ticket(
            description=description, team_id=self.team.id, user_id=self.agent.id
        )
        self.env["custcare.improvement.point"].with_user(self.agent).create(
            {"name": point, "partner_id": self.contact.id, "ticket_id": ticket.id}
        )
        return ticket

    def _customer_writes(self, ticket, body):
        return ticket.message_post(
            author_id=self.contact.id,
            body=Markup(body),
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )

    def _resolve_and_answer(self, ticket, comment):
        """The resolution notice, answered "works well" by the customer."""
        ticket.with_user(self.agent).stage_id = self.stage_done
        ticket._custcare_record_answer("good", comment)

    def _merge(self, tickets, destination=None, name=None, user=None):
        """helpdesk_mgmt_merge's wizard, as opened from the ticket list."""
        wizard = (
            self.env["helpdesk.ticket.merge"]
            .with_user(user or self.merger)
            .with_context(active_model="helpdesk.ticket", active_ids=tickets.ids)
        )
        with Form(wizard) as form:
            if destination:
                form.dst_ticket_id = destination
            else:
                form.create_new_ticket = True
                form.dst_ticket_name = name
        action = form.record.merge_tickets()
        return self.env["helpdesk.ticket"].browse(action["res_id"])

    def _points(self, tickets):
        return (
            self.env["custcare.improvement.point"]
            .with_context(active_test=False)
            .search([("ticket_id", "in", tickets.ids)])
        )

    def _mentions(self, tickets):
        return self.env["custcare.competitor.mention"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
        )

    def _ratings(self, tickets):
        return self.env["rating.rating"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
        )

    def _customer_mention_count(self):
        """What the salesperson sees on the customer's form."""
        self.env.invalidate_all()
        return self.customer.with_user(self.rep).custcare_competitor_mention_count

    def _alerts(self):
        """Competitor news told to the customer's salesperson."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("message_type", "=", "user_notification"),
                ("subject", "ilike", "competitor news"),
            ]
        )

    def _escalations(self, ticket):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.escalation
        )
