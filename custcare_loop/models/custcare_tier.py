from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

INTERVAL_TYPES = [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")]
# about ten years: anything longer is a typo, and would overflow dates
MAX_CADENCE = {"days": 3660, "weeks": 522, "months": 120}


def cadence_delta(number, unit):
    """The cadence as a relativedelta; months are calendar months."""
    return relativedelta(**{unit: number})


def plural_units(env):
    """The cadence units as words inside a sentence, in the reader's
    language ("every 2 weeks", "alle 2 Wochen")."""
    return {
        "days": env._("days"),
        "weeks": env._("weeks"),
        "months": env._("months"),
    }


def check_cadence(env, number, unit, what):
    """A clear error for a cadence that is not 1 day to about ten years."""
    unit = unit or "months"
    if not 1 <= number <= MAX_CADENCE[unit]:
        raise ValidationError(
            env._(
                "%(what)s: contact every %(number)s %(unit)s is not a cadence. "
                "Use 1 to %(max)s %(unit)s (about ten years at most).",
                what=what,
                number=number,
                unit=plural_units(env)[unit],
                max=MAX_CADENCE[unit],
            )
        )


class CustcareTier(models.Model):
    _name = "custcare.tier"
    _description = "Care Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    interval_number = fields.Integer(
        string="Contact Every",
        required=True,
        default=1,
        help="How often a customer of this tier is contacted on purpose.",
    )
    interval_type = fields.Selection(
        selection=INTERVAL_TYPES,
        string="Unit",
        required=True,
        default="months",
    )
    partner_count = fields.Integer(
        compute="_compute_partner_count",
        string="# Customers",
    )

    @api.constrains("interval_number", "interval_type")
    def _check_cadence(self):
        for tier in self:
            check_cadence(
                self.env, tier.interval_number, tier.interval_type, tier.display_name
            )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("custcare_tier_id", "in", self.ids)],
                ["custcare_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    def _custcare_check_not_in_use(self, action):
        """Customers of a tier stay under care: a tier in use is neither
        deleted nor archived until its customers have another cadence."""
        # sudo: res.partner - a tier used by any customer is kept, archived or
        # of a company the manager does not see; only a count is shown
        counts = dict(
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("custcare_tier_id", "in", self.ids)],
                ["custcare_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            if counts.get(tier):
                raise UserError(
                    self.env._(
                        "The care tier “%(tier)s” is used by customers (%(count)s): "
                        "%(action)s it would leave them without a cadence. Move "
                        "them to another tier (or give them their own cadence) "
                        "first: the “# Customers” button lists them.",
                        tier=tier.display_name,
                        count=counts[tier],
                        action=action,
                    )
                )

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self.filtered("active")._custcare_check_not_in_use(self.env._("archiving"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        self._custcare_check_not_in_use(self.env._("deleting"))

    @api.readonly
    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.res_partner_action_care_board"
        )
        action["domain"] = [("custcare_tier_id", "=", self.id)]
        return action
