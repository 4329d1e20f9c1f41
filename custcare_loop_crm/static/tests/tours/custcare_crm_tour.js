import { registry } from "@web/core/registry";

function fillLostDialog(words, competitor) {
    const steps = [
        {
            content: "Mark as Lost asks what the customer said we could do better",
            trigger: ".modal .o_field_widget[name=custcare_point] textarea",
            run: `edit ${words}`,
        },
    ];
    if (competitor) {
        steps.push(
            {
                content: "Say who won",
                trigger: ".modal .o_field_widget[name=custcare_competitor_id] input",
                run: `edit ${competitor}`,
            },
            {
                content: "Choose the competitor",
                trigger: `.o-autocomplete--dropdown-item .dropdown-item:contains(${competitor})`,
                run: "click",
            }
        );
    }
    steps.push({
        content: "Mark it lost",
        trigger: ".modal button[name=action_lost_reason_apply]",
        run: "click",
    });
    return steps;
}

registry.category("web_tour.tours").add("custcare_loop_crm_lost_tour", {
    steps: () => [
        {
            content: "Open the card's menu",
            trigger: ".o_kanban_record:contains(Tour deal from the card)",
            run: "hover && click .o_kanban_record:contains(Tour deal from the card) .o_dropdown_kanban .dropdown-toggle",
        },
        {
            content: "Mark as Lost, from the card",
            trigger: ".dropdown-menu .o_custcare_mark_lost",
            run: "click",
        },
        ...fillLostDialog("Your delivery is too late for breakfast", "Tour Rival Bakery"),
        {
            content: "The lost deal leaves the pipeline",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains(Tour deal from the card)))",
        },
        {
            content: "Open the other deal",
            trigger: ".o_kanban_record:contains(Tour deal from the form)",
            run: "click",
        },
        {
            content: "Lost, from the form",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Lost)",
            run: "click",
        },
        ...fillLostDialog("We need it sliced"),
        {
            content: "The deal shows lost: it can be restored",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Restore)",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_crm_similar_tour", {
    steps: () => [
        {
            content: "Lost, from the form",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Lost)",
            run: "click",
        },
        {
            content: "Type what the customer said, without leaving the field",
            trigger: ".modal .o_field_widget[name=custcare_point] textarea",
            run() {
                const textarea = this.anchor;
                textarea.focus();
                textarea.value = "Croissants arrive squashed";
                textarea.dispatchEvent(new InputEvent("input", { bubbles: true }));
            },
        },
        {
            content: "Another customer's similar point shows while typing; one click: same as",
            trigger:
                ".modal .o_custcare_similar_point:contains('Croissants arrive squashed in the box') button.o_custcare_same_as",
            run: "click",
        },
        {
            content: "It is chosen",
            trigger: ".modal .o_custcare_similar_point.table-active",
        },
        {
            content: "Mark it lost",
            trigger: ".modal button[name=action_lost_reason_apply]",
            run: "click",
        },
        {
            content: "The deal shows lost: it can be restored",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Restore)",
        },
    ],
});
