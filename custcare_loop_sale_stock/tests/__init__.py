from . import test_delivery_notice
from . import test_tour
