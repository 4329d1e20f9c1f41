import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("custcare_loop_sale_stock_delay_tour", {
    steps: () => [
        {
            content: "The delivery shows the date promised to the customer",
            trigger: ".o_form_view .o_field_widget[name=date_deadline]",
        },
        {
            content: "Say why the delivery moves",
            trigger: ".o_form_view .o_field_widget[name=custcare_delay_reason] input",
            run: "edit The flour mill is late",
        },
        {
            content: "Open the scheduled date",
            trigger: ".o_form_view .o_field_widget[name=scheduled_date] button",
            run: "click",
        },
        {
            content: "Move the delivery past the promised date",
            trigger: ".o_form_view .o_field_widget[name=scheduled_date] input",
            run: "edit 12/31/2030 10:00:00 AM && press Enter",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
