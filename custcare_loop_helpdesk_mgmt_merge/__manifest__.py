# Copyright 2026 custcare_loop developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Care Loop - Helpdesk Ticket Merge",
    "summary": "Merging tickets with helpdesk_mgmt_merge keeps every merged "
    "ticket's improvement points, competitor mentions and customer answers",
    "version": "19.0.1.0.0",
    "category": "Sales/Customer Care",
    "license": "AGPL-3",
    "author": "custcare_loop developers",
    "website": "https://github.com/custcare-loop/custcare_loop",
    "depends": ["custcare_loop", "helpdesk_mgmt_merge"],
    "auto_install": True,
}
