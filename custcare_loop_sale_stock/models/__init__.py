from . import res_company
from . import res_config_settings
from . import sale_order
from . import stock_picking
from . import res_partner_health
