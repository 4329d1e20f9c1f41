from . import custcare_close_wizard
