"""Step Functions task of the ProvisionTenant workflow: validate a tenant configuration.

Raises ``ValidationError`` (the workflow's Catch matches it by name) on a bad configuration.
"""

from __future__ import annotations

from typing import Any

from tridesk.core.observability import logger, tracer
from tridesk.core.tenants import provision_request


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result = provision_request(event)
    logger.info("tenant validated", extra={"tenant_id": result["tenant_id"]})
    return result
