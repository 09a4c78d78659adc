"""All models, imported here so `Base.metadata` is complete for Alembic and tests."""

from keta.db.models.applications import Application, ApplicationEvent, Group
from keta.db.models.audit import AuditHead, AuditRecord
from keta.db.models.border import BorderEntry, StaffApiKey
from keta.db.models.carriers import Carrier, CarrierCheck
from keta.db.models.documents import LostDocument
from keta.db.models.instance import InstanceFlag
from keta.db.models.jobs import Job
from keta.db.models.keys import DataKeyRecord
from keta.db.models.payments import IdempotencyRecord, Payment, PaymentEventRecord, PaymentItem
from keta.db.models.ratelimits import RateLimitWindow
from keta.db.models.rescreen import RescreenRun
from keta.db.models.review import CaseAction, InformationRequest, RedressRequest, ReviewCase
from keta.db.models.staff import StaffMember, StaffSession
from keta.db.models.watchlists import Watchlist, WatchlistEntity, WatchlistVersion

__all__ = [
    "Application",
    "ApplicationEvent",
    "AuditHead",
    "AuditRecord",
    "BorderEntry",
    "Carrier",
    "CarrierCheck",
    "CaseAction",
    "DataKeyRecord",
    "Group",
    "IdempotencyRecord",
    "InformationRequest",
    "InstanceFlag",
    "Job",
    "LostDocument",
    "Payment",
    "PaymentEventRecord",
    "PaymentItem",
    "RateLimitWindow",
    "RedressRequest",
    "RescreenRun",
    "ReviewCase",
    "StaffApiKey",
    "StaffMember",
    "StaffSession",
    "Watchlist",
    "WatchlistEntity",
    "WatchlistVersion",
]
