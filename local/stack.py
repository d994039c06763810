"""The embedded local stack: moto in-process, template.yaml deployed into it, real handlers.

``LocalStack.start()`` brings up, in this process:
1. a moto server (ThreadedMotoServer) with state machine execution on;
2. template.yaml, translated offline and created through moto's CloudFormation; state
   machines re-created through the Step Functions API (CloudFormation's land in moto's
   non-executing backend), under the same names and so the same ARNs;
3. Lambda invocations (Step Functions tasks, SQS event-source mappings) dispatched to the
   real handlers (``local.lambdas``), and a poller that redelivers failed SQS messages;
   DynamoDB stream mappings delivered in batches with retries (``local.streams``);
4. the demo tenants, provisioned through the real ProvisionTenant workflow;
5. the Chalice API on localhost (``local.api_server``).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
import requests

from local import lambdas, moto_atomic, moto_sqs, streams, template
from local.demo import DEMO_TENANTS

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
STACK_NAME = "tridesk-local"


class PortInUseError(RuntimeError):
    """A port the local stack needs is taken."""


def ensure_port_free(port: int, host: str = "127.0.0.1", what: str = "server") -> None:
    """Refuse to start, with a clear message, when ``port`` is taken."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            raise PortInUseError(
                f"port {port} on {host} is already in use, so the {what} cannot start. "
                f"Stop whatever is listening there (e.g. `lsof -i :{port}`) or choose another port."
            ) from None


