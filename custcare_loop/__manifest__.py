# Copyright 2026 custcare_loop developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Care Loop",
    "summary": "Improvement points before closing, proactive contact, "
    "competitor mentions and closing the loop with customers",
    "version": "19.0.1.1.0",
    "category": "Sales/Customer Care",
    "license": "AGPL-3",
    "author": "custcare_loop developers",
    "website": "https://github.com/custcare-loop/custcare_loop",
    "depends": ["mail", "contacts", "base_automation", "helpdesk_mgmt"],
    "data": [
        "security/custcare_security.xml",
        "security/ir.model.access.csv",
        "data/custcare_improvement_aspect_data.xml",
        "data/helpdesk_ticket_stage_data.xml",
        "data/mail_activity_data.xml",
        "wizards/custcare_close_wizard_views.xml",
        "views/custcare_improvement_aspect_views.xml",
        "views/custcare_improvement_point_views.xml",
        "views/custcare_conversation_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/custcare_tier_views.xml",
        "views/res_partner_views.xml",
        "views/custcare_campaign_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_templates.xml",
        "views/custcare_menus.xml",
    ],
    "demo": ["demo/custcare_demo.xml"],
    "assets": {
        "web.assets_backend": ["custcare_loop/static/src/**/*.js"],
        "web.assets_tests": ["custcare_loop/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": True,
}
