"""Local carrier + OMS HTTP service: a real HTTP peer for the tracking adapters, on loopback.

Serves a deterministic demo dataset (orders of a few demo customers, with Chinese and English
tracking events in settled, in-transit and exception states) plus synthetic load orders
(``ECL00000001``...), and lets its health be changed at run time through
``POST /admin/faults {"latency_ms", "error_rate", "timeout_ms", "outage"}``. Contract:
docs/adapters/carrier.md and docs/adapters/oms.md.

In process: ``svc = CarrierService(port=0).start(); svc.url; svc.set_faults(error_rate=0.5); svc.stop()``.
Standalone: ``python -m local.carrier_service --port 8081``. Development only: nothing deployed imports it.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote, urlsplit

from local.loopback import Faults, JsonHandler, LoopbackService
from tridesk.core.i18n import BiText
from tridesk.ecommerce.tracking.models import (
    Order,
    OrderItem,
    TrackingEvent,
    TrackingSnapshot,
    TrackingStatus,
)

CST = timezone(timedelta(hours=8))
DEMO_TENANT = "demo-ecommerce"
DEMO_ANCHOR = datetime(2026, 11, 13, 20, 0, tzinfo=CST)
LOAD_CUSTOMER = "cust-load"
LOAD_ORDER_RE = re.compile(r"^ECL(\d{8})$")
LOAD_PARCEL_RE = re.compile(r"^LD(\d{10})$")

S = TrackingStatus
# (hours before the anchor, status, location zh, location en, description zh, description en)
_Step = tuple[float, TrackingStatus, str, str, str, str]

_SF_SZ_SH: list[_Step] = [
    (50, S.PICKED_UP, "深圳市南山区", "Nanshan, Shenzhen", "顺丰速运 已收取快件", "SF Express has picked up the parcel"),
    (46, S.IN_TRANSIT, "深圳市", "Shenzhen", "快件已到达【深圳华南陆运枢纽】",
     "Arrived at the Shenzhen South China land hub"),
    (44, S.IN_TRANSIT, "深圳市", "Shenzhen", "快件已从【深圳华南陆运枢纽】发出，下一站【上海虹桥中转场】",
     "Departed the Shenzhen South China land hub, next stop Shanghai Hongqiao transit center"),
    (20, S.IN_TRANSIT, "上海市", "Shanghai", "快件已到达【上海虹桥中转场】", "Arrived at the Shanghai Hongqiao transit center"),
    (6, S.ARRIVED_AT_STATION, "上海市徐汇区", "Xuhui, Shanghai", "快件已到达【上海徐汇田林营业点】",
     "Arrived at the Shanghai Xuhui Tianlin delivery station"),
    (3, S.OUT_FOR_DELIVERY, "上海市徐汇区", "Xuhui, Shanghai", "快件交给王师傅，正在派送途中（联系电话：138****2046）",
     "Out for delivery with courier Wang (tel. 138****2046)"),
    (1, S.SIGNED, "上海市徐汇区", "Xuhui, Shanghai", "已签收，签收人：本人。感谢使用顺丰，期待再次为您服务",
     "Signed for by the recipient. Thank you for choosing SF Express"),
]
_ZTO_HZ_BJ: list[_Step] = [
    (30, S.PICKED_UP, "杭州市余杭区", "Yuhang, Hangzhou", "【杭州余杭仓前网点】已揽收", "Picked up by the Hangzhou Yuhang Cangqian branch"),
    (26, S.IN_TRANSIT, "杭州市", "Hangzhou", "快件已到达【杭州转运中心】", "Arrived at the Hangzhou transit center"),
    (24, S.IN_TRANSIT, "杭州市", "Hangzhou", "快件已从【杭州转运中心】发出，发往【北京转运中心】",
     "Departed the Hangzhou transit center for the Beijing transit center"),
    (4, S.IN_TRANSIT, "北京市", "Beijing", "快件已到达【北京转运中心】", "Arrived at the Beijing transit center"),
]
_YTO_GZ_CD: list[_Step] = [
    (40, S.PICKED_UP, "广州市白云区", "Baiyun, Guangzhou", "圆通速递【广州白云区太和】已揽收",
     "Picked up by YTO Express, Guangzhou Baiyun Taihe branch"),
    (37, S.IN_TRANSIT, "广州市", "Guangzhou", "快件已到达【广州转运中心】", "Arrived at the Guangzhou transit center"),
    (12, S.IN_TRANSIT, "成都市", "Chengdu", "快件已到达【成都转运中心】", "Arrived at the Chengdu transit center"),
    (5, S.ARRIVED_AT_STATION, "成都市武侯区", "Wuhou, Chengdu", "快件已到达【成都武侯区簇桥】",
     "Arrived at the Chengdu Wuhou Cuqiao station"),
    (2, S.OUT_FOR_DELIVERY, "成都市武侯区", "Wuhou, Chengdu", "【成都武侯区簇桥】派件员：李师傅 139****7781 正在为您派件",
     "Courier Li (tel. 139****7781) of the Chengdu Wuhou Cuqiao station is delivering your parcel"),
]
_JD_LOCKER: list[_Step] = [
    (20, S.PICKED_UP, "北京市大兴区", "Daxing, Beijing", "您的订单已出库，京东快递已揽收",
     "Your order has left the warehouse and was picked up by JD Logistics"),
    (14, S.IN_TRANSIT, "北京市", "Beijing", "您的包裹已到达【北京通州分拣中心】", "Your parcel arrived at the Beijing Tongzhou sorting center"),
    (6, S.OUT_FOR_DELIVERY, "北京市朝阳区", "Chaoyang, Beijing", "配送员【赵师傅】正在为您派件",
     "Courier Zhao is delivering your parcel"),
    (4, S.DELIVERED, "北京市朝阳区", "Chaoyang, Beijing", "您的包裹已放入【望京西园三区丰巢智能柜】，请凭取件码取件",
     "Your parcel was placed in the Hive Box locker at Wangjing Xiyuan Zone 3; collect it with your pickup code"),
]
_SF_HELD: list[_Step] = _SF_SZ_SH[:3] + [
    (18, S.IN_TRANSIT, "武汉市", "Wuhan", "快件已到达【武汉华中航空枢纽】", "Arrived at the Wuhan Central China air hub"),
    (10, S.HELD, "武汉市", "Wuhan", "受暴雨天气影响，航班取消，快件滞留在【武汉华中航空枢纽】，恢复后将尽快发出",
     "Held at the Wuhan Central China air hub: flights cancelled by heavy rain; it will leave as soon as they resume"),
]
_ZTO_DAMAGED: list[_Step] = _ZTO_HZ_BJ[:3] + [
    (8, S.DAMAGED, "北京市", "Beijing", "快件外包装破损，已暂扣在【北京转运中心】，客服将联系您处理",
     "The parcel's packaging was damaged; it is held at the Beijing transit center and customer service will contact you"),
]
_EMS_RETURNED: list[_Step] = [
    (96, S.PICKED_UP, "南京市", "Nanjing", "中国邮政 EMS 已收寄", "Accepted by China Post EMS"),
    (80, S.IN_TRANSIT, "南京市", "Nanjing", "离开【南京邮区中心】，发往【西安邮区中心】",
     "Left the Nanjing mail center for the Xi'an mail center"),
    (50, S.OUT_FOR_DELIVERY, "西安市雁塔区", "Yanta, Xi'an", "【西安小寨营业部】安排投递", "Out for delivery from the Xi'an Xiaozhai branch"),
    (48, S.REFUSED, "西安市雁塔区", "Yanta, Xi'an", "收件人拒收", "Refused by the recipient"),
    (30, S.RETURNED, "西安市", "Xi'an", "快件已退回，正在返回寄件人", "The parcel is on its way back to the sender"),
]
_YTO_LOST: list[_Step] = _YTO_GZ_CD[:2] + [
    (30, S.IN_TRANSIT, "广州市", "Guangzhou", "快件已从【广州转运中心】发出，发往【成都转运中心】",
     "Departed the Guangzhou transit center for the Chengdu transit center"),
    (2, S.LOST, "成都市", "Chengdu", "快件在运输途中遗失，已启动理赔流程，客服将与您联系",
     "The parcel was lost in transit; a claim has been opened and customer service will contact you"),
]
_JD_PICKED: list[_Step] = _JD_LOCKER[:1]

_CUSTOMERS = ("cust-zhangwei", "cust-lina", "cust-emily")
# (order id, customer, carrier, tracking number or None, route, eta hours after the anchor, items)
_ItemSpec = tuple[str, str, str, int, int]
_DEMO: list[tuple[str, str, str | None, str | None, list[_Step], float | None, list[_ItemSpec]]] = [
    ("ECD20261111001", _CUSTOMERS[0], "SF", "SF1400270151928", _SF_SZ_SH, None,
     [("SKU-PHONE-128", "智能手机 128GB", "Smartphone 128 GB", 1, 399900)]),
    ("ECD20261111002", _CUSTOMERS[0], "ZTO", "ZTO78120345561", _ZTO_HZ_BJ, 20,
     [("SKU-TEA-500", "西湖龙井 500g", "West Lake Longjing tea 500 g", 2, 26800)]),
    ("ECD20261111003", _CUSTOMERS[0], "YTO", "YT8823410097312", _YTO_GZ_CD, 3,
     [("SKU-SHOE-42", "跑步鞋 42码", "Running shoes, size 42", 1, 59900)]),
    ("ECD20261111004", _CUSTOMERS[1], "JD", "JDX019283746501", _JD_LOCKER, None,
     [("SKU-MILK-24", "纯牛奶 24盒", "Whole milk, 24 cartons", 1, 6990),
      ("SKU-RICE-5K", "东北大米 5kg", "Northeast rice 5 kg", 1, 4990)]),
    ("ECD20261111005", _CUSTOMERS[1], "SF", "SF1400270159933", _SF_HELD, 40,
     [("SKU-COAT-M", "羽绒服 M码", "Down jacket, size M", 1, 129900)]),
    ("ECD20261111006", _CUSTOMERS[1], "ZTO", "ZTO78120349902", _ZTO_DAMAGED, None,
     [("SKU-VASE-01", "青花瓷花瓶", "Blue-and-white porcelain vase", 1, 35800)]),
    ("ECD20261111007", _CUSTOMERS[2], "EMS", "EA102938475CN", _EMS_RETURNED, None,
     [("SKU-BOOK-PY", "Python 编程（第3版）", "Python Programming, 3rd edition", 1, 8900)]),
    ("ECD20261111008", _CUSTOMERS[2], None, None, [], None,
     [("SKU-LAMP-01", "护眼台灯", "Eye-care desk lamp", 1, 19900)]),
    ("ECD20261111009", _CUSTOMERS[2], "YTO", "YT8823410099040", _YTO_LOST, None,
     [("SKU-EAR-02", "降噪耳机", "Noise-cancelling earphones", 1, 89900)]),
    ("ECD20261111010", _CUSTOMERS[2], "JD", "JDX019283799120", _JD_PICKED, 30,
     [("SKU-KB-87", "机械键盘", "Mechanical keyboard", 1, 49900)]),
]


def _events(route: list[_Step], anchor: datetime) -> tuple[TrackingEvent, ...]:
    return tuple(
        TrackingEvent(anchor - timedelta(hours=h), status, BiText(lzh, len_), BiText(dzh, den))
        for h, status, lzh, len_, dzh, den in route
    )


def _order_status(route: list[_Step], tracking_number: str | None) -> str:
    if tracking_number is None:
        return "paid"
    if route and route[-1][1] in (S.SIGNED, S.DELIVERED):
        return "completed"
    return "shipped"


def demo_orders(tenant: str = DEMO_TENANT, anchor: datetime = DEMO_ANCHOR) -> list[Order]:
    """The fixed demo orders of three demo customers, in settled, in-transit and exception states."""
    orders = []
    for order_id, customer, carrier, number, route, _eta, items in _DEMO:
        created = anchor - timedelta(hours=(route[0][0] + 6) if route else 8)
        orders.append(Order(
            tenant=tenant, order_id=order_id, customer_id=customer, status=_order_status(route, number),
            created_at=created,
            items=tuple(OrderItem(sku, BiText(zh, en), qty, price) for sku, zh, en, qty, price in items),
            carrier=carrier, tracking_number=number,
        ))
    return orders


def demo_shipments(anchor: datetime = DEMO_ANCHOR) -> dict[tuple[str, str], TrackingSnapshot]:
    """The carrier's view of the demo parcels, keyed by (carrier, tracking number); ``as_of`` is the anchor."""
    out: dict[tuple[str, str], TrackingSnapshot] = {}
    for _order_id, _customer, carrier, number, route, eta, _items in _DEMO:
        if carrier is None or number is None:
            continue
        events = _events(route, anchor)
        out[(carrier, number)] = TrackingSnapshot(
            carrier=carrier, tracking_number=number, status=events[-1].status, events=events, as_of=anchor,
            estimated_delivery=None if eta is None else anchor + timedelta(hours=eta),
        )
    return out


