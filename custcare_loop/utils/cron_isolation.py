"""One failing record never stops a scheduled job for everyone else."""

import logging

_logger = logging.getLogger(__name__)


def each_isolated(records, operation, what):
    """Run ``operation(record)`` for each record in its own savepoint. A
    record that fails is rolled back alone, logged with its traceback, and
    skipped; the others go on. Returns ``(done, failed)`` recordsets, so that
    the caller can keep the failed ones out of its next batch."""
    done = failed = records.browse()
    for record in records:
        try:
            with record.env.cr.savepoint():
                operation(record)
        except Exception:  # isolate whatever one record raises
            _logger.exception("custcare: %s failed for %s", what, record)
            failed |= record
        else:
            done |= record
    return done, failed
