from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

# a filter typed or pasted by a person, not a program
MAX_DOMAIN_CHARS = 20_000


class CustcareCampaign(models.Model):
    """A change that affects customers, and the plan of calls and samples
    around it (Odoo activity plans, dated from the change's effective date)."""

    _name = "custcare.campaign"
    _description = "Change Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "effective_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Change",
        required=True,
        tracking=True,
        help="What changes for the customers, e.g. a price rise or a "
        "discontinued product.",
    )
    description = fields.Html(
        help="What changes, why, and what the reps should say.",
    )
    effective_date = fields.Date(
        required=True,
        tracking=True,
        help="The day the change takes effect; the plan's activities are dated "
        "before and after it.",
    )
    plan_id = fields.Many2one(
        comodel_name="mail.activity.plan",
        string="Activity Plan",
        required=True,
        domain="[('res_model', '=', 'res.partner')]",
        default=lambda self: self.env.ref(
            "custcare_loop.mail_activity_plan_change_campaign",
            raise_if_not_found=False,
        ),
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    partner_domain = fields.Char(
        string="Affected Customers",
        default="[('custcare_under_care', '=', True)]",
        help="A filter on contacts; add or remove customers by hand below.",
    )
    partner_added_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="custcare_campaign_partner_added_rel",
        column1="campaign_id",
        column2="partner_id",
        string="Also Include",
    )
    partner_removed_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="custcare_campaign_partner_removed_rel",
        column1="campaign_id",
        column2="partner_id",
        string="Exclude",
    )
    target_count = fields.Integer(
        compute="_compute_target_count",
        string="# Affected Customers",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("running", "Launched"),
            ("done", "Done"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many(
        comodel_name="custcare.campaign.line",
        inverse_name="campaign_id",
        string="Customers",
        copy=False,
    )
    line_count = fields.Integer(compute="_compute_progress", string="# Customers")
    activity_done_count = fields.Integer(compute="_compute_progress", string="Done")
    activity_open_count = fields.Integer(compute="_compute_progress", string="Open")
    activity_overdue_count = fields.Integer(
        compute="_compute_progress", string="Overdue"
    )
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )

    @api.depends("partner_domain", "partner_added_ids", "partner_removed_ids")
    def _compute_target_count(self):
        for campaign in self:
            try:
                campaign.target_count = len(campaign._get_target_partners())
            except ValidationError:
                campaign.target_count = 0

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for campaign in self:
            campaign._custcare_partner_domain()

    def _custcare_partner_domain(self):
        """The customer filter as a domain on contacts, or a clear error."""
        self.ensure_one()
        text = self.partner_domain or "[]"
        try:
            if len(text) > MAX_DOMAIN_CHARS:
                raise ValueError(self.env._("it is too long"))
            value = literal_eval(text)
            if not isinstance(value, (list, tuple)):
                raise TypeError(self.env._("it is not a list of conditions"))
            domain = Domain(value)
            domain.validate(self.env["res.partner"])
        except (
            SyntaxError,
            ValueError,
            TypeError,
            KeyError,
            MemoryError,
            RecursionError,
        ) as error:
            raise ValidationError(
                self.env._(
                    "The customer filter of “%(campaign)s” is not a valid filter on "
                    "contacts (%(error)s). Edit it with the filter editor, e.g. "
                    "[('custcare_under_care', '=', True)].",
                    campaign=self.name,
                    error=error,
                )
            ) from error
        return domain

    @api.depends("line_ids")
    def _compute_progress(self):
        line_counts = dict(
            self.env["custcare.campaign.line"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        counts = self.env["custcare.campaign.line"]._activity_counts(
            [("custcare_campaign_line_id.campaign_id", "in", self.ids)],
            "custcare_campaign_line_id.campaign_id",
        )
        for campaign in self:
            done, open_, overdue = counts.get(campaign.id, (0, 0, 0))
            campaign.line_count = line_counts.get(campaign, 0)
            campaign.activity_done_count = done
            campaign.activity_open_count = open_
            campaign.activity_overdue_count = overdue
            total = done + open_ + overdue
            campaign.progress = 100.0 * done / total if total else 0.0

    def _get_target_partners(self):
        """The customers the change affects: the filter, plus additions,
        minus removals."""
        self.ensure_one()
        partners = self.env["res.partner"].search(self._custcare_partner_domain())
        return (partners | self.partner_added_ids) - self.partner_removed_ids

    def action_launch(self):
        """Create the plan's activities for every affected customer not yet
        covered, for the customer's salesperson (or the fallback rep)."""
        for campaign in self:
            if not campaign.plan_id.template_ids:
                raise UserError(
                    self.env._(
                        "The activity plan “%(plan)s” has no activity to schedule.",
                        plan=campaign.plan_id.name,
                    )
                )
            partners = campaign._get_target_partners()
            partners -= campaign.line_ids.partner_id
            if not partners:
                if campaign.state == "draft":
                    raise UserError(
                        self.env._(
                            "No customer matches this campaign: check its filter."
                        )
                    )
                # nothing went wrong: say so, do not raise
                return {
                    "type": "ir.actions.client",
                    "tag": "display_notification",
                    "params": {
                        "type": "info",
                        "message": self.env._(
                            "Every customer matching this campaign is already "
                            "covered: nothing new to add."
                        ),
                    },
                }
            campaign._launch_for(partners)
            campaign.state = "running"
        return True

    def _launch_for(self, partners):
        self.ensure_one()
        lines = self.env["custcare.campaign.line"].create(
            [
                {
                    "campaign_id": self.id,
                    "partner_id": partner.id,
                    "user_id": partner._custcare_contact_user().id,
                }
                for partner in partners
            ]
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for line in lines:
            for template in self.plan_id.template_ids:
                responsible = template._determine_responsible(
                    line.user_id, line.partner_id
                )["responsible"]
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": line.partner_id.id,
                        "activity_type_id": template.activity_type_id.id,
                        "summary": template.summary,
                        "note": template.note,
                        "user_id": (responsible or self.env.user).id,
                        "date_deadline": template._get_date_deadline(
                            self.effective_date
                        ),
                        "custcare_campaign_line_id": line.id,
                    }
                )
        self.check_access("write")
        # sudo: mail.activity - campaign managers plan activities on customers
        # they may not edit: the right to launch the campaign (checked just
        # above) is the right that matters
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)
        if lines:
            self.message_post(
                body=self.env._("Launched for 1 customer.")
                if len(lines) == 1
                else self.env._("Launched for %(count)s customers.", count=len(lines))
            )
        return lines

    def action_done(self):
        self.write({"state": "done"})

    def action_reset_draft(self):
        self.filtered(lambda c: not c.line_ids).write({"state": "draft"})

    @api.readonly
    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_campaign_line_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        return action
