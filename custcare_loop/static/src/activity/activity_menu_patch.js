import { ActivityMenu } from "@mail/core/web/activity_menu";
import { patch } from "@web/core/utils/patch";

/**
 * The top bar's "Proactive Contact" group opens the proactive contacts
 * themselves (each row opens its customer), filtered as the link clicked says
 * (late, today, future), rather than the customers with every other activity
 * they have (a campaign's call) filtered by the nearest of those.
 */
patch(ActivityMenu.prototype, {
    openActivityGroup(group, filter = "all", newWindow) {
        if (!group.custcare_action) {
            return super.openActivityGroup(...arguments);
        }
        this.dropdown.close();
        const context = {};
        if (filter === "all" || filter === "overdue") {
            context.search_default_filter_date_deadline_past = 1;
        }
        if (filter === "all" || filter === "today") {
            context.search_default_filter_date_deadline_today = 1;
        }
        if (filter === "upcoming_all") {
            context.search_default_filter_date_deadline_future = 1;
        }
        return this.action.doAction(group.custcare_action, {
            newWindow,
            clearBreadcrumbs: true,
            additionalContext: context,
        });
    },
});
