from odoo import fields, models


class CustcarePointOwedMixin(models.AbstractModel):
    """Records that a person may not close without an improvement point,
    while the system (a superuser environment: scheduled actions, the mail
    gateway, automation rules, other addons acting as the system) may: what
    the system closes owes a point, asked once of the record's responsible
    user, and settled when a point is recorded on it."""

    _name = "custcare.point.owed.mixin"
    _inherit = "custcare.owner.mixin"
    _description = "Customer Care: an improvement point owed"

    custcare_point_owed = fields.Boolean(
        string="Point Owed",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Closed by the system (a scheduled action, an incoming email, "
        "another app) without an improvement point: its owner is asked to "
        "record one. Recording a point settles it.",
    )

    def _custcare_ask_point_activities(self):
        # sudo: mail.activity - whoever settles may not own the request
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("custcare_loop.mail_activity_type_ask_point").id,
                    ),
                ]
            )
        )

    def _custcare_owe_point(self):
        """Closed by the system without a point: never refused (the message
        or job that closed it is not lost); the record owes one and its
        responsible user (never OdooBot) is asked, once."""
        records = self.filtered(lambda r: not r.custcare_point_owed)
        if not records:
            return
        records.custcare_point_owed = True
        asked = set(records._custcare_ask_point_activities().mapped("res_id"))
        records.filtered(lambda r: r.id not in asked)._custcare_schedule_follow_up(
            "custcare_loop.mail_activity_type_ask_point",
            summary=lambda env: env._(
                "Closed without an improvement point: record one"
            ),
        )

    def _custcare_settle_point_owed(self):
        """A point was recorded: what these records owed is settled."""
        # sudo: helpdesk.ticket, crm.lead - whoever records the point (a
        # customer on the portal, a salesperson) clears the owed flag,
        # read-only to people, and the request, which may be a colleague's
        owed = self.sudo().filtered("custcare_point_owed")
        if not owed:
            return
        owed.custcare_point_owed = False
        owed._custcare_ask_point_activities().unlink()
