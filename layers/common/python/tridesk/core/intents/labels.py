"""The intents TriDesk understands, with their bilingual display names."""

from __future__ import annotations

from tridesk.core.i18n import BiText

UNKNOWN = "unknown"

INTENTS: tuple[str, ...] = (
    "order_status",
    "logistics_complaint",
    "return_refund",
    "promotion_question",
    "payment_problem",
    "account_security",
    "wealth_product_question",
    "transfer",
    "course_consultation",
    "learning_progress",
    "complaint",
    "greeting",
    "human_please",
    UNKNOWN,
)

INTENT_LABELS: dict[str, BiText] = {
    "order_status": BiText("订单状态查询", "Order status"),
    "logistics_complaint": BiText("物流投诉", "Delivery complaint"),
    "return_refund": BiText("退货退款", "Return / refund"),
    "promotion_question": BiText("优惠活动咨询", "Promotion question"),
    "payment_problem": BiText("支付问题", "Payment problem"),
    "account_security": BiText("账户安全", "Account security"),
    "wealth_product_question": BiText("理财产品咨询", "Wealth product question"),
    "transfer": BiText("转账", "Transfer"),
    "course_consultation": BiText("课程咨询", "Course consultation"),
    "learning_progress": BiText("学习进度", "Learning progress"),
    "complaint": BiText("投诉", "Complaint"),
    "greeting": BiText("问候", "Greeting"),
    "human_please": BiText("要求人工", "Asked for a human"),
    UNKNOWN: BiText("未识别", "Not understood"),
}


def intent_label(name: str, lang: str | None) -> str:
    """Display name of an intent in ``lang``; the raw name when it is not a known intent."""
    label = INTENT_LABELS.get(name)
    return label.get(lang) if label else name
