"""All models, imported here so `Base.metadata` is complete for Alembic and tests."""

from keta.db.models.applications import Application, ApplicationEvent, Group
from keta.db.models.documents import LostDocument
from keta.db.models.instance import InstanceFlag
from keta.db.models.jobs import Job
from keta.db.models.payments import IdempotencyRecord, Payment, PaymentEventRecord, PaymentItem
from keta.db.models.watchlists import Watchlist, WatchlistEntity, WatchlistVersion

__all__ = [
    "Application",
    "ApplicationEvent",
    "Group",
    "IdempotencyRecord",
    "InstanceFlag",
    "Job",
    "LostDocument",
    "Payment",
    "PaymentEventRecord",
    "PaymentItem",
    "Watchlist",
    "WatchlistEntity",
    "WatchlistVersion",
]
