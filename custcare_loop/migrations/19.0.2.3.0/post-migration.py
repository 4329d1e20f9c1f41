"""19.0.2.3.0: a customer's health reasons are stored as codes and values
and shown in the reader's language (they were sentences in the language of
whoever ran the nightly job). The sentences stored before cannot be turned
back into codes: every customer's health is marked stale, and the nightly
job, woken now, rebuilds the reasons (score and state stay meanwhile)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE res_partner SET custcare_health_date = NULL"
        " WHERE custcare_health_date IS NOT NULL"
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.ref("custcare_loop.ir_cron_custcare_health")._trigger()
