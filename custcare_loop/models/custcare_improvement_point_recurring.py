from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.modules.db import FunctionStatus
from odoo.tools import SQL

from ..utils.competitor_matcher import fold

# how alike two points must be (PostgreSQL trigram similarity, 0 … 1)
SIMILARITY_THRESHOLD = 0.35
SIMILAR_LIMIT = 5


class CustcareImprovementPoint(models.Model):
    """Recurring concerns: while a rep records a point, the company's points
    that say nearly the same thing (trigram similarity, ignoring case and
    accents) are shown, so the customer joins the existing point instead of
    a duplicate; how many customer companies raised each point."""

    _inherit = "custcare.improvement.point"

    active = fields.Boolean(default=True)
    name_key = fields.Char(
        compute="_compute_name_key",
        store=True,
        index="trigram",
        help="The point's text, case and accents ignored: what similarity compares.",
    )
    similar_point_ids = fields.Many2many(
        comodel_name="custcare.improvement.point",
        compute="_compute_similar_point_ids",
        string="Similar Points",
        help="Other points of the company that say nearly the same thing.",
    )
    customer_count = fields.Integer(
        string="# Customers",
        compute="_compute_customer_count",
        store=True,
        aggregator="sum",
        help="Distinct customer companies that raised this point (the customer "
        "and Also Raised By).",
    )
    merged_into_id = fields.Many2one(
        comodel_name="custcare.improvement.point",
        string="Same as",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="An existing point that says the same: the customer joins it "
        "and this one is archived, pointing to it.",
    )

    @api.depends("name")
    def _compute_name_key(self):
        for point in self:
            point.name_key = " ".join(fold(point.name or "").split()) or False

    @api.depends(
        "partner_id.commercial_partner_id", "partner_ids.commercial_partner_id"
    )
    def _compute_customer_count(self):
        for point in self:
            point.customer_count = len(
                (point.partner_id | point.partner_ids).commercial_partner_id
            )

    @api.depends("name", "company_id")
    @api.depends_context("uid")
    def _compute_similar_point_ids(self):
        for point in self:
            point.similar_point_ids = point._custcare_similar_points()

    def _custcare_similar_points(self, limit=SIMILAR_LIMIT):
        self.ensure_one()
        return self._custcare_find_similar(
            self.name, self.company_id, exclude_id=self._origin.id, limit=limit
        )

    @api.model
    def _custcare_name_key_sql(self):
        """The expression the trigram index is built on: Odoo wraps it in
        unaccent() when the database has an immutable unaccent (--unaccent);
        a query comparing anything else cannot use the index."""
        column = SQL.identifier("name_key")
        if self.env.registry.has_unaccent == FunctionStatus.INDEXABLE:
            column = self.env.registry.unaccent(column)
        return column

    @api.model
    def _custcare_find_similar(self, name, company, exclude_id=0, limit=SIMILAR_LIMIT):
        """The company's points most like ``name``, best first, among those
        the user may read. Uses the trigram index: the ``%`` operator, with
        the threshold set for this transaction only."""
        key = " ".join(fold(name or "").split())
        if len(key) < 3:
            return self.browse()
        company = company or self.env.company
        self.env.execute_query(
            SQL(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                str(SIMILARITY_THRESHOLD),
            )
        )
        column = self._custcare_name_key_sql()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id
                  FROM custcare_improvement_point
                 WHERE %(column)s %% %(key)s
                   AND company_id = %(company)s
                   AND active
                   AND id != %(exclude)s
              ORDER BY similarity(%(column)s, %(key)s) DESC, id DESC
                 LIMIT %(limit)s
                """,
                column=column,
                key=key,
                company=company.id,
                exclude=exclude_id or 0,
                limit=limit * 3,
                to_flush=[
                    self._fields["name_key"],
                    self._fields["company_id"],
                    self._fields["active"],
                ],
            )
        )
        ids = [row[0] for row in rows]
        # the user's own access rules decide what they may see
        return self.browse(ids)._filtered_access("read")[:limit]

    def _custcare_current_points(self):
        """What these points are now: a point that joined another ("same
        as", a merge) is the point it joined, following merges of merges;
        only points still active."""
        current = self.browse()
        for point in self:
            seen = set()
            while point.merged_into_id and point.id not in seen:
                seen.add(point.id)
                point = point.merged_into_id
            current |= point
        return current.filtered("active")

    @api.model_create_multi
    def create(self, vals_list):
        points = super().create(vals_list)
        for point in points.filtered("merged_into_id"):
            point._custcare_merge_into(point.merged_into_id)
        return points

    def write(self, vals):
        res = super().write(vals)
        if vals.get("merged_into_id") and not self.env.context.get("custcare_merging"):
            for point in self:
                point._custcare_merge_into(point.merged_into_id)
        return res

    def _custcare_merge_into(self, target):
        """These points say the same as ``target``: their customers join it
        (a done point tells the newcomers), and they are archived, pointing
        to it, keeping their conversation, ticket and history (a closed
        conversation or ticket still has its point)."""
        duplicates = self - target
        if not duplicates:
            return
        if duplicates.company_id != target.company_id:
            raise UserError(
                self.env._("Only points of the same company can be merged.")
            )
        customers = (duplicates.partner_id | duplicates.partner_ids) - (
            target.partner_id | target.partner_ids
        )
        if customers:
            target.partner_ids = [(4, partner.id) for partner in customers]
        for duplicate in duplicates:
            if duplicate.merged_into_id != target or duplicate.active:
                duplicate.with_context(custcare_merging=True).write(
                    {"active": False, "merged_into_id": target.id}
                )
                duplicate.message_post(
                    body=self.env._(
                        "Merged into “%(point)s”.", point=target.display_name
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        target.message_post(
            body=self.env._(
                "Also raised as: %(points)s (%(customers)s).",
                points=", ".join(duplicates.mapped("display_name")),
                customers=", ".join(
                    (duplicates.partner_id | duplicates.partner_ids).mapped(
                        "display_name"
                    )
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )
