import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("custcare_loop_conversation_tour", {
    steps: () => [
        {
            content: "Open the Customer Care tab of the customer",
            trigger: ".o_notebook_headers a:contains('Customer Care')",
            run: "click",
        },
        {
            content: "Log a conversation",
            trigger: "button[name=action_custcare_log_conversation]",
            run: "click",
        },
        {
            content: "Name the conversation",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour call about deliveries",
        },
        {
            content: "Try to close it without an improvement point",
            trigger: ".o_form_statusbar button[name=action_close]:not(.btn-primary)",
            run: "click",
        },
        {
            content: "The server refuses and says what to do",
            trigger: ".modal:contains('no improvement point') .modal-body:contains('Add Point & Close')",
        },
        {
            content: "Dismiss the message",
            trigger: ".modal .modal-footer button:contains('Not Now')",
            run: "click",
        },
        {
            content: "Still open",
            trigger: "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains('Open')",
        },
        {
            content: "Add a point and close in one dialog",
            trigger: ".o_form_statusbar button[name=action_close_with_point]",
            run: "click",
        },
        {
            content: "Write the improvement point",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Call before delivering",
        },
        {
            content: "In the customer's words",
            trigger: ".modal .o_field_widget[name=customer_words] textarea",
            run: "edit I never know when the van comes.",
        },
        {
            content: "Record and close",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The conversation is closed",
            trigger: "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains('Closed')",
        },
        {
            content: "with its improvement point",
            trigger: ".o_field_widget[name=improvement_point_count]:contains('1')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_ticket_tour", {
    steps: () => [
        {
            content: "Unfold the Done column",
            trigger: ".o_kanban_group:has(.o_column_title:contains('Done')) .o_column_unfold",
            run: "click",
        },
        {
            content: "Drag the ticket to Done",
            trigger: ".o_kanban_record:contains('Tour ticket: stale bread')",
            run: "drag_and_drop .o_kanban_group:has(.o_column_title:contains('Done')):not(:has(.o_column_unfold))",
        },
        {
            content: "The server refuses, says what to do, and offers the fix",
            trigger: ".modal:contains('without an improvement point') button.o_custcare_add_point_close",
        },
        {
            content: "Not now: the ticket stays in New",
            trigger: ".modal .modal-footer button:contains('Not Now')",
            run: "click",
        },
        {
            content: "The ticket stays in New",
            trigger:
                "body:not(:has(.modal)) .o_kanban_group:has(.o_column_title:contains('New')) .o_kanban_record:contains('Tour ticket: stale bread')",
        },
        {
            content: "Open the ticket",
            trigger: ".o_kanban_record:contains('Tour ticket: stale bread')",
            run: "click",
        },
        {
            content: "More stages",
            trigger: ".o_form_view .o_statusbar_status .dropdown-toggle",
            run: "click",
        },
        {
            content: "Click Done in the statusbar",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Done')",
            run: "click",
        },
        {
            content: "Take the fix offered right there",
            trigger: ".modal button.o_custcare_add_point_close",
            run: "click",
        },
        {
            content: "The point the customer gave",
            trigger: ".modal:contains('Add an Improvement Point and Close the Ticket') .o_field_widget[name=name] input",
            run: "edit Bake the bread on the day",
        },
        {
            content: "Done tells the customer: say what we did",
            trigger: ".modal .o_field_widget[name=resolution] textarea",
            run: "edit We bake it on the morning of delivery now",
        },
        {
            content: "Record & Close, in the stage the ticket was dragged to",
            trigger: ".modal .o_field_widget[name=stage_id] input:value(Done)",
        },
        {
            content: "Record & Close",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The ticket is in Done",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_care_board_tour", {
    steps: () => [
        {
            content: "Its card says how late, in red, with a quick Log a Conversation",
            trigger:
                ".o_kanban_record:contains('Tour Overdue Deli'):has(.text-danger:contains('days overdue')):has(button[name=action_custcare_log_conversation])",
        },
        {
            content: "The overdue customer is in the Overdue column of the care board",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Overdue')) .o_kanban_record:contains('Tour Overdue Deli')",
            run: "click",
        },
        {
            content: "It opens on its Customer Care tab",
            trigger: ".o_notebook_headers a.active:contains('Customer Care')",
        },
        {
            content: "Its form shows the care state",
            trigger: ".o_form_view .o_field_widget[name=custcare_contact_state]:contains('Overdue')",
        },
        {
            content: "Mark the proactive contact done",
            trigger: ".o-mail-Activity:contains('Proactive contact') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Say how it went",
            trigger: ".o-mail-ActivityMarkAsDone textarea",
            run: "edit Asked about Sunday deliveries",
        },
        {
            content: "A proactive contact is done by logging its conversation",
            trigger: ".o-mail-ActivityMarkAsDone:not(:has(button[aria-label='Done and Schedule Next'])) button.o_custcare_log_conversation",
            run: "click",
        },
        {
            content: "The conversation to log opens, for this customer, with the feedback",
            trigger:
                ".modal:contains('Log the Conversation') .o_field_widget[name=partner_id] input:value(Tour Overdue Deli)",
        },
        {
            content: "Name the conversation",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Proactive call",
        },
        {
            content: "Record the improvement point and close",
            trigger: ".modal .o_form_statusbar button[name=action_close_with_point]",
            run: "click",
        },
        {
            content: "The point the customer gave",
            trigger: ".modal:contains('Add an Improvement Point and Close') .o_field_widget[name=name] input",
            run: "edit Deliver on Sundays",
        },
        {
            content: "Record & Close",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Back on the customer, whose care state is up to date",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name=custcare_contact_state]:contains('On Track')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_competitor_tour", {
    steps: () => [
        {
            content: "The customer is flagged: they volunteer competitor news",
            trigger: ".o_form_view .ribbon:contains('Competitor news')",
        },
        {
            content: "Open the customer's competitor mentions",
            trigger: "button[name=action_custcare_view_competitor_mentions]",
            run: "click",
        },
        {
            content: "The mention is listed with what the customer wrote",
            trigger:
                ".o_list_view .o_data_row:contains('Tour Rival'):contains('half price') td[name=competitor_id]",
            run: "click",
        },
        {
            content: "The mention says it was unasked",
            trigger: ".o_form_view .o_field_widget[name=spontaneous] input:checked",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_feedback_tour", {
    steps: () => [
        {
            content: "Opening the link only shows the question, with the answer chosen",
            trigger: ".o_custcare_feedback input#custcare_answer_partial:checked",
        },
        {
            content: "The customer changes their mind",
            trigger: ".o_custcare_feedback label[for=custcare_answer_bad]",
            run: "click",
        },
        {
            content: "Add a comment",
            trigger: ".o_custcare_feedback textarea[name=comment]",
            run: "edit Only the morning round",
        },
        {
            content: "Say what we could do better",
            trigger: ".o_custcare_feedback textarea[name=improvement]",
            run: "edit Deliver before 6 in the morning",
        },
        {
            content: "Send it",
            trigger: ".o_custcare_feedback button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Still a problem is not answered with a thank-you: the ticket is reopened",
            trigger: ".o_custcare_feedback p:contains('We have reopened your request')",
        },
        {
            content: "What we could do better is noted",
            trigger: ".o_custcare_feedback p:contains('what we could do better')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_temperature_tour", {
    steps: () => [
        {
            content: "The conversation with the customer is open",
            trigger: ".o_form_view .o_field_widget[name=temperature] button.o_custcare_temperature",
            run: "click",
        },
        {
            content: "The customer is boiling",
            trigger: ".o_custcare_temperature_menu .o_custcare_temperature_boiling",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The record says how to lower the flame",
            trigger: ".o_form_view .alert-danger:contains('listen first')",
        },
        {
            content: "The escalation is planned for the leader",
            trigger: ".o-mail-Chatter .o-mail-Activity:contains('step in')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_at_risk_tour", {
    steps: () => [
        {
            content: "The worst customers come first, with their reasons",
            trigger: ".o_kanban_group:first-child .o_kanban_record:contains('Tour Risky Hotel'):contains('last answer: still a problem')",
            run: "click",
        },
        {
            content: "Open the customer's Customer Care tab",
            trigger: ".o_notebook_headers a:contains('Customer Care')",
            run: "click",
        },
        {
            content: "The health and what pulls it down",
            trigger: ".o_field_widget[name=custcare_health_reasons]:contains('temperature: boiling')",
        },
        {
            content: "The interaction timeline shows the answer",
            trigger: ".o_custcare_timeline:contains('Still a problem')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_top_concern_faq_tour", {
    steps: () => [
        {
            content: "The concern raised by the most customers comes first",
            trigger: ".o_list_view .o_data_row:first-child:contains('Tour: deliveries come too late')",
        },
        {
            content: "Write its FAQ entry in one click",
            trigger: ".o_data_row:first-child button[name=action_custcare_write_faq]",
            run: "click",
        },
        {
            content: "The question is the concern",
            trigger: ".o_form_view .o_field_widget[name=name] input:value('Tour: deliveries come too late')",
        },
        {
            content: "Answer it",
            trigger: ".o_form_view .o_field_widget[name=answer] .odoo-editor-editable",
            run: "editor From next month a second van leaves at 5:15.",
        },
        {
            content: "Shortcut for the reps",
            trigger: ".o_form_view .o_field_widget[name=shortcut] input",
            run: "edit tour-early",
        },
        {
            content: "Publish",
            trigger: ".o_form_statusbar button[name=action_publish]",
            run: "click",
        },
        {
            content: "Published: on the FAQ page and a canned response",
            trigger: ".o_form_view .ribbon:contains('Published')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_canned_faq_tour", {
    steps: () => [
        {
            content: "Write to the customer",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Type the FAQ's shortcut",
            trigger: ".o-mail-Composer-input",
            run: "edit ::tour-early",
        },
        {
            content: "Pick the FAQ answer",
            trigger: ".o-mail-Composer-suggestion:contains('tour-early')",
            run: "click",
        },
        {
            content: "The answer is in the message",
            trigger: ".o-mail-Composer-input:value(/second van leaves at 5:15/)",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_public_faq_tour", {
    steps: () => [
        {
            content: "Search the FAQ",
            trigger: ".o_custcare_faq input[name=search]",
            run: "edit van",
        },
        {
            content: "Search",
            trigger: ".o_custcare_faq button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The visitor reads the answer",
            trigger: ".o_custcare_faq h4:contains('Tour: deliveries come too late') + div:contains('second van')",
        },
    ],
});

registry.category("web_tour.tours").add("custcare_loop_point_done_tour", {
    steps: () => [
        {
            content: "Drag the point to Done",
            trigger: ".o_kanban_record:contains('Tour point: open on Sundays')",
            // onto the column's header: a long column's middle is off screen
            run: "drag_and_drop .o_kanban_group:has(.o_column_title:contains('Done')) .o_kanban_header",
        },
        {
            content: "Refused: done tells the customers; Mark as Done is offered",
            trigger: ".modal:contains('Mark as Done') button.o_custcare_mark_done",
            run: "click",
        },
        {
            content: "Who will be told is shown",
            trigger: ".modal:contains('Tour Bakery')",
        },
        {
            content: "Say what was done",
            trigger: ".modal .o_field_widget[name=action_taken] .odoo-editor-editable",
            run: "editor We now open on Sundays, 8 to 12.",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The point is in Done",
            trigger:
                "body:not(:has(.modal)) .o_kanban_group:has(.o_column_title:contains('Done')) .o_kanban_record:contains('Tour point: open on Sundays')",
        },
    ],
});
