"""All models, imported here so `Base.metadata` is complete for Alembic and tests."""

from keta.db.models.applications import Application, ApplicationEvent, Group
from keta.db.models.carriers import Carrier, CarrierCheck
from keta.db.models.documents import LostDocument
from keta.db.models.jobs import Job
from keta.db.models.payments import IdempotencyRecord, Payment
from keta.db.models.ratelimits import RateLimitWindow
from keta.db.models.watchlists import Watchlist, WatchlistEntity, WatchlistVersion

__all__ = [
    "Application",
    "ApplicationEvent",
    "Carrier",
    "CarrierCheck",
    "Group",
    "IdempotencyRecord",
    "Job",
    "LostDocument",
    "Payment",
    "RateLimitWindow",
    "Watchlist",
    "WatchlistEntity",
    "WatchlistVersion",
]
