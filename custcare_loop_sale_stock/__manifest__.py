# Copyright 2026 custcare_loop developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Care Loop - Deliveries",
    "summary": "If the time frame stretches, tell the customer at once: a "
    "delivery moved past the date promised, or late, is told to the customer",
    "version": "19.0.1.0.0",
    "category": "Sales/Customer Care",
    "license": "AGPL-3",
    "author": "custcare_loop developers",
    "website": "https://github.com/custcare-loop/custcare_loop",
    "depends": ["custcare_loop", "sale_stock"],
    "data": [
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
        "views/custcare_menus.xml",
    ],
    "demo": ["demo/custcare_sale_stock_demo.xml"],
    "assets": {
        "web.assets_tests": ["custcare_loop_sale_stock/static/tests/tours/*.js"],
    },
    "auto_install": True,
}
