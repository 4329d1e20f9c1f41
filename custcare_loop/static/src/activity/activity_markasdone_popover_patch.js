import { ActivityMarkAsDone } from "@mail/core/web/activity_markasdone_popover";
import { patch } from "@web/core/utils/patch";

/**
 * Marking a proactive contact done leads the rep to log the conversation
 * (and its improvement point) with what they just wrote.
 */
patch(ActivityMarkAsDone.prototype, {
    async onClickDone() {
        const activity = this.props.activity;
        if (activity.activity_category !== "custcare_contact") {
            return super.onClickDone(...arguments);
        }
        const { res_id, res_model } = activity;
        const thread = this.env.services["mail.store"].Thread.insert({
            model: res_model,
            id: res_id,
        });
        const action = await this.env.services.orm.call(
            "mail.activity",
            "action_custcare_done_log_conversation",
            [[activity.id]],
            { feedback: activity.feedback || false }
        );
        this.props.onActivityChanged(thread);
        await thread.fetchNewMessages();
        if (action) {
            // once the conversation is logged, show the customer's new state
            await this.env.services.action.doAction(action, {
                onClose: () => this.props.onActivityChanged(thread),
            });
        }
    },
});
