from . import custcare_improvement_aspect
from . import custcare_improvement_point
from . import custcare_conversation
from . import helpdesk_ticket_stage
from . import helpdesk_ticket
from . import res_partner
