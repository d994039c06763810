"""Local stand-in of the push service, WeChat and the SMS gateway: ``local.channel_service`` on loopback.

The stack's handle is the :class:`ChannelService` itself (``stack.upstreams["channels"]``): tests
read what it received (``messages()``) and change its health in process (``set_faults``,
``expire_tokens``) or over HTTP (``POST /admin/faults``). Its URL and the per-run keys and app
secret it generates override the template's parameters (which are NoEcho for the secrets).
"""

from __future__ import annotations

from local.channel_service import ChannelService


def start(host: str) -> tuple[ChannelService, dict[str, str]]:
    service = ChannelService(port=0, host=host).start()
    return service, service.env()
