import { registry } from "@web/core/registry";

/**
 * Similar points while typing (issue 18): they show before the field is
 * left, one click chooses "same as", and a suggestion opens as a read-only
 * preview (another customer's point: no Mark as Done, no Decline).
 */

const POINT = "Croissants arrive squashed in the box";
const ROW = `.o_custcare_similar_point:contains('${POINT}')`;
const PREVIEW = ".modal:has(.o_field_widget[name=partner_ids])";

registry.category("web_tour.tours").add("custcare_loop_similar_points_tour", {
    steps: () => [
        {
            content: "Add Point & Close",
            trigger: ".o_form_view button[name=action_close_with_point]",
            run: "click",
        },
        {
            content: "Type the point, without leaving the field",
            trigger: ".modal .o_field_widget[name=name] input",
            run() {
                const input = this.anchor;
                input.focus();
                for (const text of ["Croiss", "Croissants arrive squ", "Croissants arrive squashed"]) {
                    input.value = text;
                    input.dispatchEvent(new InputEvent("input", { bubbles: true }));
                }
            },
        },
        {
            content: "The similar point shows while typing",
            trigger: `.modal ${ROW}`,
        },
        {
            content: "and the text being typed is left alone",
            trigger: ".modal .o_field_widget[name=name] input:value(Croissants arrive squashed)",
        },
        {
            content: "Open the suggestion",
            trigger: `.modal ${ROW} .o_custcare_similar_preview`,
            run: "click",
        },
        {
            content: "A read-only preview of the other customer's point",
            trigger: `${PREVIEW} .o_field_widget[name=partner_id]:contains('Tour Bistro Bob')`,
        },
        {
            content: "with nothing to edit and no Mark as Done or Decline",
            trigger: `${PREVIEW}:not(:has(button[name=action_done])):not(:has(button[name=action_decline])):not(:has(.o_field_widget[name=name] input))`,
        },
        {
            content: "Close the preview",
            trigger: `${PREVIEW} .modal-header .btn-close`,
            run: "click",
        },
        {
            content: "One click: same as",
            trigger: `.modal:not(${PREVIEW}) ${ROW} button.o_custcare_same_as`,
            run: "click",
        },
        {
            content: "The point is chosen",
            trigger: `.modal ${ROW}.table-active button.o_custcare_same_as.active`,
        },
        {
            content: "Record & Close",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The conversation is closed with its point",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Closed')",
        },
        {
            content: "and shows it",
            trigger: ".o_form_view button[name=action_view_improvement_points] .o_stat_value:contains('1')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_kanban_thermometer_tour", {
    steps: () => [
        {
            content: "The thermometer on a conversation's card",
            trigger: ".o_kanban_record:contains('Tour Thermo Customer') button.o_custcare_temperature",
            run: "click",
        },
        {
            content: "Hot",
            trigger: ".o_custcare_temperature_menu .o_custcare_temperature_hot",
            run: "click",
        },
        {
            content: "The card shows it at once",
            trigger: ".o_kanban_record:contains('Tour Thermo Customer') .o_custcare_temperature[title=Hot]",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_list_thermometer_tour", {
    steps: () => [
        {
            content: "The thermometer in a conversation's row",
            trigger: ".o_data_row:contains('Tour Thermo Customer') button.o_custcare_temperature",
            run: "click",
        },
        {
            content: "Warm",
            trigger: ".o_custcare_temperature_menu .o_custcare_temperature_warm",
            run: "click",
        },
        {
            content: "The row shows it at once",
            trigger: ".o_data_row:contains('Tour Thermo Customer') .o_custcare_temperature[title=Warm]",
        },
        {
            content: "and nothing is left to save",
            trigger: ".o_list_view:not(:has(.o_list_button_save:visible))",
        },
    ],
});
