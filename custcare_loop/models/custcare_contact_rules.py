from odoo import api, models, tools
from odoo.tools import SQL

from ..utils.care_dates import local_day

# messages a person writes; notes, notifications and automated mails are not
PERSONAL_MESSAGE_TYPES = ("comment", "email")
# activity types whose completion on a customer is a contact (a proactive
# contact counts through the conversation that completes it)
CONTACT_ACTIVITY_CATEGORIES = ("phonecall", "meeting")
# who wrote a message (see _message_author_kind)
CUSTOMER = "customer"
COLLEAGUE = "colleague"


class CustcareContactRules(models.AbstractModel):
    """Who is a customer and what counts as a contact with one, in one
    place. A customer is a partner without internal user
    (``_is_customer_sql``); who wrote a message is answered once, for every
    listener (``_message_author_kind``). A contact is, with a customer: a
    closed conversation (which also completes a proactive contact); a call
    or a meeting marked done on them; a message one of ours wrote to them
    (comment or email, not an internal note, they among its recipients) on
    any record. Each is dated on the calendar day of whoever made it, in
    their time zone. The same rules serve a message as it is posted and the
    recompute from every source (``_last_contact_days``); the partner only
    combines them."""

    _name = "custcare.contact.rules"
    _description = "Customer Care: what counts as a contact"

    # ------------------------------------------------------------------
    # One message, as it is posted
    # ------------------------------------------------------------------

    @api.model
    def _listening(self):
        """Whether the addon reacts to posted messages (contacts, replies
        awaited, temperature suggestions, competitor mentions). The context
        key ``custcare_skip_message_hooks`` turns it off, for bulk imports of
        old mail and for benchmarks."""
        return not self.env.context.get("custcare_skip_message_hooks")

    @api.model
    @tools.ormcache()
    def _internal_subtype_ids(self):
        """Internal subtypes (notes, internal notifications). Asked on every
        posted message, so cached; Odoo clears the cache whenever a subtype
        is created, changed or deleted."""
        # sudo: mail.message.subtype - the ids of internal subtypes, the same
        # for every user; a portal customer's post asks it too
        subtypes = self.env["mail.message.subtype"].sudo()
        return frozenset(subtypes.search([("internal", "=", True)]).ids)

    @api.model
    def _message_author_kind(self, msg_values):
        """Who wrote posted values: the one answer the four listeners
        (contacts, replies awaited, temperature suggestions, competitor
        mentions) use.

        - ``COLLEAGUE``: one of ours wrote a comment or an email;
        - ``CUSTOMER``: anyone else wrote one: a contact, a portal user, a
          sender known only by address;
        - ``None``: no person's message: a note (an internal subtype), an
          automated message or a notification, or OdooBot's.

        One of ours is a partner with an internal user, active or archived
        (see ``_is_customer_sql``). Each listener asks; what costs a query
        is answered once: no query when the current user or another active
        colleague writes (Odoo's ``partner_share`` tells the latter), else
        one per author and transaction."""
        if msg_values.get("message_type") not in PERSONAL_MESSAGE_TYPES:
            return None
        if msg_values.get("subtype_id") in self._internal_subtype_ids():
            return None
        author_id = msg_values.get("author_id")
        if not author_id:
            return CUSTOMER if msg_values.get("email_from") else None
        if author_id == self._odoobot_partner_id():
            return None
        user = self.env.user
        if author_id == user.partner_id.id and user._is_internal():
            return COLLEAGUE  # a rep writing as themselves, the usual case
        # sudo: res.partner - whether the author has an active internal user,
        # which Odoo read with the partner when it found the author
        if not self.env["res.partner"].sudo().browse(author_id).partner_share:
            return COLLEAGUE  # a template signed by a colleague: no query
        # a memo that lives as long as the transaction: the data of the
        # post-commit callbacks is emptied after a commit and by a rollback,
        # and, unlike the pre-commit one, not by the flushes savepoints make
        # (cr.cache outlives commits and rollbacks: an author made an
        # employee since would stay a customer). Within the transaction it
        # is kept, through a savepoint rolled back too: a user given to or
        # taken from the author later in the same transaction is not seen
        known = self.env.cr.postcommit.data.setdefault(
            "custcare_loop.customer_authors", {}
        )
        if author_id not in known:
            known[author_id] = bool(self._customers_among([author_id]))
        return CUSTOMER if known[author_id] else COLLEAGUE

    @api.model
    def _odoobot_partner_id(self):
        """OdooBot's partner: the system writing, neither ours nor a
        customer (xmlids are cached by Odoo)."""
        return self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root")

    @api.model
    def _is_customer_sql(self, partner_id):
        """SQL condition, the definition of a customer: the partner of id
        ``partner_id`` (SQL) has no internal user, active or archived. A
        portal user, a contact without user and a company are customers;
        an employee is not, nor is one whose user was archived since (their
        messages stay contacts made by us, and archiving a user changes
        nobody's status); OdooBot is not. Whether a partner is shared by
        several companies does not matter."""
        users = self.env["res.users"]
        return SQL(
            "NOT EXISTS (SELECT 1 FROM res_users u"
            " WHERE u.partner_id = %s AND u.share IS NOT TRUE)",
            partner_id,
            to_flush=(users._fields["partner_id"], users._fields["share"]),
        )

    @api.model
    def _customers_among(self, partner_ids):
        """The customers among ``partner_ids``; one query."""
        if not partner_ids:
            return self.env["res.partner"]
        rows = self.env.execute_query(
            SQL(
                "SELECT c.id FROM res_partner c WHERE c.id IN %s AND %s",
                tuple(partner_ids),
                self._is_customer_sql(SQL("c.id")),
            )
        )
        return self.env["res.partner"].browse(row[0] for row in rows)

    @api.model
    def _contact_of_message(self, message, msg_values):
        """(ids of the partners it was sent to, day) when posted values are
        one of ours writing, else None. Which of them are customers is
        decided where the contact is registered, in the same statement. The
        day is the author's: the current user's, or that of the colleague a
        message is signed by (a template sent as the salesperson)."""
        partner_ids = msg_values.get("partner_ids")
        if not partner_ids or not self._listening():
            return None
        if self._message_author_kind(msg_values) != COLLEAGUE:
            return None
        user = self.env.user
        author_id = msg_values["author_id"]
        if author_id == user.partner_id.id:
            author = user
        else:
            # sudo: res.partner - only the signing colleague's time zone
            author = self.env["res.partner"].sudo().browse(author_id)
        return list(partner_ids), local_day(author, message.date)

    @api.model
    def _not_colleagues(self, partner_ids, recipients_data):
        """Those of ``partner_ids`` that Odoo's recipients data (what
        ``_notify_thread`` read about them) does not know as having an
        internal user: the ones who may be customers. No query."""
        colleagues = {
            data["id"] for data in recipients_data if data["id"] and not data["share"]
        }
        return [
            partner_id for partner_id in partner_ids if partner_id not in colleagues
        ]

    @api.model
    def _already_contacted(self, partner_ids, day):
        """Whether what is loaded already says that each of ``partner_ids``
        and its company was last contacted on ``day`` or later: the same
        customer written to again in one transaction (a loop, the composer on
        several of their records), when the statement would change nothing.
        Only the cache is read: whatever is not loaded is left to the
        statement."""
        for partner in self.env["res.partner"].browse(partner_ids):
            if "commercial_partner_id" not in partner._cache:
                return False
            company = partner.browse(partner._cache["commercial_partner_id"])
            for person in (partner, company):
                cache = person._cache if person else {}
                if "custcare_last_contact_date" not in cache:
                    return False
                last = cache["custcare_last_contact_date"]
                if not last or last < day:
                    return False
        return True

    @api.model
    def _is_contact_activity_type(self, activity_type):
        """Whether completing an activity of ``activity_type`` on a customer
        is a contact: a call or a meeting (Odoo's own types, or any type of
        their categories). No query."""
        if not activity_type:
            return False
        if activity_type.category in CONTACT_ACTIVITY_CATEGORIES:
            return True
        return activity_type.id in self._odoo_contact_activity_type_ids()

    @api.model
    def _odoo_contact_activity_type_ids(self):
        """Odoo's Call and Meeting activity types, wherever their category
        was changed to (xmlids are cached by Odoo)."""
        data = self.env["ir.model.data"]
        return {
            data._xmlid_to_res_id(xmlid)
            for xmlid in (
                "mail.mail_activity_data_call",
                "mail.mail_activity_data_meeting",
            )
        } - {False, None}

    # ------------------------------------------------------------------
    # Every source, for recomputing partners' last contact
    # ------------------------------------------------------------------

    @api.model
    def _last_contact_days(self, partners):
        """{partner id: day of the latest contact} for ``partners``, from
        every source, under the rules a posted message is counted by: only
        customers are contacted (an employee's partner gets no day of their
        own), and a contact with a person counts for their company too. Messages
        imported with ``custcare_skip_message_hooks`` count here."""
        if not partners:
            return {}
        wanted = set(partners.ids)
        Partner = self.env["res.partner"]
        # the customers among the partners and their people (archived too)
        commercial = dict(
            self.env.execute_query(
                SQL(
                    """SELECT c.id, c.commercial_partner_id FROM res_partner c
                        WHERE (c.id IN %(ids)s OR c.commercial_partner_id IN %(ids)s)
                          AND %(customer)s""",
                    ids=tuple(partners.ids),
                    customer=self._is_customer_sql(SQL("c.id")),
                    to_flush=Partner._fields["commercial_partner_id"],
                )
            )
        )
        if not commercial:
            return {}
        # sudo: res.partner - every contact of the customers counts,
        # whatever the user who caused the recompute may read
        people = Partner.sudo().browse(commercial)
        last = {}

        def count(person_id, day):
            for partner_id in {person_id, commercial.get(person_id)}:
                if partner_id in wanted and (
                    partner_id not in last or day > last[partner_id]
                ):
                    last[partner_id] = day

        for person_id, day in self._conversation_days(people):
            count(person_id, day)
        for person_id, day in self._activity_days(people):
            count(person_id, day)
        for person_id, day in self._message_days(people):
            count(person_id, day)
        return last

    @api.model
    def _conversation_days(self, people):
        # sudo: custcare.conversation - every closed conversation is a
        # contact, whoever logged it and whoever caused the recompute
        conversations = (
            self.env["custcare.conversation"]
            .sudo()
            .search_fetch(
                [("state", "=", "closed"), ("partner_id", "in", people.ids)],
                ["date", "partner_id", "user_id", "create_uid"],
            )
        )
        for conversation in conversations:
            yield conversation.partner_id.id, conversation._custcare_local_date()

    @api.model
    def _contact_activity_types(self):
        """Calls and meetings: Odoo's own types and any type of their
        categories."""
        # sudo: mail.activity.type - the same types for every user
        return (
            self.env["mail.activity.type"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("category", "in", CONTACT_ACTIVITY_CATEGORIES),
                    ("id", "in", list(self._odoo_contact_activity_type_ids())),
                ]
            )
        )

    @api.model
    def _activity_days(self, people):
        types = self._contact_activity_types()
        if not types:
            return
        # sudo: mail.activity - every call or meeting done on the customers
        # counts, whoever did it and whatever the user who caused the
        # recompute may read
        done = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("active", "=", False),
                    ("activity_type_id", "in", types.ids),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", people.ids),
                    ("date_done", "!=", False),
                ],
                ["res_id"],
                ["date_done:max"],
            )
        )
        yield from done

    @api.model
    def _message_days(self, people):
        """The latest message one of ours wrote to each of ``people``, on its
        author's day: what ``_message_author_kind`` calls a colleague's
        comment or email. One query: the latest message per recipient and
        author (the latest in UTC is not always the latest day when two
        colleagues live in different time zones; one author's are)."""
        Message = self.env["mail.message"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.res_partner_id, m.author_id, max(m.date)
                  FROM mail_message_res_partner_rel rel
                  JOIN mail_message m ON m.id = rel.mail_message_id
             LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
                 WHERE rel.res_partner_id IN %(people)s
                   AND m.message_type IN %(types)s
                   AND st.internal IS NOT TRUE
                   AND m.author_id != %(odoobot)s
                   AND NOT %(author_is_customer)s
              GROUP BY rel.res_partner_id, m.author_id
                """,
                people=tuple(people.ids),
                types=PERSONAL_MESSAGE_TYPES,
                odoobot=self._odoobot_partner_id(),
                author_is_customer=self._is_customer_sql(SQL("m.author_id")),
                to_flush=[
                    Message._fields[name]
                    for name in (
                        "partner_ids",
                        "date",
                        "author_id",
                        "message_type",
                        "subtype_id",
                    )
                ]
                + [self.env["mail.message.subtype"]._fields["internal"]],
            )
        )
        # sudo: res.partner - the authors' time zones only
        authors = self.env["res.partner"].sudo().browse({row[1] for row in rows})
        authors.fetch(["tz"])
        for partner_id, author_id, date in rows:
            yield partner_id, local_day(authors.browse(author_id), date)
