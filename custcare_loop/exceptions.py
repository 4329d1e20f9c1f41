from odoo.exceptions import ValidationError


class MissingImprovementPoint(ValidationError):
    """Closing refused for want of an improvement point. The web client
    offers "Add Point & Close" for the record right in the message (the
    record travels in the exception's context)."""

    def __init__(self, message, record, stage=None):
        super().__init__(message)
        self.context = {
            "custcare_model": record._name,
            "custcare_res_id": record.id,
            "custcare_stage_id": stage.id if stage else False,
        }
