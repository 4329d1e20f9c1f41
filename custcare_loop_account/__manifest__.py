# Copyright 2026 custcare_loop developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Care Loop - Invoicing",
    "summary": "Customer health knows what Odoo knows: invoices overdue, and by "
    "how many days",
    "version": "19.0.1.0.0",
    "category": "Sales/Customer Care",
    "license": "AGPL-3",
    "author": "custcare_loop developers",
    "website": "https://github.com/custcare-loop/custcare_loop",
    "depends": ["custcare_loop", "account"],
    "data": ["views/res_config_settings_views.xml"],
    "demo": ["demo/custcare_account_demo.xml"],
    "auto_install": True,
}
