from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import is_html_empty

from ..exceptions import PointDoneNeedsConfirmation


class CustcareImprovementPoint(models.Model):
    _name = "custcare.improvement.point"
    _description = "Improvement Point"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "custcare.customer.notice.mixin",
        "custcare.ticket.bound.mixin",
        "custcare.customer.company.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Improvement Point",
        required=True,
        tracking=True,
        help="The problem or suggestion, in short.",
    )
    customer_words = fields.Text(
        help="What the customer said, in their own words.",
    )
    aspect_id = fields.Many2one(
        comodel_name="custcare.improvement.aspect",
        index=True,
        tracking=True,
    )
    raised_by = fields.Selection(
        selection=[
            ("customer", "Customer"),
            ("asked", "Customer, when asked"),
            ("rep", "Rep, on the customer's behalf"),
        ],
        required=True,
        default="customer",
        help="Whether the customer volunteered it, gave it when asked (the three "
        "worst things), or the rep proposed it for them.",
    )
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("planned", "Planned"),
            ("done", "Done"),
            ("declined", "Declined"),
        ],
        string="Status",
        required=True,
        default="new",
        group_expand=True,
        index=True,
        tracking=True,
        copy=False,
        help="Done means the improvement is implemented.",
    )
    action_taken = fields.Html(
        help="What was done about it.",
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        index=True,
        help="When the point was raised.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        index=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="custcare_improvement_point_partner_rel",
        column1="point_id",
        column2="partner_id",
        string="Also Raised By",
        help="Other customers who raised the same point.",
    )
    # a point is the customer's knowledge: it outlives its ticket or
    # conversation (and its other customers stay on it)
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    conversation_id = fields.Many2one(
        comodel_name="custcare.conversation",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    color = fields.Integer(related="aspect_id.color")
    notified_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="custcare_improvement_point_notified_rel",
        column1="point_id",
        column2="partner_id",
        string="Customers Told",
        copy=False,
        readonly=True,
        help="Customers already told that this improvement is done (or, "
        "without an email address, whose call was planned).",
    )

    # ------------------------------------------------------------------
    # Access: helpdesk agents who are not Customer Care users see and edit
    # only the points of the tickets they may see and edit.
    # ------------------------------------------------------------------

    @api.model
    def _custcare_ticket_bound_domain(self, readable_tickets):
        return Domain("ticket_id", "in", readable_tickets)

    def _custcare_ticket_id(self):
        return self.ticket_id.id

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or not self._custcare_ticket_bound_access() or not any(self._ids):
            return result
        forbidden = self._custcare_ticket_bound_forbidden(
            "read" if operation == "read" else "write"
        )
        if not forbidden:
            return None

        def make_error():
            # the refused points by id only: their names would tell the
            # user what they may not read
            return AccessError(
                self.env._(
                    "You may only see and edit the improvement points of "
                    "tickets you have access to (%(points)s).",
                    points=", ".join(f"#{point_id}" for point_id in forbidden.ids[:5]),
                )
            )

        return forbidden, make_error

    @api.constrains("state", "action_taken")
    def _check_action_taken_when_done(self):
        missing = self.filtered(
            lambda p: p.state == "done" and is_html_empty(p.action_taken)
        )
        if missing:
            raise ValidationError(
                self.env._(
                    "“%(point)s” cannot be done without saying what was done: every "
                    "customer who raised it is told. Write the action taken.",
                    point=missing[0].display_name,
                )
            )

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        if self.ticket_id.partner_id and not self.partner_id:
            self.partner_id = self.ticket_id.partner_id

    @api.onchange("conversation_id")
    def _onchange_conversation_id(self):
        if self.conversation_id and not self.partner_id:
            self.partner_id = self.conversation_id.partner_id

    def write(self, vals):
        if (
            vals.get("state") == "done"
            and not self.env.su
            and not self.env.context.get("custcare_done_confirmed")
        ):
            point = self.filtered(lambda p: p.state != "done")[:1]
            if point:
                raise PointDoneNeedsConfirmation(
                    self.env._(
                        "Marking “%(point)s” done tells every customer who "
                        "raised it: use “Mark as Done” to say what was done and "
                        "see who will be told first.",
                        point=point.display_name,
                    ),
                    point,
                )
        parents = (
            self._custcare_parents()
            if ({"ticket_id", "conversation_id"} & set(vals))
            else None
        )
        res = super().write(vals)
        if parents:
            self._custcare_check_parents_keep_points(*parents)
        if vals.get("ticket_id"):
            # sudo: helpdesk.ticket - a point recorded settles what its ticket
            # owed, whoever records it
            self.sudo().ticket_id._custcare_settle_point_owed()
        if vals.get("state") == "done" or "partner_ids" in vals:
            self._custcare_notify_done()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        points = super().create(vals_list)
        # sudo: helpdesk.ticket - see write()
        points.sudo().ticket_id._custcare_settle_point_owed()
        points.filtered(lambda p: p.state == "done")._custcare_notify_done()
        return points

    def _custcare_notify_done(self):
        """Tell every customer who raised the point, once, that it is done:
        one mail per customer, to that customer only; a customer without an
        email address becomes a call for the point's owner."""
        template = self.env.ref("custcare_loop.mail_template_improvement_done")
        for point in self.filtered(lambda p: p.state == "done"):
            customers = (
                point.partner_id | point.partner_ids
            ) - point.notified_partner_ids
            for customer in customers:
                point._custcare_notify_customer(template, customer)
            if customers:
                # sudo: custcare.improvement.point - who was told is bookkeeping
                # of the mails just sent (read-only in the form), whoever made
                # the point done
                point.sudo().notified_partner_ids = [(4, c.id) for c in customers]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_point_of_closed(self):
        """A closed conversation or ticket keeps at least one point (not
        checked when the module itself is uninstalled)."""
        conversations, tickets = self._custcare_parents()
        # sudo: custcare.improvement.point - only ids, taken off the parents'
        # points (read as superuser, see _custcare_parents)
        self._custcare_check_parents_keep_points(
            conversations, tickets, leaving=self.sudo()
        )

    def action_plan(self):
        self.write({"state": "planned"})

    def action_done(self):
        """Done tells every customer who raised the point: say what was done
        first, and see who will be told (a dialog)."""
        self.check_access("write")
        if len(self) == 1 and not self.env.context.get("custcare_done_confirmed"):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Mark as Done"),
                "res_model": "custcare.point.done.wizard",
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
                "context": {
                    "default_point_id": self.id,
                    "default_action_taken": self.action_taken,
                },
            }
        self.with_context(custcare_done_confirmed=True).write({"state": "done"})
        return True

    def action_decline(self):
        self.write({"state": "declined"})

    def action_reset(self):
        self.write({"state": "new"})

    def _custcare_parents(self):
        # sudo: custcare.conversation, helpdesk.ticket - a closed parent keeps
        # a point whoever edits or deletes it: a helpdesk agent may not read
        # conversations, a Customer Care user may not be a helpdesk user
        points = self.sudo()
        return points.conversation_id, points.ticket_id

    @api.model
    def _custcare_check_parents_keep_points(self, conversations, tickets, leaving=None):
        """A closed conversation or ticket must keep at least one point
        (besides the points ``leaving``, about to be deleted)."""
        leaving = leaving or self.browse()
        closed_conversations = conversations.exists().filtered(
            lambda c: c.state == "closed"
        )
        closed_tickets = tickets.exists().filtered(
            lambda t: (
                t.stage_id.closed and t.stage_id.custcare_require_improvement_point
            )
        )
        orphans = [
            record
            for record in (*closed_conversations, *closed_tickets)
            if not record.with_context(active_test=False).improvement_point_ids
            - leaving
        ]
        if orphans:
            raise UserError(
                self.env._(
                    "%(record)s is closed and must keep at least one improvement "
                    "point. Record another point before removing this one, or "
                    "reopen it first.",
                    record=orphans[0].display_name,
                )
            )
