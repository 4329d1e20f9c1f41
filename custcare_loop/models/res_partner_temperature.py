from odoo import fields, models
from odoo.tools import SQL

from ..utils.temperature import TEMPERATURES


class ResPartner(models.Model):
    """The customer's current temperature: that of their most recent
    conversation or ticket that has one (conversation date, ticket
    creation), for the contact and for its company."""

    _inherit = "res.partner"

    custcare_temperature = fields.Selection(
        selection=TEMPERATURES,
        string="Temperature",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The temperature of this customer's most recent conversation or "
        "ticket that has one.",
        groups="custcare_loop.group_custcare_user",
    )

    def _custcare_update_temperature(self):
        # sudo: res.partner - whoever changes a conversation's or a ticket's
        # temperature (a rep, a customer's message, a job) updates the
        # customer's, read-only to people, on contacts they may not edit
        partners = (self | self.commercial_partner_id).sudo()
        if not partners:
            return
        people = partners.with_context(active_test=False).search_fetch(
            [
                "|",
                ("id", "in", partners.ids),
                ("commercial_partner_id", "in", partners.ids),
            ],
            ["commercial_partner_id"],
        )
        commercial = {person.id: person.commercial_partner_id.id for person in people}
        conversation = self.env["custcare.conversation"]._fields
        ticket = self.env["helpdesk.ticket"]._fields
        # the latest judged record per person, conversations and tickets
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, day, temperature
                  FROM (
                        SELECT partner_id, date AS day, temperature
                          FROM custcare_conversation
                         WHERE partner_id IN %(people)s AND temperature IS NOT NULL
                     UNION ALL
                        SELECT partner_id, create_date AS day,
                               custcare_temperature AS temperature
                          FROM helpdesk_ticket
                         WHERE partner_id IN %(people)s
                           AND custcare_temperature IS NOT NULL
                       ) judged
              ORDER BY partner_id, day DESC
                """,
                people=tuple(people.ids),
                # only what the query reads
                to_flush=[
                    conversation["partner_id"],
                    conversation["date"],
                    conversation["temperature"],
                    ticket["partner_id"],
                    ticket["create_date"],
                    ticket["custcare_temperature"],
                ],
            )
        )
        latest = {}
        wanted = set(partners.ids)
        for person_id, day, temperature in rows:
            for partner_id in {person_id, commercial.get(person_id)}:
                if partner_id in wanted and (
                    partner_id not in latest or day > latest[partner_id][0]
                ):
                    latest[partner_id] = (day, temperature)
        for partner in partners:
            value = latest.get(partner.id, (None, False))[1]
            if partner.custcare_temperature != value:
                partner.custcare_temperature = value
