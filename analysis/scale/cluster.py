"""The ``--scheduler`` option: start a local Dask cluster or join an existing one, and map tasks
over it with a progress bar that follows the cluster's progress."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# Tasks are retried on another worker when theirs dies (and by Dask itself up to
# distributed.scheduler.allowed-failures); every task is idempotent, so a re-run is harmless.
RETRIES = 2
SCHEDULER_HELP = ("Run on Dask: 'local:N' starts N worker processes on this machine, "
                  "'tcp://HOST:PORT' joins a running cluster. Default: in this process.")
_LOCAL = re.compile(r"local:(\d+)")
_ADDRESS = re.compile(r"(tcp|tls|ucx|ws|wss|inproc)://\S+")


@dataclass(frozen=True)
class SchedulerSpec:
    """A parsed ``--scheduler``: ``workers`` local processes, or the ``address`` of a cluster."""

    workers: int | None = None
    address: str | None = None


def parse_scheduler(text: str) -> SchedulerSpec:
    """``local:N`` or ``tcp://HOST:PORT``; anything else is a one-line error naming the option."""
    text = text.strip()
    if match := _LOCAL.fullmatch(text):
        workers = int(match.group(1))
        if workers < 1:
            raise ValueError(f"--scheduler {text}: local needs at least one worker (local:1, local:2, ...)")
        return SchedulerSpec(workers=workers)
    if _ADDRESS.fullmatch(text):
        return SchedulerSpec(address=text)
    raise ValueError(f"--scheduler {text!r}: use local:N (N worker processes here) or tcp://HOST:PORT "
                     "(a running `dask scheduler`)")


@contextmanager
def connect(scheduler: str, on_start: Callable[[str], None] | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler`` (a local cluster is started, and shut down on
    exit); ``on_start`` receives one line naming the cluster and its dashboard."""
    from distributed import Client, LocalCluster

    spec = parse_scheduler(scheduler)
    if spec.address:
        with Client(spec.address) as client:
            if on_start:
                on_start(f"Dask cluster {spec.address}: {len(client.scheduler_info()['workers'])} workers, "
                         f"dashboard {client.dashboard_link}")
            yield client
        return
    # One thread per worker process: segmentation and regexes hold the GIL.
    with LocalCluster(n_workers=spec.workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        if on_start:
            on_start(f"local Dask cluster: {spec.workers} worker process(es), dashboard {client.dashboard_link}")
        yield client


def n_workers(client: Any) -> int:
    """Workers the cluster has now (at least 1)."""
    return max(1, len(client.scheduler_info().get("workers", {})))


def map_tasks(client: Any, function: Callable, items: Sequence, *args: Any, desc: str = "tasks",
              progress: bool = False, **kwargs: Any) -> list:
    """``function(item, *args, **kwargs)`` for every item on the cluster; results in item order.

    The bar advances as tasks finish on the cluster; a task whose worker dies is re-run elsewhere;
    a task that raises stops the run with its exception (after the retries). Pass large shared
    arguments as :func:`share` futures, so they travel to each worker once.
    """
    from distributed import as_completed
    from tqdm.auto import tqdm

    if not items:
        return []
    run = uuid.uuid4().hex[:8]
    futures = [client.submit(function, item, *args, retries=RETRIES, pure=False, key=f"{desc}-{run}-{i}",
                             **kwargs) for i, item in enumerate(items)]
    order = {future.key: i for i, future in enumerate(futures)}
    results: list = [None] * len(futures)
    with tqdm(total=len(futures), desc=desc, unit="task", disable=not progress) as bar:
        try:
            for future in as_completed(futures):
                results[order[future.key]] = future.result()
                future.release()
                bar.update()
        except BaseException:
            client.cancel(futures)
            raise
    return results


def share(client: Any, value: Any) -> Any:
    """``value`` sent once to every worker; pass the result to :func:`map_tasks` as an argument."""
    return client.scatter(value, broadcast=True, hash=False)