def load_order(tenant: str, n: int, anchor: datetime = DEMO_ANCHOR) -> Order:
    """Synthetic order ``ECL{n:08d}`` of ``cust-load``, for benchmarks that need many distinct keys."""
    return Order(tenant=tenant, order_id=f"ECL{n:08d}", customer_id=LOAD_CUSTOMER, status="shipped",
                 created_at=anchor - timedelta(hours=30),
                 items=(OrderItem("SKU-LOAD", BiText("压测商品", "Load-test item"), 1, 1000),),
                 carrier="ZTO", tracking_number=f"LD{n:010d}")


def load_shipment(n: int, anchor: datetime = DEMO_ANCHOR) -> TrackingSnapshot:
    """The parcel of ``load_order(n)``: in transit, except every tenth which is signed (cacheable states only)."""
    route = _ZTO_HZ_BJ if n % 10 else _SF_SZ_SH
    events = _events(route, anchor)
    return TrackingSnapshot("ZTO", f"LD{n:010d}", events[-1].status, events, anchor,
                            None if n % 10 == 0 else anchor + timedelta(hours=20))


class CarrierService(LoopbackService):
    """The OMS and carrier routes over the demo data; ``start()`` serves from a daemon thread."""

    thread_name = "carrier-service"

    def __init__(self, port: int = 0, host: str = "127.0.0.1", *, tenant: str = DEMO_TENANT,
                 anchor: datetime | None = None, seed: int = 7) -> None:
        if anchor is None:
            anchor = datetime.now(CST).replace(minute=0, second=0, microsecond=0)
        self.tenant = tenant
        self.anchor = anchor
        self.orders = {o.order_id: o for o in demo_orders(tenant, anchor)}
        self.shipments = demo_shipments(anchor)
        self.paths: Counter[str] = Counter()
        super().__init__(port, host, seed=seed, handler_for=_handler_for,
                         stats={"requests": 0, "ok": 0, "not_found": 0, "errors": 0, "timeouts": 0, "dropped": 0})

    def count_path(self, path: str) -> None:
        with self._lock:
            self.paths[path] += 1

    def requests_mentioning(self, *needles: str) -> int:
        """Requests whose path names any of ``needles`` (an order id, a tracking number)."""
        with self._lock:
            return sum(n for path, n in self.paths.items() if any(needle in path for needle in needles))

    def find_order(self, tenant: str, order_id: str) -> Order | None:
        if tenant != self.tenant:
            return None
        m = LOAD_ORDER_RE.match(order_id)
        if m:
            return load_order(tenant, int(m.group(1)), self.anchor)
        return self.orders.get(order_id)

    def find_shipment(self, carrier: str, number: str) -> TrackingSnapshot | None:
        m = LOAD_PARCEL_RE.match(number)
        if m and carrier == "ZTO":
            return load_shipment(int(m.group(1)), self.anchor)
        return self.shipments.get((carrier, number))


