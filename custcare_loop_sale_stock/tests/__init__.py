from . import test_delivery_notice
from . import test_tour
from . import test_delivery_notice_at_once
