from odoo import api, fields, models

# the customer's answers to a notice, as Odoo rating values
ANSWER_RATINGS = {"good": 5, "partial": 3, "bad": 1}
ANSWERS = [
    ("good", "Works well"),
    ("partial", "Partly works"),
    ("bad", "Still a problem"),
    ("waiting", "No answer yet"),
]


class RatingRating(models.Model):
    _inherit = "rating.rating"

    custcare_notice = fields.Selection(
        selection=[
            ("resolution", "Resolution Notice"),
            ("later", "Later Check"),
        ],
        string="Customer Care Notice",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The Customer Care notice that asked this question.",
    )
    custcare_answer = fields.Selection(
        selection=ANSWERS,
        string="Answer",
        compute="_compute_custcare_answer",
        store=True,
        help="The customer's answer to a Customer Care notice.",
    )

    @api.depends("rating", "consumed", "custcare_notice")
    def _compute_custcare_answer(self):
        by_value = {value: answer for answer, value in ANSWER_RATINGS.items()}
        for rating in self:
            if not rating.custcare_notice:
                rating.custcare_answer = False
            elif not rating.consumed:
                rating.custcare_answer = "waiting"
            else:
                rating.custcare_answer = by_value.get(int(rating.rating), False)
