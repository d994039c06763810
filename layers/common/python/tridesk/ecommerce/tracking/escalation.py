"""A promised follow-up that comes due without an answer goes to a person.

When the carrier is still sick at the promised time, ``FollowUpWorker`` sends the customer a final
message; with an escalation configured it also opens a ticket for the agents (``TicketDesk``): the
order, the promise and what was tried are on the ticket's summary card, routed by the
``logistics_complaint`` intent (the logistics skill), in the customer's language. The message then
says that a person is following up instead of asking the customer to contact us.

One ticket per promise: its id is derived from the promise (the promise's time and id), so a
redelivered re-check finds the ticket it opened and opens no second one (the store's conditional
write answers ``ConflictError``).
"""

from __future__ import annotations

from datetime import datetime, timezone

from tridesk.core.errors import ConflictError
from tridesk.core.handoff import CustomerProfile, SummaryCard
from tridesk.core.tickets import TicketDesk, TicketRecord
from tridesk.ecommerce.tracking.followup import FollowUp

INTENT = "logistics_complaint"
REASON = "follow_up_overdue"


def ticket_id_for(follow_up: FollowUp) -> str:
    """The ticket id of a promise (the ``tk-<time>-<hex>`` shape of every ticket id)."""
    at = datetime.fromtimestamp(follow_up.promised_at, timezone.utc)
    return f"tk-{at.strftime('%Y%m%d%H%M%S%f')}-{follow_up.promise_id[:8]}"


class TicketEscalation:
    """``Escalation`` onto the agents' ticket desk."""

    def __init__(self, desk: TicketDesk) -> None:
        self._desk = desk

    def escalate(self, follow_up: FollowUp, now: float) -> bool:
        """Open the promise's ticket; False when it is already open (a redelivered re-check)."""
        f = follow_up
        ticket_id = ticket_id_for(f)
        at = datetime.fromtimestamp(now, timezone.utc)
        card = SummaryCard(
            customer=CustomerProfile(customer_id=f.customer_id),
            channels=[],
            intents=["order_status", INTENT],
            primary_intent=INTENT,
            order_ids=[f.order_id],
            facts={},
            bot_tried=[{"intent": "order_status", "action": "tracking.follow_up", "resolved": False}],
            sentiment="neutral",
            worst_sentiment="neutral",
            reason=REASON,
            last_customer_message=None,
            waiting_since=datetime.fromtimestamp(f.promised_at, timezone.utc),
            turn_count=0,
        )
        ticket = TicketRecord(
            tenant_id=f.tenant, ticket_id=ticket_id, customer_id=f.customer_id, status="waiting", reason=REASON,
            intent=INTENT, created_at=at, summary=card.to_dict(), lang=f.lang or "zh",
        )
        try:
            self._desk.open(ticket)
        except ConflictError:
            return False
        return True
