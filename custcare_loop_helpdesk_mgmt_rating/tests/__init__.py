from . import test_resolution_with_rating
from . import test_rate_route
