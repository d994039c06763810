from __future__ import annotations

import pytest

from tridesk.core.errors import ForbiddenError, NotFoundError, ValidationError
from tridesk.core.i18n import BiText, parse_lang
from tridesk.core.observability import mask_pii
from tridesk.core.settings import Settings
from tridesk.core.web import error_from_framework, parse_json_object
from tridesk.core.errors import UnsupportedMediaTypeError


def test_settings_discover_resources_by_naming_convention():
    # GIVEN the variables template.yaml sets
    env = {
        "TENANTS_TABLE": "t-tenants",
        "EVENTS_QUEUE_URL": "https://sqs/q",
        "PROVISION_TENANT_STATE_MACHINE_ARN": "arn:sm",
        "TRIDESK_STAGE": "prod",
        "AWS_REGION": "cn-north-1",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
    }
    # WHEN settings are read
    settings = Settings.from_env(env)
    # THEN each resource is found under its kind and name
    assert settings.table("tenants") == "t-tenants"
    assert settings.queue_url("events") == "https://sqs/q"
    assert settings.state_machine_arn("provision_tenant") == "arn:sm"
    assert settings.stage == "prod" and settings.region == "cn-north-1"
    assert settings.endpoint_url == "http://127.0.0.1:5000"
    with pytest.raises(RuntimeError, match="ORDERS_TABLE"):
        settings.table("orders")


def test_errors_carry_status_code_and_contract_body():
    err = ValidationError("price must be >= 0", field="items[2].price")
    assert err.status == 400
    assert err.to_body() == {"error": {"code": "invalid_request", "message": "price must be >= 0", "field": "items[2].price"}}
    assert ForbiddenError("x").status == 403
    assert NotFoundError("x").status == 404


@pytest.mark.parametrize(
    ("raw", "content_type", "error", "field"),
    [
        (b"{not json", "application/json", ValidationError, "body"),
        (b"[1, 2]", "application/json", ValidationError, "body"),
        (b"", "application/json", ValidationError, "body"),
        (b'{"a": NaN}', "application/json", ValidationError, "body"),
        (b'{"a": 1}', "text/plain", UnsupportedMediaTypeError, None),
    ],
)
def test_bad_bodies_are_client_errors(raw, content_type, error, field):
    with pytest.raises(error) as caught:
        parse_json_object(raw, content_type)
    assert caught.value.field == field
    assert 400 <= caught.value.status < 500


def test_json_object_body_parses():
    assert parse_json_object('{"a": 1.5, "b": "语"}'.encode(), "application/json; charset=utf-8") == {"a": 1.5, "b": "语"}


def test_framework_errors_are_rewritten_to_contract_shape():
    body = error_from_framework(405, {"Code": "MethodNotAllowedError", "Message": "Unsupported method: POST"})
    assert body == {"error": {"code": "method_not_allowed", "message": "Unsupported method: POST", "field": None}}
    hidden = error_from_framework(500, {"Code": "InternalServerError", "Message": "Traceback ..."})
    assert hidden["error"] == {"code": "internal_error", "message": "internal error", "field": None}
    assert error_from_framework(400, {"error": {"code": "x"}}) is None


def test_bilingual_text_and_language_tags():
    text = BiText("您的订单{order}已签收", "Your order {order} was delivered").format(order="E1")
    assert text.get("zh") == "您的订单E1已签收"
    assert text.get("en") == "Your order E1 was delivered"
    assert parse_lang("en-US") == "en" and parse_lang("zh-CN") == "zh" and parse_lang(None) == "zh"


def test_pii_is_masked_in_logs():
    masked = mask_pii("call 13812345678, card 6222020200112233445, mail li.lei@example.com")
    assert "13812345678" not in masked and "138****5678" in masked
    assert "6222020200112233445" not in masked
    assert "li.lei@example.com" not in masked
