"""Run the suite against an existing LocalStack (``make run ENDPOINT=http://localhost:4566``).

The template is translated offline exactly as for the embedded stack, the code is packaged
(functions as zips; the layer with its dependencies for the Lambda runtime) and uploaded,
and the stack is created through LocalStack's CloudFormation. The stack carries a tag with
the hash of what was deployed: a second ``make run`` with nothing changed deploys nothing,
a changed template or code updates the stack in place. The API is served on localhost by
Chalice, talking to LocalStack; Lambdas invoked by workflows and queues run in LocalStack.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from local import template
from local.demo import DEMO_TENANTS

STACK_NAME = "tridesk-local"
HASH_TAG = "tridesk:deployment-hash"
REGION = "us-east-1"


def session(endpoint: str) -> Any:
    """A LocalStack session for ``endpoint`` (host:port taken from the URL)."""
    from localstack_client.session import Session

    parsed = urlparse(endpoint)
    return Session(region_name=REGION, localstack_host=f"{parsed.hostname}:{parsed.port or 4566}")


def _zip_dir(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                info = zipfile.ZipInfo(prefix + str(path.relative_to(folder)), date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def package(sam: dict[str, Any], with_dependencies: bool = True) -> dict[str, bytes]:
    """Logical id -> zip of every function and layer (the layer as ``python/...``)."""
    artifacts: dict[str, bytes] = {}
    for logical_id, source in template.function_sources(sam).items():
        artifacts[logical_id] = _zip_dir(source.code_dir)
    for logical_id, resource in sam["Resources"].items():
        if resource["Type"] != "AWS::Serverless::LayerVersion":
            continue
        content = template.ROOT / resource["Properties"]["ContentUri"]
        with tempfile.TemporaryDirectory() as build:
            if with_dependencies:
                # the same build as `sam build` (layers/common/Makefile), one way to make the layer
                subprocess.run(["make", "-s", "-C", str(content), f"build-{logical_id}", f"ARTIFACTS_DIR={build}"],
                               check=True)
            else:
                target = Path(build) / "python"
                target.mkdir()
                subprocess.run(["cp", "-R", str(content / "python" / "tridesk"), str(target)], check=True)
            artifacts[logical_id] = _zip_dir(Path(build))
    return artifacts


def deployment_hash(cfn: dict[str, Any], artifacts: dict[str, bytes]) -> str:
    digest = hashlib.sha256(json.dumps(cfn, sort_keys=True).encode())
    for name in sorted(artifacts):
        digest.update(name.encode())
        digest.update(hashlib.sha256(artifacts[name]).digest())
    return digest.hexdigest()[:32]


def deploy(
    endpoint: str,
    with_dependencies: bool = True,
    parameters: dict[str, str] | None = None,
    stack_name: str = STACK_NAME,
) -> str:
    """Create or update the stack; returns "created", "updated" or "unchanged"."""
    aws = session(endpoint)
    parameters = parameters or {"Stage": "dev"}
    sam = template.load_sam()
    sam_code = {
        logical_id: f"{logical_id}.zip"
        for logical_id, r in sam["Resources"].items()
        if r["Type"] in ("AWS::Serverless::Function", "AWS::Serverless::LayerVersion")
    }
    artifacts = package(sam, with_dependencies)
    cfn = template.for_local_stack(template.to_cloudformation(sam, parameters))
    wanted = deployment_hash(cfn, artifacts)
    cloudformation = aws.client("cloudformation")
    existing = _describe(cloudformation, stack_name)
    if existing is not None and existing.get("StackStatus", "").endswith("_COMPLETE"):
        tags = {t["Key"]: t["Value"] for t in existing.get("Tags", [])}
        if tags.get(HASH_TAG) == wanted:
            return "unchanged"
    s3 = aws.client("s3")
    try:
        s3.create_bucket(Bucket=template.CODE_BUCKET)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    for logical_id, key in sam_code.items():
        s3.put_object(Bucket=template.CODE_BUCKET, Key=f"{wanted}/{key}", Body=artifacts[logical_id])
    body = json.dumps(_versioned_code(cfn, wanted))
    args = {
        "StackName": stack_name,
        "TemplateBody": body,
        "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        "Capabilities": ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        "Tags": [{"Key": HASH_TAG, "Value": wanted}],
    }
    if existing is None:
        cloudformation.create_stack(**args)
        _wait(cloudformation, stack_name, "CREATE_COMPLETE")
        return "created"
    cloudformation.update_stack(**args)
    _wait(cloudformation, stack_name, "UPDATE_COMPLETE")
    return "updated"


def _versioned_code(cfn: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Point every function and layer at this deployment's uploaded zip."""
    for resource in cfn["Resources"].values():
        props = resource.get("Properties", {})
        for key in ("Code", "Content"):
            location = props.get(key)
            if isinstance(location, dict) and "S3Key" in location:
                location["S3Key"] = f"{prefix}/{location['S3Key']}"
    return cfn


