from . import custcare_improvement_point
from . import crm_lead
from . import res_partner_health
from . import res_partner_timeline
