import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { FormViewDialog } from "@web/views/view_dialogs/form_view_dialog";

import { Component } from "@odoo/owl";

const PREVIEW_VIEW = "custcare_loop.custcare_improvement_point_view_form_preview";

/**
 * The similar points shown while a point is recorded: one click on "Same as"
 * chooses a point (again: unchooses it), a click on its text opens a
 * read-only preview of it (another customer's point: nothing to edit, no
 * Mark as Done or Decline).
 */
export class CustcareSimilarPointsField extends Component {
    static template = "custcare_loop.SimilarPointsField";
    static props = { ...standardFieldProps, sameAsField: String };

    setup() {
        this.dialog = useService("dialog");
    }

    get points() {
        return this.props.record.data[this.props.name].records;
    }
    get chosenId() {
        return this.props.record.data[this.props.sameAsField]?.id || false;
    }
    stateLabel(point) {
        const selection = point.fields.state?.selection || [];
        return (selection.find(([value]) => value === point.data.state) || [])[1] || "";
    }
    async choose(point) {
        const value =
            this.chosenId === point.resId
                ? false
                : { id: point.resId, display_name: point.data.name };
        await this.props.record.update({ [this.props.sameAsField]: value });
    }
    preview(point) {
        this.dialog.add(FormViewDialog, {
            resModel: point.resModel,
            resId: point.resId,
            title: point.data.name,
            context: { form_view_ref: PREVIEW_VIEW },
            readonly: true,
            preventEdit: true,
            preventCreate: true,
            canExpand: false,
        });
    }
}

registry.category("fields").add("custcare_similar_points", {
    component: CustcareSimilarPointsField,
    supportedTypes: ["many2many"],
    // the points' fields come from the field's inline <list> (name,
    // customer_count, state)
    extractProps: ({ options }) => ({ sameAsField: options.same_as_field }),
});
