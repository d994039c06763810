"""The whole suite on the embedded local stack: functions, workflows, queues, the API."""

from __future__ import annotations

import json
import time
import uuid

import requests

from tests.conftest import EVENTS, load_event

TENANT = {"X-Tenant-Id": "demo-ecommerce"}


def test_health_reports_every_dependency_ok(stack):
    body = requests.get(f"{stack.api_url}/v1/health", timeout=10).json()
    assert body["status"] == "ok", body
    names = set(body["dependencies"])
    assert {"table:tenants", "table:activity", "queue:events", "queue:events_dlq",
            "state_machine:provision_tenant"} <= names
    assert all(dep["status"] == "ok" for dep in body["dependencies"].values())


def test_every_function_runs_its_sample_event(stack):
    lam = stack.client("lambda")
    for logical_id, function_name in stack.function_names.items():
        folder = stack.dispatcher.source(function_name).code_dir.name
        samples = sorted(EVENTS.glob(f"{folder}_*.json"))
        assert samples, logical_id
        for sample in samples:
            response = lam.invoke(FunctionName=function_name, Payload=sample.read_bytes())
            payload = json.loads(response["Payload"].read())
            assert "FunctionError" not in response, (sample.name, payload)
            if "statusCode" in payload:
                assert payload["statusCode"] < 400, (sample.name, payload)
            if "batchItemFailures" in payload:
                assert payload["batchItemFailures"] == [], sample.name


def test_step_functions_task_runs_the_real_handler(stack):
    # GIVEN a new tenant configuration
    tenant_id = f"acme-{uuid.uuid4().hex[:8]}"
    before = len(stack.dispatcher.invocations)
    # WHEN the ProvisionTenant workflow runs
    result = stack.run_state_machine(
        "ProvisionTenantStateMachine", {"tenant": {"tenant_id": tenant_id, "name": "Acme", "industry": "education"}}
    )
    # THEN the Lambda task ran our handler, the tenant is stored and announced
    assert result["status"] == "SUCCEEDED", result
    ran = [name for name, _ in stack.dispatcher.invocations[before:]]
    assert "TenantAdminFunction" in ran
    tenant = requests.get(f"{stack.api_url}/v1/tenant", headers={"X-Tenant-Id": tenant_id}, timeout=10)
    assert tenant.status_code == 200 and tenant.json()["industry"] == "education"


def test_workflow_rejects_a_bad_configuration_by_error_name(stack):
    result = stack.run_state_machine("ProvisionTenantStateMachine", {"tenant": {"tenant_id": "x", "name": "n"}})
    assert result["status"] == "FAILED"
    assert result.get("error") == "InvalidTenant"


def test_sqs_triggered_lambda_runs_real_code_and_is_idempotent(stack):
    # GIVEN feedback posted twice with the same feedback_id
    feedback_id = f"fb-{uuid.uuid4().hex[:10]}"
    body = {"session_id": "s-1", "rating": 2, "comment": "太慢了", "feedback_id": feedback_id}
    before = len(stack.dispatcher.invocations)
    first = requests.post(f"{stack.api_url}/v1/feedback", json=body, headers=TENANT, timeout=10)
    second = requests.post(f"{stack.api_url}/v1/feedback", json=body, headers=TENANT, timeout=10)
    assert first.status_code == second.status_code == 202
    assert first.json()["event_id"] == second.json()["event_id"]
    stack.drain_queues()
    # THEN the queue consumer (real handler) recorded it exactly once
    ran = [name for name, _ in stack.dispatcher.invocations[before:]]
    assert ran.count("EventsConsumerFunction") >= 2
    from tridesk.core.activity_store import DynamoActivityLog

    events = [e for e in DynamoActivityLog().list("demo-ecommerce", limit=500) if e.event_id == first.json()["event_id"]]
    assert len(events) == 1 and events[0].detail["rating"] == 2


