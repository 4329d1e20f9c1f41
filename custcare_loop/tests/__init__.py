from . import test_access
from . import test_conversation
from . import test_improvement_point
from . import test_partner
from . import test_portal
from . import test_ticket
from . import test_tour
