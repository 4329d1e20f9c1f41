# Copyright 2026 custcare_loop developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Care Loop - CRM",
    "summary": "A lost deal teaches too: the customer's words as an improvement "
    "point and the competitor that won, from Odoo's Mark as Lost",
    "version": "19.0.1.0.0",
    "category": "Sales/Customer Care",
    "license": "AGPL-3",
    "author": "custcare_loop developers",
    "website": "https://github.com/custcare-loop/custcare_loop",
    "depends": ["custcare_loop", "crm"],
    "data": [
        "security/ir.model.access.csv",
        "wizards/crm_lead_lost_views.xml",
        "views/crm_lead_views.xml",
        "views/custcare_improvement_point_views.xml",
        "views/custcare_menus.xml",
    ],
    "demo": ["demo/custcare_crm_demo.xml"],
    "assets": {
        "web.assets_tests": ["custcare_loop_crm/static/tests/tours/*.js"],
    },
    "auto_install": True,
}
