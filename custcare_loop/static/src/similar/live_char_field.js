import { registry } from "@web/core/registry";
import { useDebounced } from "@web/core/utils/timing";
import { CharField, charField } from "@web/views/fields/char/char_field";
import { TextField, textField } from "@web/views/fields/text/text_field";

import { useComponent, useEffect } from "@odoo/owl";

/** How long typing pauses before the text is given to the form (ms). */
export const LIVE_DELAY = 400;

/**
 * The value of a text input reaches the form while the user types: a pause
 * of LIVE_DELAY ms updates the record, so onchanges (similar points) run
 * without leaving the field. The input stays the user's: Odoo's input hook
 * keeps it dirty until it is left, so an onchange never rewrites what is
 * being typed (a trailing space included).
 *
 * @param {() => HTMLElement} getInput the field's input or textarea
 */
export function useLiveCommit(getInput) {
    const component = useComponent();
    const commit = useDebounced(async () => {
        const input = getInput();
        if (!input) {
            return;
        }
        const value = component.parse(input.value);
        const { record, name } = component.props;
        if ((value || false) !== (record.data[name] || false)) {
            await record.update({ [name]: value });
        }
    }, LIVE_DELAY);
    useEffect(
        (input) => {
            if (!input) {
                return;
            }
            const onInput = () => commit();
            input.addEventListener("input", onInput);
            return () => input.removeEventListener("input", onInput);
        },
        () => [getInput()]
    );
}

export class CustcareLiveCharField extends CharField {
    setup() {
        super.setup();
        useLiveCommit(() => this.input.el);
    }
}

export class CustcareLiveTextField extends TextField {
    setup() {
        super.setup();
        useLiveCommit(() => this.textareaRef.el);
    }
}

registry.category("fields").add("custcare_live_char", {
    ...charField,
    component: CustcareLiveCharField,
});
registry.category("fields").add("custcare_live_text", {
    ...textField,
    component: CustcareLiveTextField,
});
