import { ActivityMarkAsDone } from "@mail/core/web/activity_markasdone_popover";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

/**
 * A proactive contact is done when its conversation is logged: the popover
 * offers "Log the Conversation" (the contact completes when the conversation
 * closes; discarding it leaves the contact to do) or "Not Reached" with the
 * reason, which is recorded and plans the next try (the rep is told when).
 * "Done & Schedule Next" does not apply.
 */
patch(ActivityMarkAsDone.prototype, {
    get isCustcareContact() {
        return this.props.activity.activity_category === "custcare_contact";
    },

    _custcareThread() {
        const { res_id, res_model } = this.props.activity;
        return this.env.services["mail.store"].Thread.insert({
            model: res_model,
            id: res_id,
        });
    },

    async onClickCustcareLogConversation() {
        const activity = this.props.activity;
        const thread = this._custcareThread();
        const action = await this.env.services.orm.call(
            "mail.activity",
            "action_custcare_log_conversation",
            [[activity.id]],
            { feedback: activity.feedback || false }
        );
        this.props.close?.();
        await this.env.services.action.doAction(action, {
            onClose: async () => {
                this.props.onActivityChanged(thread);
                await thread.fetchNewMessages();
            },
        });
    },

    async onClickCustcareNotReached() {
        const activity = this.props.activity;
        if (!(activity.feedback || "").trim()) {
            this.env.services.notification.add(
                _t("Write why no conversation took place, then click Not Reached."),
                { type: "warning" }
            );
            return;
        }
        const thread = this._custcareThread();
        // the retry planned, said to the rep (a notification)
        const action = await this.env.services.orm.call(
            "mail.activity",
            "action_custcare_not_reached",
            [[activity.id]],
            { feedback: activity.feedback }
        );
        this.props.close?.();
        this.props.onActivityChanged(thread);
        if (action && typeof action === "object") {
            await this.env.services.action.doAction(action);
        }
        await thread.fetchNewMessages();
    },
});
