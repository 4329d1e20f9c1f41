# Copyright 2026 custcare_loop developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Care Loop - Helpdesk Rating",
    "summary": "One email on resolution when helpdesk_mgmt_rating is installed "
    "too: the resolution notice takes the place of its rating request",
    "version": "19.0.1.0.0",
    "category": "Sales/Customer Care",
    "license": "AGPL-3",
    "author": "custcare_loop developers",
    "website": "https://github.com/custcare-loop/custcare_loop",
    "depends": ["custcare_loop", "helpdesk_mgmt_rating"],
    "auto_install": True,
}
