from odoo import fields, models


class CustcareImprovementAspect(models.Model):
    _name = "custcare.improvement.aspect"
    _description = "Improvement Aspect"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _name_uniq = models.Constraint(
        "UNIQUE(name)",
        "An aspect with this name already exists.",
    )
