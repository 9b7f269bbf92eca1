"""Run a batch on Dask, for clubs that outgrow one machine (optional extra).

Dask because its distributed scheduler runs the same Python function on a
local cluster or on many machines with no change to the job, and starts in
about a second (Ray spent about 5 s starting on these 2-core machines). On one
machine the standard-library pool in `batch` is faster, so it stays the default.
"""

from __future__ import annotations

from collections.abc import Callable

from movement_screen.batch import Job, run_job
from movement_screen.core import InputError

INSTALL = "pip install 'movement-screen[distributed]'"


def _client(workers: int, scheduler: str | None):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(f"--engine dask needs Dask: {INSTALL}") from None
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(
        n_workers=max(workers, 1), threads_per_worker=1, processes=True, dashboard_address=None
    )
    return Client(cluster), cluster


def dask_runner(
    scheduler: str | None = None,
) -> Callable[[list[Job], int, Callable[[dict], None]], None]:
    """A batch runner that maps jobs over a Dask cluster (local unless `scheduler` is given)."""

    def run(jobs: list[Job], workers: int, done: Callable[[dict], None]) -> None:
        from dask.distributed import as_completed

        client, cluster = _client(workers, scheduler)
        try:
            futures = client.map(run_job, jobs, pure=False)
            for future in as_completed(futures):
                done(future.result())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    return run
