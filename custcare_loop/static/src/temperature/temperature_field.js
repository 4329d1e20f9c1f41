import { Component } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const LOOKS = {
    false: { icon: "fa-thermometer-empty", color: "text-muted" },
    calm: { icon: "fa-thermometer-quarter", color: "text-success" },
    warm: { icon: "fa-thermometer-half", color: "text-warning" },
    hot: { icon: "fa-thermometer-three-quarters", color: "text-danger" },
    boiling: { icon: "fa-thermometer-full", color: "text-danger fw-bold" },
};

/** The customer's temperature as a thermometer, set in one click (also on
 * a kanban card, where it saves at once). */
export class CustcareTemperatureField extends Component {
    static template = "custcare_loop.TemperatureField";
    static components = { Dropdown, DropdownItem };
    static props = {
        ...standardFieldProps,
        autosave: { type: Boolean, optional: true },
        showLabel: { type: Boolean, optional: true },
    };
    static defaultProps = { showLabel: true };

    get value() {
        return this.props.record.data[this.props.name] || false;
    }
    get options() {
        return [
            [false, _t("Not judged")],
            ...this.props.record.fields[this.props.name].selection,
        ];
    }
    get label() {
        return this.options.find(([value]) => value === this.value)[1];
    }
    look(value) {
        return LOOKS[value] || LOOKS.false;
    }
    async select(value) {
        await this.props.record.update(
            { [this.props.name]: value },
            { save: this.props.autosave }
        );
    }
}

export const custcareTemperatureField = {
    component: CustcareTemperatureField,
    displayName: _t("Customer Temperature"),
    supportedTypes: ["selection"],
    // Odoo shows a field of a record not in edition (a kanban card, a list
    // row) read-only unless its widget says otherwise, as the priority stars do
    extractProps: ({ options, viewType }, dynamicInfo) => ({
        autosave: viewType === "kanban" || viewType === "list",
        showLabel: !options.hide_label,
        readonly: dynamicInfo.readonly,
    }),
};

registry.category("fields").add("custcare_temperature", custcareTemperatureField);