def _describe(cloudformation: Any, stack_name: str) -> dict[str, Any] | None:
    try:
        return cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    except cloudformation.exceptions.ClientError:
        return None


def _wait(cloudformation: Any, stack_name: str, goal: str, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"]
        if status == goal:
            return
        if status.endswith(("_FAILED", "ROLLBACK_COMPLETE")):
            raise RuntimeError(f"stack {stack_name}: {status}")
        time.sleep(0.5)
    raise TimeoutError(f"stack {stack_name} not {goal} after {timeout_s}s")


def export_environment(endpoint: str, stack_name: str = STACK_NAME) -> dict[str, str]:
    """The functions' resolved variables, for the API served in this process."""
    aws = session(endpoint)
    resources = aws.client("cloudformation").list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    merged: dict[str, str] = {}
    for r in resources:
        if r["ResourceType"] == "AWS::Lambda::Function":
            config = aws.client("lambda").get_function_configuration(FunctionName=r["PhysicalResourceId"])
            merged.update(config.get("Environment", {}).get("Variables", {}))
    merged.update({"AWS_ENDPOINT_URL": endpoint, "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
                   "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "POWERTOOLS_TRACE_DISABLED": "true"})
    return merged


def seed(endpoint: str, stack_name: str = STACK_NAME) -> list[str]:
    """Provision the demo tenants that are not there yet, through the ProvisionTenant workflow."""
    aws = session(endpoint)
    resources = aws.client("cloudformation").list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
    dynamodb, sfn = aws.client("dynamodb"), aws.client("stepfunctions")
    provisioned = []
    for tenant in DEMO_TENANTS:
        found = dynamodb.get_item(TableName=physical["TenantsTable"], Key={"tenant_id": {"S": tenant["tenant_id"]}})
        if "Item" in found:
            continue
        execution = sfn.start_execution(
            stateMachineArn=physical["ProvisionTenantStateMachine"],
            name=f"seed-{tenant['tenant_id']}-{uuid.uuid4().hex[:8]}",
            input=json.dumps({"tenant": tenant}),
        )
        provisioned.append(execution["executionArn"])
    return provisioned


def run_against_localstack(endpoint: str, api_port: int = 8000, seed_data: bool = True, **_: Any) -> int:
    from local.__main__ import print_banner
    from local.lambdas import Dispatcher
    from local.stack import PortInUseError, ensure_port_free

    try:
        ensure_port_free(api_port, what="API server")
    except PortInUseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    print(f"deploying to LocalStack at {endpoint} ...", flush=True)
    print(f"stack {STACK_NAME}: {deploy(endpoint)}", flush=True)
    os.environ.update(export_environment(endpoint))
    if seed_data:
        seed(endpoint)
    from local.api_server import ApiServer

    dispatcher = Dispatcher()
    sam = template.load_sam()
    sources = template.function_sources(sam)
    dispatcher.register("api", sources["ApiFunction"])
    api = ApiServer(dispatcher, "127.0.0.1", api_port).start()
    print_banner(f"http://127.0.0.1:{api.port}", endpoint, time.perf_counter() - started)
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    api.stop()
    return 0
