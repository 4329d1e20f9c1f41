import { registry } from "@web/core/registry";
import { useDebounced } from "@web/core/utils/timing";
import { CharField, charField } from "@web/views/fields/char/char_field";

import { useEffect } from "@odoo/owl";

/** How long typing pauses before the text is given to the form (ms). */
export const LIVE_DELAY = 400;

/**
 * A text field whose value reaches the form while the user types: a pause of
 * LIVE_DELAY ms updates the record, so onchanges (similar points) run without
 * leaving the field. The input stays the user's: Odoo's input hook keeps it
 * dirty until it is left, so an onchange never rewrites what is being typed
 * (a trailing space included).
 */
export class CustcareLiveCharField extends CharField {
    setup() {
        super.setup();
        this.commitTyped = useDebounced(this.commitTyped, LIVE_DELAY);
        useEffect(
            (input) => {
                if (!input) {
                    return;
                }
                const onInput = () => this.commitTyped();
                input.addEventListener("input", onInput);
                return () => input.removeEventListener("input", onInput);
            },
            () => [this.input.el]
        );
    }

    async commitTyped() {
        if (!this.input.el) {
            return;
        }
        const value = this.parse(this.input.el.value);
        const { record, name } = this.props;
        if ((value || false) !== (record.data[name] || false)) {
            await record.update({ [name]: value });
        }
    }
}

registry.category("fields").add("custcare_live_char", {
    ...charField,
    component: CustcareLiveCharField,
});
