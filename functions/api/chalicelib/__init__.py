"""Route modules of the API (Chalice blueprints), packaged with app.py as Chalice expects.

Every module here that defines a ``bp`` Blueprint is registered by app.py, in name order:
an area adds its routes by adding a module, without editing app.py.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def route_modules() -> list[ModuleType]:
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "bp"):
            modules.append(module)
    return modules
