import { WarningDialog } from "@web/core/errors/error_dialogs";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Closing was refused for want of an improvement point: the fix is one click
 * away, in the same message (kanban drag, statusbar, Close button, list edit).
 */
export class MissingImprovementPointDialog extends WarningDialog {
    static template = "custcare_loop.MissingImprovementPointDialog";

    setup() {
        super.setup();
        this.title = _t("An improvement point first");
        this.orm = useService("orm");
        this.actionService = useService("action");
    }

    get record() {
        return (this.props.data && this.props.data.context) || {};
    }

    /**
     * Open the fix the server offers for the refused record (a wizard), then
     * reload the board or form that refused, which shows the record done.
     */
    async openFix(method, context = {}) {
        const { custcare_model, custcare_res_id } = this.record;
        const action = await this.orm.call(custcare_model, method, [[custcare_res_id]], {
            context,
        });
        this.props.close();
        await this.actionService.doAction(action, {
            onClose: () => this.actionService.doAction("soft_reload"),
        });
    }

    onAddPointAndClose() {
        const { custcare_stage_id } = this.record;
        return this.openFix("action_custcare_close_with_point", { custcare_stage_id });
    }
}

registry
    .category("error_dialogs")
    .add(
        "odoo.addons.custcare_loop.exceptions.MissingImprovementPoint",
        MissingImprovementPointDialog
    );

/**
 * A point moved to Done by a drag (or the like) was refused: marking it done
 * tells its customers, so "Mark as Done" (what was done, who will be told)
 * is offered right in the message.
 */
export class PointDoneNeedsConfirmationDialog extends MissingImprovementPointDialog {
    static template = "custcare_loop.PointDoneNeedsConfirmationDialog";

    setup() {
        super.setup();
        this.title = _t("Tell the customers what was done");
    }

    onMarkAsDone() {
        return this.openFix("action_done");
    }
}

registry
    .category("error_dialogs")
    .add(
        "odoo.addons.custcare_loop.exceptions.PointDoneNeedsConfirmation",
        PointDoneNeedsConfirmationDialog
    );
