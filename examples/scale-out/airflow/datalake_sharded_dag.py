"""One Datalake ingestion split into shards, on Airflow 2.x workers that have om-ingest installed.

`om-ingest plan` once, `om-ingest ingest` once per shard (a mapped task), `om-ingest finalize` once.
Every worker must see SHARED_DIR (NFS, EFS, Filestore...): the plan and the shard reports live there.
"""
from __future__ import annotations

import json
import os

import pendulum
from airflow import DAG
from airflow.decorators import task
from airflow.models.param import Param
from airflow.operators.bash import BashOperator

CONFIG = "/opt/airflow/om-ingest/lake.yaml"
SHARDS = 16
SHARED_DIR = "/shared/om-ingest"
OM_INGEST = "om-ingest"  # not `metadata`: the Python ingestion package installs a command of that name too

# One folder per DAG run, so finalize never merges a report left by an earlier run.
RUN_DIR_TEMPLATE = SHARED_DIR + "/runs/{{ run_id }}"
# The incremental state outlives the runs: each run reads only the tables changed since the last one.
STATE_FILE = SHARED_DIR + "/state/lake.json"

with DAG(
    dag_id="om_ingest_datalake_sharded",
    schedule="@daily",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # two runs at once would list and write the same tables twice
    params={
        "config": Param(CONFIG, type="string"),
        "shards": Param(SHARDS, type="integer", minimum=1),
    },
    tags=["om-ingest", "datalake"],
) as dag:
    # Shell variables rather than Jinja inside the mapped commands: the mapped values come from XCom.
    run_env = {"OM_CONFIG": "{{ params.config }}", "RUN_DIR": RUN_DIR_TEMPLATE}

    plan = BashOperator(
        task_id="plan",
        bash_command=f'{OM_INGEST} plan -c "$OM_CONFIG" --shards {{{{ params.shards }}}} --out "$RUN_DIR/plan.json"',
        env=run_env,
        append_env=True,  # keep PATH and the credentials the config reads (${AWS_ACCESS_KEY_ID}, ${OM_JWT_TOKEN})
    )

    @task
    def shard_indexes(run_id: str | None = None) -> list[int]:
        # The plan is the authority on how many shards there are (a re-run keeps its own plan).
        with open(os.path.join(SHARED_DIR, "runs", str(run_id), "plan.json"), encoding="utf-8") as f:
            return list(range(len(json.load(f)["shards"])))

    indexes = shard_indexes()

    # Map index == shard index: to re-run shard 3, clear the map index 3 of this task, then finalize.
    ingest = BashOperator.partial(
        task_id="ingest_shard",
        env=run_env,
        append_env=True,
        retries=1,  # a retry writes a new report that replaces the failed one
        max_active_tis_per_dag=8,  # how many shards list the bucket at once
    ).expand(
        bash_command=indexes.map(
            lambda i: f'{OM_INGEST} ingest -c "$OM_CONFIG" --shard "$RUN_DIR/plan.json#{i}"'
            f' --shard-report "$RUN_DIR/reports/shard-{i}.json" --state "{STATE_FILE}"'
        )
    )

    finalize = BashOperator(
        task_id="finalize",
        bash_command=f'{OM_INGEST} finalize -c "$OM_CONFIG" --reports "$RUN_DIR/reports" --state "{STATE_FILE}"',
        env=run_env,
        append_env=True,
        # Runs even when a shard failed: it then deletes nothing in that shard's schemas and fails the run.
        trigger_rule="all_done",
    )

    plan >> indexes >> ingest >> finalize