def test_poisoned_message_goes_to_the_dead_letter_queue_alone(stack):
    sqs = stack.client("sqs")
    queue_url = stack.physical_id("EventsQueue")
    dlq_url = stack.physical_id("EventsDeadLetterQueue")
    good = load_event("events_consumer_sqs.json")["Records"][0]["body"]
    good_event = json.loads(good) | {"event_id": f"ok-{uuid.uuid4().hex}"}
    poison = '{"event_id": "bad", "this is": "not an event"}'
    sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": "good", "MessageBody": json.dumps(good_event)}, {"Id": "poison", "MessageBody": poison}],
    )
    deadline = time.monotonic() + 20
    dead: list[dict] = []
    while time.monotonic() < deadline and not dead:
        stack.drain_queues()
        dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["Body"] for m in dead] == [poison]
    from tridesk.core.activity_store import DynamoActivityLog

    stored = {e.event_id for e in DynamoActivityLog().list(good_event["tenant_id"], limit=500)}
    assert good_event["event_id"] in stored


def test_bad_requests_get_clear_4xx_never_5xx(stack):
    url = stack.api_url
    cases = [
        (requests.get(f"{url}/v1/tenant", timeout=10), 400, "invalid_request"),
        (requests.get(f"{url}/v1/tenant", headers={"X-Tenant-Id": "no-such-tenant"}, timeout=10), 403, "unknown_tenant"),
        (requests.get(f"{url}/v1/does-not-exist", timeout=10), 404, "not_found"),
        (requests.delete(f"{url}/v1/health", timeout=10), 405, "method_not_allowed"),
        (requests.post(f"{url}/v1/feedback", data="{oops", headers=TENANT | {"Content-Type": "application/json"}, timeout=10), 400, "invalid_request"),
        (requests.post(f"{url}/v1/feedback", data="rating=5", headers=TENANT | {"Content-Type": "text/plain"}, timeout=10), 415, "unsupported_media_type"),
        (requests.post(f"{url}/v1/feedback", json={"session_id": "s", "rating": 9}, headers=TENANT, timeout=10), 400, "invalid_request"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (response.request.method, response.request.url, response.text)
        body = response.json()
        assert body["error"]["code"] == code
        assert set(body["error"]) == {"code", "message", "field"}
        assert "Traceback" not in response.text
    assert cases[-1][0].json()["error"]["field"] == "rating"


def test_responses_carry_a_correlation_id(stack):
    response = requests.get(f"{stack.api_url}/v1/health", headers={"X-Correlation-Id": "abc-123"}, timeout=10)
    assert response.headers["X-Correlation-Id"] == "abc-123"
    assert requests.get(f"{stack.api_url}/v1/health", timeout=10).headers["X-Correlation-Id"]


def test_a_taken_port_is_refused_with_a_clear_message(stack):
    import pytest

    from local.stack import LocalStack, PortInUseError

    with pytest.raises(PortInUseError, match=f"port {stack.api_port}"):
        LocalStack(api_port=stack.api_port, aws_port=0).start()


def test_localstack_mode_deploys_once_and_skips_an_unchanged_stack(stack):
    # GIVEN an AWS endpoint that speaks CloudFormation (the embedded emulator stands in for LocalStack)
    from local import localstack

    name = f"tridesk-ls-{uuid.uuid4().hex[:6]}"
    # WHEN the LocalStack path deploys twice with nothing changed
    first = localstack.deploy(stack.endpoint, with_dependencies=False, stack_name=name)
    second = localstack.deploy(stack.endpoint, with_dependencies=False, stack_name=name)
    # THEN the second deploys nothing, and the stack is usable
    assert (first, second) == ("created", "unchanged")
    env = localstack.export_environment(stack.endpoint, stack_name=name)
    assert env["TENANTS_TABLE"] and env["EVENTS_QUEUE_URL"] and env["AWS_ENDPOINT_URL"] == stack.endpoint
