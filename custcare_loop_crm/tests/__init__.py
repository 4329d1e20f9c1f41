from . import test_lost_deal
from . import test_tour
