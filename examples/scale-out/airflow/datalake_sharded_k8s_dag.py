"""One Datalake ingestion split into shards, each step a pod of the om-ingest image (examples/scale-out/Dockerfile).

`om-ingest plan` once, `om-ingest ingest` once per shard (a mapped task), `om-ingest finalize` once.
Needs in NAMESPACE: the ConfigMap om-ingest-config (lake.yaml), the Secret om-ingest-credentials and the
ReadWriteMany PVC om-ingest-shared (see examples/scale-out/kubernetes/). Airflow 2.x with
apache-airflow-providers-cncf-kubernetes 7.0 or newer.
"""
from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.decorators import task
from airflow.models.param import Param
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from kubernetes.client import models as k8s

IMAGE = "om-ingest:latest"
NAMESPACE = "om-ingest"
CONFIG = "/config/lake.yaml"  # the ConfigMap's key, mounted below
SHARDS = 16

# One folder per DAG run on the shared volume, so finalize never merges a report left by an earlier run.
RUN_DIR_TEMPLATE = "/shared/runs/{{ run_id }}"
# The incremental state outlives the runs: each run reads only the tables changed since the last one.
STATE_FILE = "/shared/state/lake.json"

pod_kwargs = dict(
    namespace=NAMESPACE,
    image=IMAGE,
    cmds=["om-ingest"],  # the image's entrypoint, spelled out
    # Kubernetes expands $(RUN_DIR) in the arguments from this variable: no Jinja in the mapped values.
    env_vars={"RUN_DIR": RUN_DIR_TEMPLATE},
    env_from=[k8s.V1EnvFromSource(secret_ref=k8s.V1SecretEnvSource(name="om-ingest-credentials"))],
    volumes=[
        k8s.V1Volume(name="shared", persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(claim_name="om-ingest-shared")),
        k8s.V1Volume(name="config", config_map=k8s.V1ConfigMapVolumeSource(name="om-ingest-config")),
    ],
    volume_mounts=[
        k8s.V1VolumeMount(name="shared", mount_path="/shared"),
        k8s.V1VolumeMount(name="config", mount_path="/config", read_only=True),
    ],
    # The image runs as uid 10001; fsGroup lets it write to the volume.
    security_context={"runAsNonRoot": True, "runAsUser": 10001, "fsGroup": 10001},
    get_logs=True,
    on_finish_action="delete_succeeded_pod",  # keep a failed pod for `kubectl logs`
)

with DAG(
    dag_id="om_ingest_datalake_sharded_k8s",
    schedule="@daily",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # two runs at once would list and write the same tables twice
    params={"shards": Param(SHARDS, type="integer", minimum=1)},
    tags=["om-ingest", "datalake", "kubernetes"],
) as dag:
    plan = KubernetesPodOperator(
        task_id="plan",
        name="om-ingest-plan",
        arguments=["plan", "-c", CONFIG, "--shards", "{{ params.shards }}", "--out", "$(RUN_DIR)/plan.json"],
        **pod_kwargs,
    )

    @task
    def shard_indexes(params: dict | None = None) -> list[int]:
        # The plan lives on the PVC, which the Airflow worker does not mount; plan writes exactly
        # `shards` shards, so the DAG param gives the same list.
        return list(range(int(params["shards"])))

    indexes = shard_indexes()

    # Map index == shard index: to re-run shard 3, clear the map index 3 of this task, then finalize.
    ingest = KubernetesPodOperator.partial(
        task_id="ingest_shard",
        name="om-ingest-shard",
        retries=1,  # a retry writes a new report that replaces the failed one
        max_active_tis_per_dag=8,  # how many shard pods list the bucket at once
        **pod_kwargs,
    ).expand(
        arguments=indexes.map(
            lambda i: ["ingest", "-c", CONFIG, "--shard", f"$(RUN_DIR)/plan.json#{i}", "--shard-report", f"$(RUN_DIR)/reports/shard-{i}.json", "--state", STATE_FILE]
        )
    )

    finalize = KubernetesPodOperator(
        task_id="finalize",
        name="om-ingest-finalize",
        arguments=["finalize", "-c", CONFIG, "--reports", "$(RUN_DIR)/reports", "--state", STATE_FILE],
        # Runs even when a shard failed: it then deletes nothing in that shard's schemas and fails the run.
        trigger_rule="all_done",
        **pod_kwargs,
    )

    plan >> indexes >> ingest >> finalize
