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


class PointDoneNeedsConfirmation(ValidationError):
    """A point moved to Done outside "Mark as Done" (a kanban drag, the
    statusbar, a list edit, an import): done tells every customer who raised
    it, so the web client offers "Mark as Done" right in the message, where
    the action taken is written and the customers to be told are shown."""

    def __init__(self, message, point):
        super().__init__(message)
        self.context = {
            "custcare_model": point._name,
            "custcare_res_id": point.id,
        }