@dataclass
class LocalStack:
    """The whole suite on one machine. Ports 0 mean "any free port" (tests)."""

    api_port: int = 8000
    aws_port: int = 5000
    host: str = "127.0.0.1"
    seed: bool = True
    parameters: dict[str, str] = field(default_factory=lambda: {"Stage": "dev"})
    outputs: dict[str, str] = field(default_factory=dict)
    function_names: dict[str, str] = field(default_factory=dict)
    dispatcher: lambdas.Dispatcher = field(default_factory=lambdas.Dispatcher)

    def __post_init__(self) -> None:
        self.upstreams: dict[str, Any] = {}
        self.upstream_env: dict[str, str] = {}
        self._moto: Any = None
        self._api: Any = None
        self._poller: lambdas.QueuePoller | None = None
        self.streams = streams.StreamPoller(ACCOUNT_ID, REGION)
        self._saved_env: dict[str, str | None] = {}

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> LocalStack:
        ensure_port_free(self.aws_port, self.host, "AWS emulator")
        ensure_port_free(self.api_port, self.host, "API server")
        started = time.perf_counter()
        self._start_moto()
        self._start_upstreams()
        self._deploy()
        self._set_env(self.upstream_env)
        self._poller = lambdas.QueuePoller(ACCOUNT_ID, REGION)
        self._poller.start()
        self.streams.start()
        if self.seed:
            self.seed_demo_data()
        from local.api_server import ApiServer

        self._api = ApiServer(self.dispatcher, self.host, self.api_port).start()
        self.api_port = self._api.port
        self.ready_seconds = time.perf_counter() - started
        return self

    def stop(self) -> None:
        if self._api is not None:
            self._api.stop()
            self._api = None
        for handle in self.upstreams.values():
            handle.stop()
        self.upstreams.clear()
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        self.streams.stop()
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()
        from tridesk.core.settings import reset_settings

        reset_settings()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.aws_port}"

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}"

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint)

    # ------------------------------------------------------------------ steps
    def _set_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def _start_moto(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

        self._moto = ThreadedMotoServer(ip_address=self.host, port=self.aws_port, verbose=False)
        self._moto.start()
        self.aws_port = self._moto.get_host_and_port()[1]
        self._set_env(
            {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "AWS_ENDPOINT_URL": self.endpoint,
                # moto's state machine interpreter calls the services back on this port
                "MOTO_PORT": str(self.aws_port),
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_METRICS_NAMESPACE": "TriDesk",
            }
        )
        os.environ.pop("AWS_PROFILE", None)
        lambdas.install(self.dispatcher)
        streams.install(self.streams)
        moto_atomic.install()
        moto_sqs.install()

    def _configure_moto(self, config: dict[str, Any]) -> None:
        response = requests.post(f"{self.endpoint}/moto-api/config", json=config, timeout=10)
        response.raise_for_status()

    def _deploy(self) -> None:
        sam = template.load_sam()
        cfn = template.for_local_stack(template.to_cloudformation(sam, self.parameters))
        self._configure_moto({"lambda": {"use_docker": False}})
        s3 = self.client("s3")
        s3.create_bucket(Bucket=template.CODE_BUCKET)
        for logical_id, resource in cfn["Resources"].items():
            if resource["Type"] in ("AWS::Lambda::Function", "AWS::Lambda::LayerVersion"):
                s3.put_object(Bucket=template.CODE_BUCKET, Key=f"{logical_id}.zip", Body=_empty_zip())
        cloudformation = self.client("cloudformation")
        cloudformation.create_stack(
            StackName=STACK_NAME,
            TemplateBody=json.dumps(cfn),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in self.parameters.items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        stack = cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
        if stack["StackStatus"] != "CREATE_COMPLETE":
            raise RuntimeError(f"local stack did not deploy: {stack['StackStatus']} {stack.get('StackStatusReason')}")
        self.outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        resources = cloudformation.list_stack_resources(StackName=STACK_NAME)["StackResourceSummaries"]
        physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
        sources = template.function_sources(sam)
        for logical_id, source in sources.items():
            self.function_names[logical_id] = physical[logical_id]
            self.dispatcher.register(physical[logical_id], source)
        self._recreate_state_machines(template.state_machines(cfn), physical)
        self._export_function_environment()

    def _recreate_state_machines(self, machines: dict[str, Any], physical: dict[str, str]) -> None:
        """Create each state machine in moto's executing backend, DefinitionSubstitutions resolved."""
        sfn = self.client("stepfunctions")
        described = {logical_id: sfn.describe_state_machine(stateMachineArn=physical[logical_id]) for logical_id in machines}
        self._configure_moto({"lambda": {"use_docker": False}, "stepfunctions": {"execute_state_machine": True}})
        for logical_id, props in machines.items():
            definition = described[logical_id]["definition"]
            for key, value in (props.get("DefinitionSubstitutions") or {}).items():
                definition = definition.replace("${" + key + "}", self._resolve(value, physical))
            created = sfn.create_state_machine(
                name=described[logical_id]["name"],
                definition=definition,
                roleArn=described[logical_id]["roleArn"],
                type=described[logical_id].get("type", "STANDARD"),
            )
            if created["stateMachineArn"] != physical[logical_id]:
                raise RuntimeError(f"state machine {logical_id} changed ARN when re-created")

    def _resolve(self, value: Any, physical: dict[str, str]) -> str:
        """Resolve the intrinsics the template uses in DefinitionSubstitutions (Ref, GetAtt)."""
        if isinstance(value, str):
            return value
        if "Ref" in value:
            return physical[value["Ref"]]
        logical_id, attribute = value["Fn::GetAtt"]
        name = physical[logical_id]
        if attribute == "Arn":
            if ":" in name:  # already an ARN (state machines, topics)
                return name
            if name.startswith("https://"):  # a queue URL
                return self.client("sqs").get_queue_attributes(QueueUrl=name, AttributeNames=["QueueArn"])[
                    "Attributes"
                ]["QueueArn"]
            try:
                return self.client("lambda").get_function_configuration(FunctionName=name)["FunctionArn"]
            except Exception:
                return self.client("dynamodb").describe_table(TableName=name)["Table"]["TableArn"]
        if attribute == "QueueName":
            return name.rsplit("/", 1)[-1]
        raise ValueError(f"cannot resolve {value} locally")

    def _export_function_environment(self) -> None:
        """Functions share this process: their (resolved) variables become the process's."""
        lam = self.client("lambda")
        merged: dict[str, str] = {}
        for name in self.function_names.values():
            config = lam.get_function_configuration(FunctionName=name)
            merged.update(config.get("Environment", {}).get("Variables", {}))
        merged["POWERTOOLS_TRACE_DISABLED"] = "true"
        self._set_env(merged)
        from tridesk.core.settings import reset_settings

        reset_settings()

    # ------------------------------------------------------------------ helpers
    def run_state_machine(self, logical_id: str, payload: dict[str, Any], timeout_s: float = 30) -> dict[str, Any]:
        """Start an execution and wait for it to end; returns describe_execution's answer."""
        sfn = self.client("stepfunctions")
        arn = self.physical_id(logical_id)
        execution = sfn.start_execution(
            stateMachineArn=arn, name=f"{logical_id[:40]}-{uuid.uuid4().hex[:16]}", input=json.dumps(payload)
        )
        deadline = time.monotonic() + timeout_s
        while True:
            described = sfn.describe_execution(executionArn=execution["executionArn"])
            if described["status"] != "RUNNING":
                return described
            if time.monotonic() > deadline:
                raise TimeoutError(f"{logical_id} execution still running after {timeout_s}s")
            time.sleep(0.05)

    def physical_id(self, logical_id: str) -> str:
        resources = self.client("cloudformation").list_stack_resources(StackName=STACK_NAME)
        for r in resources["StackResourceSummaries"]:
            if r["LogicalResourceId"] == logical_id:
                return r["PhysicalResourceId"]
        raise KeyError(logical_id)

    def drain_queues(self, rounds: int = 10) -> None:
        """Deliver pending SQS messages now (tests), instead of waiting for the poller."""
        assert self._poller is not None
        for _ in range(rounds):
            if not self._poller.poll_once():
                return

    def seed_demo_data(self) -> None:
        """Provision the demo tenants through the ProvisionTenant workflow, then each area's demo data."""
        for tenant in DEMO_TENANTS:
            result = self.run_state_machine("ProvisionTenantStateMachine", {"tenant": tenant})
            if result["status"] != "SUCCEEDED":
                raise RuntimeError(f"seeding {tenant['tenant_id']} failed: {result.get('error')} {result.get('cause')}")
        for module in _plugins("demo_"):
            module.seed(self)

    def _start_upstreams(self) -> None:
        """Start the local stand-ins of external systems (``local/upstream_*.py``) on loopback.

        Each module's ``start(host)`` returns a handle with ``stop()`` and the environment
        variables that point the code at it (they override the template's defaults).
        """
        for module in _plugins("upstream_"):
            handle, env = module.start(self.host)
            self.upstreams[module.__name__.rsplit("_", 1)[-1]] = handle
            self.upstream_env.update(env)


def _plugins(prefix: str) -> list[Any]:
    """The modules ``local/<prefix>*.py``, in name order (areas add theirs without editing this file)."""
    import importlib
    from pathlib import Path

    folder = Path(__file__).resolve().parent
    return [importlib.import_module(f"local.{p.stem}") for p in sorted(folder.glob(f"{prefix}*.py"))]


def _empty_zip() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README", "code runs in-process in the local stack\n")
    return buffer.getvalue()
