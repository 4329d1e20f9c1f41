from . import custcare_close_wizard
from . import custcare_three_worst_wizard
from . import custcare_point_merge_wizard
from . import custcare_point_done_wizard
