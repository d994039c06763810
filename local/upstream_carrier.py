"""Local stand-in of the OMS and the carrier/TMS: ``local.carrier_service`` on a free loopback port.

The stack's handle is the :class:`CarrierService` itself (``stack.upstreams["carrier"]``), so tests
and benchmarks change its health in process (``set_faults``/``reset_faults``) or over HTTP
(``POST /admin/faults``). Its URL overrides the template's example hosts.
"""

from __future__ import annotations

from local.carrier_service import CarrierService


def start(host: str) -> tuple[CarrierService, dict[str, str]]:
    service = CarrierService(port=0, host=host).start()
    return service, {"TRIDESK_OMS_URL": service.url, "TRIDESK_CARRIER_URL": service.url}
