"""The pipeline on a Dask cluster (``--scheduler local:N`` or ``tcp://HOST:PORT``).

``cluster`` parses the option, starts or joins the cluster and maps tasks over batches with a
progress bar; ``partitions`` says which documents each task covers and reads their rows;
``ingest``, ``tag``, ``analyze`` and ``render`` are the distributed forms of the stages, built on
the same per-file, per-passage and per-report functions as the in-process run. Every task writes
its part of a table atomically into the build's staging folder and is idempotent, so a task Dask
re-runs after losing a worker leaves the same result; tables are published when all tasks are done.
"""
