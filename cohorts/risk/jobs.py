"""The background jobs of the ranking and the feeds, as the sweeper knows them (iom/jobs.py,
docs/jobs.md).

Both write, in one transaction, so a worker that stopped has left nothing half-written: the
job is failed with the reason and not run again by itself. The nightly run ranks again the
next night (or when a manager starts a run); an import is uploaded again.
"""

from django.utils import timezone

from iom.jobs import FAIL, JobKind

from .models import ImportJob, ImportStatus, RankingRun, RunStatus


def _run_failure(reason: str) -> dict:
    return {"status": RunStatus.FAILED, "error": reason, "finished_at": timezone.now()}


def _import_failure(reason: str) -> dict:
    return {
        "status": ImportStatus.FAILED,
        "errors": [{"line": 0, "column": "", "message": reason}],
        "finished_at": timezone.now(),
    }


RANKING_RUNS = JobKind(
    name="ranking-run",
    model=RankingRun,
    task_path="cohorts.risk.tasks.run_ranking",
    queued=RunStatus.QUEUED,
    running=(RunStatus.RUNNING,),
    on_lost=FAIL,
    failure=_run_failure,
    lost_reason="The service stopped during the run, so nothing was changed: the previous "
    "ranking stays. The nightly run ranks everyone again next night; a manager can start a "
    "run now.",
    created_field="queued_at",
)

IMPORTS = JobKind(
    name="offending-import",
    model=ImportJob,
    task_path="cohorts.risk.tasks.import_offending",
    queued=ImportStatus.QUEUED,
    running=(ImportStatus.VALIDATING, ImportStatus.WRITING),
    on_lost=FAIL,
    failure=_import_failure,
    lost_reason="The service stopped during the import, so nothing was saved. Upload the file "
    "again.",
    created_field="created_at",
)
