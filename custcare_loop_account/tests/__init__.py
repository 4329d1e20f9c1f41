from . import test_overdue_invoices
