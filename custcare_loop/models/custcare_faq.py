from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext

# a canned response's shortcut: what a rep types after "::"
MAX_SHORTCUT_CHARS = 40


class CustcareFaq(models.Model):
    """An FAQ entry that answers recurring concerns. Published, it is a
    canned response reps insert in the chatter and an entry of the public
    page /custcare/faq; unpublished, it is neither."""

    _name = "custcare.faq"
    _description = "Customer Care FAQ Entry"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(
        string="Question",
        required=True,
        translate=True,
        tracking=True,
    )
    answer = fields.Html(translate=True, sanitize_style=True)
    sequence = fields.Integer(default=10)
    is_published = fields.Boolean(
        string="Published",
        tracking=True,
        copy=False,
        help="Published entries are on the public FAQ page and are canned "
        "responses in the chatter.",
    )
    shortcut = fields.Char(
        help="Type “::” and this in the chatter to insert the answer.",
    )
    point_ids = fields.Many2many(
        comodel_name="custcare.improvement.point",
        relation="custcare_faq_point_rel",
        column1="faq_id",
        column2="point_id",
        string="Improvement Points",
        help="The concerns this entry answers.",
    )
    customer_count = fields.Integer(
        string="# Customers",
        compute="_compute_customer_count",
        store=True,
        help="Distinct customer companies who raised the concerns it answers.",
    )
    canned_response_id = fields.Many2one(
        comodel_name="mail.canned.response",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )

    @api.depends(
        "point_ids.partner_id.commercial_partner_id",
        "point_ids.partner_ids.commercial_partner_id",
    )
    def _compute_customer_count(self):
        for faq in self:
            partners = faq.point_ids.partner_id | faq.point_ids.partner_ids
            faq.customer_count = len(partners.commercial_partner_id)

    @api.constrains("shortcut")
    def _check_shortcut(self):
        for faq in self:
            shortcut = faq.shortcut or ""
            if len(shortcut) > MAX_SHORTCUT_CHARS or any(c.isspace() for c in shortcut):
                raise ValidationError(
                    self.env._(
                        "The shortcut “%(shortcut)s” must be one word of at most "
                        "%(max)s characters (reps type “::” and the shortcut).",
                        shortcut=shortcut[:60],
                        max=MAX_SHORTCUT_CHARS,
                    )
                )

    @api.model
    def _custcare_default_shortcut(self, name):
        words = "".join(c if c.isalnum() else " " for c in (name or "").lower()).split()
        return ("faq-" + "-".join(words[:4]))[:MAX_SHORTCUT_CHARS] or "faq"

    # ------------------------------------------------------------------
    # Canned responses follow publication
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("shortcut"):
                vals["shortcut"] = self._custcare_default_shortcut(vals.get("name"))
        faqs = super().create(vals_list)
        faqs._custcare_sync_canned_responses()
        return faqs

    def write(self, vals):
        res = super().write(vals)
        if {"is_published", "name", "answer", "shortcut"} & set(vals):
            self._custcare_sync_canned_responses()
        return res

    def unlink(self):
        # sudo: mail.canned.response - only its creator may delete a shared
        # response: the entry's managers keep it in step with the entry
        self.canned_response_id.sudo().unlink()
        return super().unlink()

    def _custcare_sync_canned_responses(self):
        """Published: a canned response shared with Customer Care users, kept
        up to date; unpublished: none."""
        group = self.env.ref("custcare_loop.group_custcare_user")
        # sudo: mail.canned.response - only its creator may edit a shared
        # response: whichever manager edits the entry keeps it in step
        Canned = self.env["mail.canned.response"].sudo()
        for faq in self:
            # sudo: mail.canned.response - see above
            canned = faq.canned_response_id.sudo()
            if not faq.is_published:
                canned.unlink()
                continue
            vals = {
                "source": faq.shortcut or self._custcare_default_shortcut(faq.name),
                "substitution": html2plaintext(faq.answer or "") or faq.name,
                "group_ids": [(6, 0, group.ids)],
            }
            if canned:
                canned.write(vals)
            else:
                # sudo: custcare.faq - the link to its response is bookkeeping,
                # read-only in the form
                faq.sudo().canned_response_id = Canned.create(vals)

    def action_publish(self):
        self.write({"is_published": True})

    def action_unpublish(self):
        self.write({"is_published": False})

    def _custcare_public_html(self):
        """The answer, as shown on the public page."""
        self.ensure_one()
        return self.answer or Markup("")
