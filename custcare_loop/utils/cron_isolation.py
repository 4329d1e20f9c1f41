"""One failing record never stops a scheduled job for everyone else."""

import logging

from odoo.fields import Domain

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


def at_once_or_each(records, operation, what):
    """``operation(records)`` in one savepoint; when that fails, logged, then
    ``operation(record)`` for each record, isolated (``each_isolated``): the
    fast way for the usual case, and one bad record costs only itself."""
    try:
        with records.env.cr.savepoint():
            operation(records)
    except Exception:  # noqa: BLE001 - then one record at a time
        _logger.warning(
            "custcare: %s for %s records at once failed; one by one now",
            what,
            len(records),
        )
        return each_isolated(records, operation, what)
    return records, records.browse()


def process_in_batches(model, todo, operation, what, batch_size=200):
    """A scheduled job's loop: the records ``todo()`` (a Domain of what is
    still to do, recomputed each time) are handled batch by batch, each
    record isolated (``each_isolated``), each batch committed with its
    progress (``ir.cron._commit_progress``), until nothing is left or the
    job's time is up. A record that fails is left for the next run; a killed
    worker loses only its uncommitted batch. ``operation`` must make the
    record leave ``todo()`` (e.g. by setting a flag)."""
    cron = model.env["ir.cron"]
    failed_ids = []
    while True:
        left = todo() & Domain("id", "not in", failed_ids)
        records = model.search(left, order="id", limit=batch_size)
        if not records:
            return
        done, failed = each_isolated(records, operation, what)
        failed_ids += failed.ids
        remaining = model.search_count(todo() & Domain("id", "not in", failed_ids))
        if not cron._commit_progress(len(done), remaining=remaining):
            return
