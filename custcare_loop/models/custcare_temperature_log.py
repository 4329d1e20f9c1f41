from odoo import api, fields, models

from ..utils.temperature import RANK, TEMPERATURES


class CustcareTemperatureLog(models.Model):
    """Every temperature a customer was judged at, when and where: the
    customer's temperature over time. A record set calm, then hot, then calm
    again leaves three entries. Entries outlive the ticket or conversation
    they came from (customer knowledge), which they name."""

    _name = "custcare.temperature.log"
    _description = "Customer Temperature Change"
    _inherit = ["custcare.customer.company.mixin"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Datetime(required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    temperature = fields.Selection(selection=TEMPERATURES, required=True, readonly=True)
    temperature_value = fields.Integer(
        string="Temperature (1 calm – 4 boiling)",
        compute="_compute_temperature_value",
        store=True,
        aggregator="avg",
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Set By", readonly=True, ondelete="set null"
    )
    res_model = fields.Char(string="Source Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", readonly=True
    )
    source_name = fields.Char(string="Source", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)

    @api.depends("temperature")
    def _compute_temperature_value(self):
        for log in self:
            log.temperature_value = RANK.get(log.temperature, 0)

    @api.model
    def _custcare_log(self, records, field_name):
        """One entry per record whose ``field_name`` is set, now."""
        now = fields.Datetime.now()
        vals_list = []
        for record in records:
            customer = record._custcare_customer()
            if not (record[field_name] and customer):
                continue
            company = record["company_id"] if "company_id" in record._fields else None
            vals_list.append(
                {
                    "date": now,
                    "partner_id": customer.id,
                    "temperature": record[field_name],
                    "user_id": self.env.uid,
                    "res_model": record._name,
                    "res_id": record.id,
                    "source_name": record.display_name,
                    "company_id": company.id if company else False,
                }
            )
        if vals_list:
            # sudo: custcare.temperature.log - the history is read-only to
            # people: written as a temperature changes, whoever changes it (a
            # rep, a customer's message, a job; user_id says who)
            self.sudo().create(vals_list)
