import { registry } from "@web/core/registry";

/**
 * What a person clicks in the first week (issue 18): a proactive contact not
 * reached plans the next try and says so; the top bar's Proactive Contact
 * group lists proactive contacts only; the "advantage" ribbon is not cut off.
 */

registry.category("web_tour.tours").add("custcare_loop_not_reached_tour", {
    steps: () => [
        {
            content: "Mark the proactive contact done",
            trigger: ".o-mail-Activity:contains('Proactive contact') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Say why no conversation took place",
            trigger: ".o-mail-ActivityMarkAsDone textarea",
            run: "edit Closed for holidays",
        },
        {
            content: "Not Reached",
            trigger: ".o-mail-ActivityMarkAsDone button.o_custcare_not_reached",
            run: "click",
        },
        {
            content: "The rep is told when the next try is",
            trigger:
                ".o_notification:contains('a new proactive contact with Tour Unreachable Inn is planned for')",
        },
        {
            content: "and finds it on the customer, in three days",
            trigger: ".o-mail-Activity:contains('Proactive contact'):contains('Due in 3 days')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_proactive_group_tour", {
    steps: () => [
        {
            content: "Open the activities of the top bar",
            trigger: ".o_menu_systray i[aria-label='Activities']",
            run: "click",
        },
        {
            content: "Open the Proactive Contact group",
            trigger: ".o-mail-ActivityGroup:contains('Proactive Contact')",
            run: "click",
        },
        {
            content: "It lists the late proactive contact",
            trigger: ".o_list_view .o_data_row:contains('Tour Late Lindenhof'):contains('Proactive contact')",
        },
        {
            content: "and not the campaign's call due today on another customer",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Call ahead of the change'))):not(:has(.o_data_row:contains('Tour Fresh Market')))",
        },
        {
            content: "A row opens its customer",
            trigger: ".o_list_view .o_data_row:contains('Tour Late Lindenhof') td[name=res_name]",
            run: "click",
        },
        {
            content: "The customer's form",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('Tour Late Lindenhof'), .o_form_view .o_field_widget[name=name] input:value(Tour Late Lindenhof)",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_advantage_ribbon_tour", {
    steps: () => [
        {
            content: "A point turned into an advantage wears its ribbon",
            trigger: ".o_form_view .ribbon span:contains('Advantage')",
        },
        {
            content: "The ribbon's text is whole, not cut off by the corner",
            trigger: ".o_form_view .ribbon span:contains('Advantage')",
            run() {
                const span = this.anchor;
                const corner = span.parentElement.getBoundingClientRect();
                const range = document.createRange();
                range.selectNodeContents(span);
                const text = range.getBoundingClientRect();
                const inside =
                    text.left >= corner.left - 1 &&
                    text.right <= corner.right + 1 &&
                    text.top >= corner.top - 1 &&
                    text.bottom <= corner.bottom + 1;
                if (!inside) {
                    throw new Error(
                        `The ribbon's text "${span.textContent.trim()}" overflows its corner`
                    );
                }
            },
        },
        {
            content: "The full words are its tooltip",
            trigger: ".o_form_view .ribbon span[title='Turned into an advantage']",
        },
    ],
});