def _handler_for(svc: CarrierService) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        server_version = "TriDeskLocalCarrier/1.0"

        def _parts(self) -> list[str]:
            return [unquote(p) for p in urlsplit(self.path).path.split("/") if p]

        def _read_json(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            return json.loads(raw or b"{}")

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            parts = self._parts()
            if parts == ["health"]:
                self._send(200, {"status": "ok", "faults": asdict(svc.faults)})
            elif parts == ["admin", "faults"]:
                self._send(200, asdict(svc.faults))
            elif parts == ["admin", "stats"]:
                self._send(200, svc.stats_snapshot())
            elif len(parts) >= 2 and parts[0] in ("oms", "carrier") and parts[1] == "v1":
                self._business(parts[2:], oms=parts[0] == "oms")
            else:
                self._error(404, "no_route", f"no route for GET {urlsplit(self.path).path}")

        def do_POST(self) -> None:  # noqa: N802 - stdlib naming
            if self._parts() != ["admin", "faults"]:
                self._error(404, "no_route", "no route")
                return
            try:
                body = self._read_json()
                faults = svc.set_faults(**body) if isinstance(body, dict) else Faults.validated(svc.faults, body)
            except (ValueError, TypeError) as exc:
                self._error(400, "invalid_faults", str(exc))
                return
            self._send(200, asdict(faults))

        def do_DELETE(self) -> None:  # noqa: N802 - stdlib naming
            if self._parts() != ["admin", "faults"]:
                self._error(404, "no_route", "no route")
                return
            self._send(200, asdict(svc.reset_faults()))

        def _business(self, rest: list[str], *, oms: bool) -> None:
            svc.count("requests")
            svc.count_path(self.path)
            faults = svc.faults
            if faults.outage:
                svc.count("dropped")
                self.close_connection = True
                return
            svc.wait(faults.latency_ms / 1000)
            if faults.error_rate and svc.roll(faults.error_rate):
                if faults.timeout_ms:
                    svc.count("timeouts")
                    svc.wait(faults.timeout_ms / 1000)
                    self._error(504, "upstream_timeout", "the carrier system timed out")
                else:
                    svc.count("errors")
                    self._error(503, "unavailable", "the carrier system is temporarily unavailable")
                return
            if oms:
                self._oms(rest)
            else:
                self._carrier(rest)

        def _oms(self, rest: list[str]) -> None:
            tenant = self.headers.get("X-Tenant-Id")
            if not tenant:
                self._error(400, "missing_tenant", "X-Tenant-Id header is required")
                return
            if len(rest) == 2 and rest[0] == "orders":
                order = svc.find_order(tenant, rest[1])
                if order is None:
                    svc.count("not_found")
                    self._error(404, "order_not_found", "no such order")
                    return
                svc.count("ok")
                self._send(200, {"order": order.to_dict()})
            elif len(rest) == 3 and rest[0] == "customers" and rest[2] == "orders":
                orders = [o.to_dict() for o in svc.orders.values() if o.customer_id == rest[1]]
                svc.count("ok")
                self._send(200, {"orders": orders if tenant == svc.tenant else []})
            else:
                self._error(404, "no_route", "no such OMS route")

        def _carrier(self, rest: list[str]) -> None:
            if len(rest) != 3 or rest[0] != "shipments":
                self._error(404, "no_route", "no such carrier route")
                return
            snapshot = svc.find_shipment(rest[1], rest[2])
            if snapshot is None:
                svc.count("not_found")
                self._error(404, "parcel_not_found", "no such parcel")
                return
            svc.count("ok")
            body = snapshot.to_dict()
            body["as_of"] = datetime.now(CST).isoformat()
            self._send(200, body)

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted: ``python -m local.carrier_service --port 8081``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tenant", default=DEMO_TENANT)
    args = parser.parse_args(argv)
    svc = CarrierService(args.port, args.host, tenant=args.tenant)
    print(f"carrier + OMS service on {svc.url} (tenant {svc.tenant}); Ctrl-C to stop", flush=True)
    svc.serve_until_interrupted()


if __name__ == "__main__":
    main()
