from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import CustcareCommon


@tagged("post_install", "-at_install")
class TestOneContactRule(CustcareCommon):
    """What a contact is, written once: the day a message, a call or a
    conversation gives a customer as it happens is the day the recompute
    from every source finds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.tz = "Pacific/Auckland"
        cls.agent.tz = "America/Los_Angeles"
        cls.other = cls.env["res.partner"].create(
            {"name": "Other Bistro", "is_company": True, "user_id": cls.manager.id}
        )
        cls.bo = cls.env["res.partner"].create(
            {"name": "Bo Bistro", "parent_id": cls.other.id, "email": "bo@example.com"}
        )
        cls.tia = cls.env["res.partner"].create({"name": "Tia Twozones"})
        cls.shared = cls.env["res.partner"].create(
            {"name": "Sam Shared", "email": "sam@example.com", "company_id": False}
        )
        cls.portal_partner = cls.env["res.partner"].create(
            {"name": "Pia Portal", "parent_id": cls.customer.id}
        )
        new_test_user(
            cls.env,
            login="custcare_pia",
            groups="base.group_portal",
            partner_id=cls.portal_partner.id,
        )
        cls.leaver = new_test_user(
            cls.env,
            login="custcare_leaver",
            groups="custcare_loop.group_custcare_user",
            tz="Asia/Tokyo",
        )
        cls.gone = new_test_user(
            cls.env, login="custcare_gone_before", groups="base.group_user"
        )
        cls.gone.active = False

    def _write(self, record, user, partners, moment, **kwargs):
        values = {
            "body": "About your order",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            "partner_ids": partners.ids,
        }
        values.update(kwargs)
        with freeze_time(moment):
            record.with_user(user).message_post(**values)

    def _everyone(self):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("create_date", "!=", False)])
        )

    def test_recomputing_from_scratch_changes_nothing(self):
        self.maxDiff = None
        ticket = self._create_ticket()
        bo_ticket = self._create_ticket(partner_id=self.bo.id)
        # a rep's message on an open conversation, 00:30 on 2 March in
        # Auckland
        self._write(
            self._create_conversation(), self.rep, self.contact, "2027-03-01 11:30:00"
        )
        # two colleagues around midnight: Auckland on 2 March (12:00 UTC),
        # then Los Angeles on 1 March (20:00 UTC, later in UTC)
        self._write(
            self._create_conversation(partner_id=self.tia.id),
            self.rep,
            self.tia,
            "2027-03-01 12:00:00",
        )
        self._write(bo_ticket, self.agent, self.tia, "2027-03-01 20:00:00")
        # an internal note naming a customer
        self._write(
            bo_ticket,
            self.agent,
            self.bo,
            "2027-03-09 10:00:00",
            subtype_xmlid="mail.mt_note",
        )
        # a customer's email copying another customer
        self._write(
            bo_ticket,
            self.env.ref("base.user_root"),
            self.shared,
            "2027-03-09 11:00:00",
            author_id=self.bo.id,
            message_type="email",
        )
        # OdooBot, and an automated message
        self._write(ticket, self.env.ref("base.user_root"), self.contact, "2027-03-10")
        self._write(
            ticket,
            self.agent,
            self.contact,
            "2027-03-10",
            message_type="auto_comment",
        )
        # a template signed by a colleague, to a portal customer, 23:00 on
        # 3 March in Los Angeles is 4 March in Auckland
        self._write(
            ticket,
            self.agent,
            self.portal_partner,
            "2027-03-04 07:00:00",
            author_id=self.rep.partner_id.id,
        )
        # an employee archived before, writing by email
        self._write(
            bo_ticket,
            self.env.ref("base.user_root"),
            self.bo,
            "2027-03-05 12:00:00",
            author_id=self.gone.partner_id.id,
            message_type="email",
        )
        # a rep who leaves afterwards: their contact stays
        self._write(
            self._create_conversation(user=self.leaver, partner_id=self.shared.id),
            self.leaver,
            self.shared,
            "2027-03-06 16:00:00",
        )
        self.leaver.active = False
        # to a colleague and a customer at once
        self._write(
            bo_ticket,
            self.agent,
            self.employee.partner_id | self.other,
            "2027-03-03 20:00:00",
        )
        # a call done on a customer, in the evening in Los Angeles
        with freeze_time("2027-03-07 02:00:00"):
            call = self.other.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.agent.id
            )
            call.with_user(self.agent).action_feedback(feedback="Talked")
        # conversations: one kept, one deleted
        with freeze_time("2027-03-08 09:00:00"):
            for _i in range(2):
                conversation = self._create_conversation(
                    partner_id=self.shared.id,
                    improvement_point_ids=[
                        (0, 0, {"name": "Rye", "partner_id": self.shared.id})
                    ],
                )
                conversation.action_close()
        with freeze_time("2027-03-09 09:00:00"):
            late = self._create_conversation(
                partner_id=self.shared.id,
                improvement_point_ids=[
                    (0, 0, {"name": "Rye", "partner_id": self.shared.id})
                ],
            )
            late.action_close()
        late.with_user(self.manager).unlink()

        everyone = self._everyone()
        as_they_happened = {
            partner: partner.custcare_last_contact_date for partner in everyone
        }
        self.assertEqual(
            {
                partner: day
                for partner, day in as_they_happened.items()
                if day and partner.create_date >= self.customer.create_date
            },
            {
                self.customer: date(2027, 3, 4),
                self.contact: date(2027, 3, 2),
                self.portal_partner: date(2027, 3, 4),
                self.other: date(2027, 3, 6),
                self.bo: date(2027, 3, 5),
                self.shared: date(2027, 3, 8),
                self.tia: date(2027, 3, 2),
            },
        )
        everyone._custcare_update_last_contact_date()
        self.env.invalidate_all()
        self.assertEqual(
            {partner: partner.custcare_last_contact_date for partner in everyone},
            as_they_happened,
        )
