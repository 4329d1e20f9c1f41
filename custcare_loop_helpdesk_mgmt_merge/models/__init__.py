from . import custcare_improvement_point
from . import helpdesk_ticket
