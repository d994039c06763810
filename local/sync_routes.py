"""``python -m local.sync_routes``: write the API function's ``Api`` events from the Chalice app.

API Gateway must carry the Chalice routes themselves (Chalice routes by resource path; a
``/{proxy+}`` resource answers 405 to everything), so template.yaml has one ``Api`` event
per route, between the ``BEGIN/END api routes`` markers. This regenerates that block;
a unit test fails when it is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from local.lambdas import Dispatcher
from local.template import ROOT, TEMPLATE, FunctionSource

BEGIN = "        # BEGIN api routes (python -m local.sync_routes)\n"
END = "        # END api routes\n"


def chalice_routes() -> list[tuple[str, str]]:
    source = FunctionSource("ApiFunction", ROOT / "functions" / "api", "app.handler")
    app = Dispatcher().load(source).app
    return sorted((path, method) for path, methods in app.routes.items() for method in methods)


def event_name(path: str, method: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", path) if w and w.lower() != "v1"]
    return method.capitalize() + "".join(w[:1].upper() + w[1:] for w in words)


def render(routes: list[tuple[str, str]]) -> str:
    lines = [BEGIN]
    for path, method in routes:
        lines.append(
            f"        {event_name(path, method)}:\n"
            "          Type: Api\n"
            "          Properties:\n"
            "            RestApiId: !Ref TriDeskApi\n"
            f"            Path: {path}\n"
            f"            Method: {method}\n"
        )
    lines.append(END)
    return "".join(lines)


def sync(template: Path = TEMPLATE) -> bool:
    """Rewrite the block; returns True when the file changed."""
    text = template.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    updated = text[:start] + render(chalice_routes()) + text[end:]
    if updated != text:
        template.write_text(updated, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    changed = sync()
    print("template.yaml updated" if changed else "template.yaml already matches the app")
    sys.exit(0)
