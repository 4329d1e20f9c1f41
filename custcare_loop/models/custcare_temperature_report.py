from odoo import fields, models
from odoo.tools import SQL

from ..utils.temperature import HOT, RANK, TEMPERATURES


class CustcareTemperatureReport(models.Model):
    """Temperatures of conversations and tickets, for the managers' reports:
    who cools customers down (per rep and team) and how a customer's
    temperature moved over time."""

    _name = "custcare.temperature.report"
    _description = "Customer Temperature Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "partner_id"
    # what the query reads: flushed before the report is searched
    _depends = {
        "custcare.conversation": [
            "date",
            "partner_id",
            "commercial_partner_id",
            "user_id",
            "company_id",
            "temperature",
            "custcare_temperature_peak",
            "custcare_temperature_at_close",
        ],
        "helpdesk.ticket": [
            "create_date",
            "partner_id",
            "commercial_partner_id",
            "user_id",
            "team_id",
            "company_id",
            "custcare_temperature",
            "custcare_temperature_peak",
            "custcare_temperature_at_close",
        ],
    }

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
    def _table_query(self) -> SQL:
        return SQL(
            """
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
            -- a stable id per record: conversations even, tickets odd (an
            -- id that does not move when other rows are added)
            SELECT res_id * 2 + (CASE source WHEN 'ticket' THEN 1 ELSE 0 END) AS id,
                   source, date, partner_id, commercial_partner_id, user_id,
                   team_id, company_id, temperature, peak, at_close,
                   %(rank)s AS temperature_value,
                   peak IN %(hot)s AS heated,
                   CASE WHEN peak IN %(hot)s AND at_close IS NOT NULL
                        THEN CASE WHEN at_close IN %(hot)s THEN 0.0 ELSE 100.0 END
                   END AS cooled_down_rate
              FROM judged
            """,
            rank=SQL(
                "CASE temperature %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", name, rank) for name, rank in RANK.items()
                ),
            ),
            hot=HOT,
        )
