from odoo import fields, models

from ..utils.temperature import TEMPERATURES


class CustcareTemperatureReport(models.Model):
    """Temperatures of conversations and tickets, for the managers' reports:
    who cools customers down (per rep and team) and how a customer's
    temperature moved over time."""

    _name = "custcare.temperature.report"
    _description = "Customer Temperature Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "partner_id"

    date = fields.Datetime(readonly=True)
    source = fields.Selection(
        selection=[("conversation", "Conversation"), ("ticket", "Ticket")],
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Customer Company", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    temperature = fields.Selection(selection=TEMPERATURES, readonly=True)
    temperature_value = fields.Float(
        string="Temperature (1 calm – 4 boiling)", aggregator="avg", readonly=True
    )
    peak = fields.Selection(
        selection=TEMPERATURES, string="Hottest While Open", readonly=True
    )
    at_close = fields.Selection(
        selection=TEMPERATURES, string="At Closing", readonly=True
    )
    heated = fields.Boolean(string="Was Hot or Boiling", readonly=True)
    cooled_down_rate = fields.Float(
        string="Cooled Down (%)",
        aggregator="avg",
        readonly=True,
        help="Of the closed records whose customer was hot or boiling, the "
        "share closed calm or warm.",
    )

    @property
    def _table_query(self):
        return """
            WITH judged AS (
                SELECT 'conversation' AS source, c.id AS res_id, c.date,
                       c.partner_id, c.commercial_partner_id, c.user_id,
                       NULL::integer AS team_id, c.company_id,
                       c.temperature, c.custcare_temperature_peak AS peak,
                       c.custcare_temperature_at_close AS at_close
                  FROM custcare_conversation c
                 WHERE c.temperature IS NOT NULL
                    OR c.custcare_temperature_peak IS NOT NULL
             UNION ALL
                SELECT 'ticket', t.id, t.create_date,
                       t.partner_id, t.commercial_partner_id, t.user_id,
                       t.team_id, t.company_id,
                       t.custcare_temperature, t.custcare_temperature_peak,
                       t.custcare_temperature_at_close
                  FROM helpdesk_ticket t
                 WHERE t.custcare_temperature IS NOT NULL
                    OR t.custcare_temperature_peak IS NOT NULL
            )
            SELECT row_number() OVER (ORDER BY source, res_id) AS id,
                   source, date, partner_id, commercial_partner_id, user_id,
                   team_id, company_id, temperature, peak, at_close,
                   CASE temperature WHEN 'calm' THEN 1 WHEN 'warm' THEN 2
                        WHEN 'hot' THEN 3 WHEN 'boiling' THEN 4 END
                       AS temperature_value,
                   peak IN ('hot', 'boiling') AS heated,
                   CASE WHEN peak IN ('hot', 'boiling') AND at_close IS NOT NULL
                        THEN CASE WHEN at_close IN ('calm', 'warm') THEN 100.0
                                  ELSE 0.0 END
                   END AS cooled_down_rate
              FROM judged
        """
