"""template.yaml -> CloudFormation for the local stack, offline.

aws-sam-translator needs local paths resolved: CodeUri/ContentUri become s3:// placeholders
(the code runs in-process, see ``local.lambdas``) and DefinitionUri becomes an inline
Definition. API Gateway and Lambda permissions are left out locally, where Chalice serves
the API (moto's CloudFormation cannot create them).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
CODE_BUCKET = "tridesk-local-code"
LOCAL_ONLY_DROPPED = ("AWS::ApiGateway::", "AWS::Lambda::Permission")


@dataclass(frozen=True)
class FunctionSource:
    """Where a function's code lives in this checkout."""

    logical_id: str
    code_dir: Path
    handler: str


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def load_sam(path: Path = TEMPLATE) -> dict[str, Any]:
    return yaml_parse(path.read_text(encoding="utf-8"))


def function_sources(sam: dict[str, Any], root: Path = ROOT) -> dict[str, FunctionSource]:
    """Logical id -> code folder and handler, for every AWS::Serverless::Function."""
    found = {}
    for logical_id, resource in sam.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            props = resource.get("Properties", {})
            found[logical_id] = FunctionSource(logical_id, (root / props["CodeUri"]).resolve(), props["Handler"])
    return found


def to_cloudformation(
    sam: dict[str, Any], parameters: dict[str, str] | None = None, root: Path = ROOT
) -> dict[str, Any]:
    """Translate the SAM template offline (raises ValueError with the translator's messages)."""
    sam = copy.deepcopy(sam)
    for logical_id, resource in sam.get("Resources", {}).items():
        props = resource.get("Properties", {})
        kind = resource.get("Type")
        if kind == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            props["CodeUri"] = f"s3://{CODE_BUCKET}/{logical_id}.zip"
        elif kind == "AWS::Serverless::LayerVersion" and isinstance(props.get("ContentUri"), str):
            props["ContentUri"] = f"s3://{CODE_BUCKET}/{logical_id}.zip"
        elif kind == "AWS::Serverless::StateMachine" and isinstance(props.get("DefinitionUri"), str):
            props["Definition"] = json.loads((root / props.pop("DefinitionUri")).read_text(encoding="utf-8"))
    try:
        return transform(sam, parameters or {}, _NoManagedPolicies())
    except InvalidDocumentException as exc:
        messages = "; ".join(str(cause) for cause in exc.causes)
        raise ValueError(f"template.yaml does not translate: {messages}") from exc


def for_local_stack(cfn: dict[str, Any]) -> dict[str, Any]:
    """Drop what moto cannot create and what Chalice replaces locally (API Gateway, permissions)."""
    cfn = copy.deepcopy(cfn)
    resources = cfn["Resources"]
    dropped = [k for k, v in resources.items() if v["Type"].startswith(LOCAL_ONLY_DROPPED)]
    for logical_id in dropped:
        del resources[logical_id]
    outputs = cfn.get("Outputs", {})
    for name in list(outputs):
        text = json.dumps(outputs[name])
        if any(logical_id in text for logical_id in dropped) or "AWS::URLSuffix" in text:
            del outputs[name]
    return cfn


def state_machines(cfn: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Logical id -> properties of every AWS::StepFunctions::StateMachine."""
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in cfn["Resources"].items()
        if resource["Type"] == "AWS::StepFunctions::StateMachine"
    }
