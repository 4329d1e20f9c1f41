from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# a week ahead is usual; a year ahead is the most that still means "due"
MAX_LEAD_DAYS = 366
MAX_LATER_CHECK_DAYS = 3660


class ResCompany(models.Model):
    _inherit = "res.company"

    custcare_lead_days = fields.Integer(
        string="Contact Lead Time (days)",
        default=7,
        help="A customer is due for a proactive contact this many days before "
        "the next contact date.",
    )
    custcare_retry_days = fields.Integer(
        string="Try Again After (days)",
        default=3,
        help="When a proactive contact did not reach the customer (“Not "
        "Reached”), a new one is planned this many days later.",
    )
    custcare_fallback_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Fallback Rep",
        domain="[('share', '=', False)]",
        help="Gets the proactive contacts of customers without a salesperson.",
    )

    custcare_mention_alert = fields.Selection(
        selection=[
            ("notification", "Notification"),
            ("activity", "Activity"),
            ("none", "Nothing"),
        ],
        string="Competitor News Alert",
        default="notification",
        required=True,
        help="How a salesperson is told that their customer mentioned a "
        "competitor, unasked.",
    )

    custcare_later_check_days = fields.Integer(
        string="Later Check After (days)",
        default=14,
        help="Days after a resolution when the customer is asked once more "
        "whether the fix still works (unless the ticket was reopened).",
    )

    custcare_follow_up_days = fields.Integer(
        string="Follow-up After (days)",
        default=2,
        help="Days after closing a ticket or conversation whose customer was "
        "hot or boiling when its owner checks in: are you happy now?",
    )
    custcare_reply_hours = fields.Integer(
        string="Reply Time (hours)",
        default=24,
        help="A customer's message waiting longer than this for a reply "
        "reminds the ticket's owner.",
    )

    @api.constrains("custcare_follow_up_days", "custcare_reply_hours")
    def _check_custcare_follow_up(self):
        for company in self:
            if not 0 <= company.custcare_follow_up_days <= MAX_LATER_CHECK_DAYS:
                raise ValidationError(
                    self.env._(
                        "The follow-up must come 0 to %(max)s days after closing "
                        "(it is %(days)s).",
                        max=MAX_LATER_CHECK_DAYS,
                        days=company.custcare_follow_up_days,
                    )
                )
            if not 1 <= company.custcare_reply_hours <= 24 * 90:
                raise ValidationError(
                    self.env._(
                        "The reply time must be 1 hour to 90 days (it is "
                        "%(hours)s hours).",
                        hours=company.custcare_reply_hours,
                    )
                )

    @api.constrains(
        "custcare_lead_days", "custcare_later_check_days", "custcare_retry_days"
    )
    def _check_custcare_days(self):
        for company in self:
            if not 1 <= company.custcare_retry_days <= MAX_LEAD_DAYS:
                raise ValidationError(
                    self.env._(
                        "A proactive contact that did not reach the customer must "
                        "be tried again 1 to %(max)s days later (it is %(days)s).",
                        max=MAX_LEAD_DAYS,
                        days=company.custcare_retry_days,
                    )
                )
            if not 0 <= company.custcare_lead_days <= MAX_LEAD_DAYS:
                raise ValidationError(
                    self.env._(
                        "The contact lead time must be between 0 and %(max)s days "
                        "(it is %(days)s).",
                        max=MAX_LEAD_DAYS,
                        days=company.custcare_lead_days,
                    )
                )
            if not 0 <= company.custcare_later_check_days <= MAX_LATER_CHECK_DAYS:
                raise ValidationError(
                    self.env._(
                        "The later check must come 0 to %(max)s days after the "
                        "resolution (it is %(days)s).",
                        max=MAX_LATER_CHECK_DAYS,
                        days=company.custcare_later_check_days,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "custcare_lead_days" in vals:
            self.env["res.partner"]._custcare_refresh_contact_states(self)
        if "partner_id" in vals:
            self.env.registry.clear_cache()  # _custcare_tz
        return res

    @api.model
    @tools.ormcache("company_id")
    def _custcare_tz(self, company_id):
        """The company's time zone (its address's), UTC when unset. Read on
        every contact registered, so cached; a change of it clears the
        cache in every worker (res.partner.write)."""
        # sudo: res.company - cached for every user, read for whoever asks
        # first (a portal customer, a job): a company's time zone only
        return self.browse(company_id).sudo().partner_id.tz or "UTC"
