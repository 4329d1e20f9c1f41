"""19.0.2.1.0 keeps every temperature a customer was judged at, over time
(custcare.temperature.log). A database upgraded from 19.0.2.0.0 starts that
history with the temperatures its tickets and conversations hold, dated when
the record was last changed (a conversation: its date)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Log = env["custcare.temperature.log"]
    for model, field, date_field in (
        ("custcare.conversation", "temperature", "date"),
        ("helpdesk.ticket", "custcare_temperature", "write_date"),
    ):
        logged = set(Log.search([("res_model", "=", model)]).mapped("res_id"))
        records = (
            env[model].with_context(active_test=False).search([(field, "!=", False)])
        )
        Log.create(
            [
                {
                    "date": record[date_field] or record.create_date,
                    "partner_id": record.partner_id.id,
                    "temperature": record[field],
                    "user_id": record.write_uid.id,
                    "res_model": model,
                    "res_id": record.id,
                    "source_name": record.display_name,
                    "company_id": record.company_id.id,
                }
                for record in records
                if record.partner_id and record.id not in logged
            ]
        )
