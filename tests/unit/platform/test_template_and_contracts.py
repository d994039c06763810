"""template.yaml, the Chalice routes, docs/openapi.yaml and events/ must agree."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from local import template as local_template
from local.lambdas import Dispatcher
from local.template import FunctionSource

ROOT = Path(__file__).resolve().parents[3]
LAYER = ROOT / "layers" / "common" / "python" / "tridesk"


@pytest.fixture(scope="module")
def sam() -> dict:
    return local_template.load_sam()


@pytest.fixture(scope="module")
def chalice_routes() -> set[tuple[str, str]]:
    source = FunctionSource("ApiFunction", ROOT / "functions" / "api", "app.handler")
    app = Dispatcher().load(source).app
    return {(path, method) for path, methods in app.routes.items() for method in methods}


def test_cfn_lint_is_clean():
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(ROOT / "template.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_template_translates_offline(sam):
    cfn = local_template.to_cloudformation(sam, {"Stage": "dev"})
    kinds = {r["Type"] for r in cfn["Resources"].values()}
    assert {"AWS::Lambda::Function", "AWS::Lambda::LayerVersion", "AWS::DynamoDB::Table", "AWS::SQS::Queue",
            "AWS::StepFunctions::StateMachine", "AWS::ApiGateway::RestApi"} <= kinds
    local = local_template.for_local_stack(cfn)
    assert not any(r["Type"].startswith("AWS::ApiGateway::") for r in local["Resources"].values())


def test_runtime_and_powertools_globals(sam):
    function_globals = sam["Globals"]["Function"]
    assert function_globals["Runtime"] == "python3.13"
    variables = function_globals["Environment"]["Variables"]
    assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL"} <= set(variables)


def test_api_gateway_routes_are_the_chalice_routes(sam, chalice_routes):
    # GIVEN the Api events of the API function (no /{proxy+}: Chalice routes by resource path)
    events = sam["Resources"]["ApiFunction"]["Properties"]["Events"].values()
    api_routes = {(e["Properties"]["Path"], e["Properties"]["Method"].upper()) for e in events if e["Type"] == "Api"}
    assert not any("{proxy+}" in path for path, _ in api_routes)
    # THEN they are exactly the routes of the Chalice app
    assert api_routes == chalice_routes


def test_openapi_lists_every_route_and_nothing_else(chalice_routes):
    spec = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    documented = {
        (path, method.upper())
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert documented == chalice_routes


def test_every_function_has_a_sample_event(sam):
    events = sorted(p.name for p in (ROOT / "events").glob("*.json"))
    for logical_id, source in local_template.function_sources(sam).items():
        prefix = source.code_dir.name + "_"
        assert any(name.startswith(prefix) for name in events), f"{logical_id}: no events/{prefix}*.json"
        assert (source.code_dir / "app.py").exists()
    for name in events:
        json.loads((ROOT / "events" / name).read_text(encoding="utf-8"))


def test_state_machines_declare_every_substitution(sam):
    for logical_id, resource in sam["Resources"].items():
        if resource["Type"] != "AWS::Serverless::StateMachine":
            continue
        props = resource["Properties"]
        text = (ROOT / props["DefinitionUri"]).read_text(encoding="utf-8")
        json.loads(text)
        import re

        used = set(re.findall(r"\$\{(\w+)\}", text))
        assert used == set(props.get("DefinitionSubstitutions", {})), logical_id


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_dependencies_point_one_way():
    industries = ("ecommerce", "finance", "education")
    for path in LAYER.rglob("*.py"):
        imports = _imports(path)
        area = path.relative_to(LAYER).parts[0]
        assert not any(m == "local" or m.startswith("local.") for m in imports), f"{path} imports local/"
        assert not any(m.startswith("chalice") for m in imports), f"{path}: the layer never imports Chalice"
        if area == "core":
            bad = [m for m in imports if any(m.startswith(f"tridesk.{i}") for i in industries)]
            assert not bad, f"{path}: core imports an industry: {bad}"
        elif area in industries:
            others = [i for i in industries if i != area]
            bad = [m for m in imports if any(m.startswith(f"tridesk.{o}") for o in others)]
            assert not bad, f"{path}: {area} imports another industry: {bad}"
    for path in (ROOT / "functions").rglob("*.py"):
        assert not any(m == "local" or m.startswith("local.") for m in _imports(path)), path


def test_api_events_block_is_generated_from_the_app():
    from local import sync_routes

    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    block = text[text.index(sync_routes.BEGIN): text.index(sync_routes.END) + len(sync_routes.END)]
    assert block == sync_routes.render(sync_routes.chalice_routes()), "run: uv run python -m local.sync_routes"
