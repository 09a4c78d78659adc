"""The application factory: wires settings, database, runtime, routers and the error table."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from keta.adapters.clock import Clock, SystemClock
from keta.adapters.crypto import install_keyring
from keta.adapters.mailer import DEFAULT_MAILBOX, mailer_for
from keta.adapters.payments import PaymentProvider, provider_for
from keta.adapters.policy_files import load_policy, policy_checksum
from keta.adapters.safelog import configure as configure_logging
from keta.config import Settings
from keta.db.engine import make_engine, make_lean_engine
from keta.db.session import make_sessionmaker, session_scope
from keta.i18n import load_catalogs
from keta.jobs.runner import Worker
from keta.jobs.schedule import Scheduler
from keta.services import audit, key_registry
from keta.services.ratelimits import rate_limiter_for
from keta.services.runtime import Runtime
from keta.web import (
    agency,
    api_docs,
    backoffice,
    border,
    carrier,
    dev_mailbox,
    errors,
    metrics,
    payments,
    portal,
    refusals,
)
from keta.web.api import applications, eligibility, groups
from keta.web.body_limits import BodyLimitMiddleware
from keta.web.route_limits import route_limits
from keta.web.security_headers import SecurityHeadersMiddleware
from keta.web.throttle import Throttle

log = logging.getLogger("keta.web")


def payments_for(settings: Settings, clock: Clock) -> PaymentProvider:
    """The provider the settings name (they have refused the sandbox in production already)."""
    api_key, webhook_secret = settings.payment_api_key, settings.payment_webhook_secret
    return provider_for(
        settings.payments,
        clock=clock,
        secret_key=settings.secret_key.get_secret_value(),
        gateway_url=settings.payment_gateway_url,
        api_key=api_key.get_secret_value() if api_key else None,
        webhook_secret=webhook_secret.get_secret_value() if webhook_secret else None,
        timeout=settings.payment_timeout_seconds,
    )


def create_app(settings: Settings, *, clock: Clock | None = None, start_worker: bool | None = None) -> FastAPI:
    load_catalogs()  # a missing or broken catalog fails here, not on a traveller's request
    clock = clock or SystemClock()
    runtime = Runtime(
        policy=load_policy(settings.policy),
        clock=clock,
        keyring=install_keyring(settings.data_key.get_secret_value(), settings.previous_data_keys),
        payments=payments_for(settings, clock),
        mailer=mailer_for(settings.env, settings.smtp_url, settings.mailbox_dir),
        idempotency_ttl=timedelta(hours=settings.idempotency_hours),
    )
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    # Refuse to start (KeyringMismatch, one line naming the setting) when data remain under a key
    # the keyring lacks; otherwise record the current key in the registry.
    try:
        with session_scope(factory) as session:
            key_registry.check_and_register(session, runtime.keyring, now=clock.now())
            audit.policy_in_force(
                session, runtime.keyring, code=runtime.policy.code, checksum=policy_checksum(settings.policy),
                now=clock.now(),
            )  # fmt: skip
    except BaseException:
        engine.dispose()
        raise
    # The carrier check's hot path: no pre-ping, audit records committed without a disk wait, and
    # one connection per carrier-check thread (keta.web.carrier.routes).
    carrier_engine = make_lean_engine(
        settings.carrier_database_url or settings.database_url,
        synchronous_commit=settings.carrier_audit_synchronous,
        pool_size=carrier.CONCURRENT_CHECKS,
    )
    # With KETA_CARRIER_DATABASE_URL the reads go to a replica, which refuses writes: the audit
    # records need an engine of their own on the primary.
    carrier_audit_engine = carrier_engine
    if settings.carrier_database_url:
        carrier_audit_engine = make_lean_engine(
            settings.database_url,
            synchronous_commit=settings.carrier_audit_synchronous,
            pool_size=carrier.CONCURRENT_CHECKS,
        )
    embedded = settings.embedded_worker if start_worker is None else start_worker
    limiter = rate_limiter_for(
        settings.rate_limit_url, database_url=settings.database_url, secret=settings.secret_key.get_secret_value()
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.carrier_threads = anyio.CapacityLimiter(carrier.CONCURRENT_CHECKS)  # needs the event loop
        worker = None
        if embedded:
            worker = Worker(
                factory,
                runtime,
                lease_seconds=settings.job_lease_seconds,
                poll_seconds=settings.worker_poll_seconds,
                scheduler=Scheduler(check_seconds=settings.scheduler_seconds),
            )
            worker.start_thread()
        yield
        if worker:
            worker.stop()
        limiter.close()
        carrier_engine.dispose()
        carrier_audit_engine.dispose()
        engine.dispose()

    docs = settings.docs_enabled  # KETA_API_DOCS; off in production unless asked for
    app = FastAPI(
        title="keta",
        summary="Electronic travel authorization — applicant, carrier and border APIs",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # keta.web.api_docs serves both pages and their assets itself: no CDN
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.sessionmaker, app.state.runtime, app.state.settings = factory, runtime, settings
    app.state.rate_limiter, app.state.carrier_engine = limiter, carrier_engine
    app.state.carrier_audit_engine = carrier_audit_engine
    app.state.throttle = Throttle(limiter, runtime, rates=settings.rates, proxies=settings.proxy_networks)
    errors.install(app)
    refusals.install(app)
    backoffice.install(app)
    app.add_middleware(
        BodyLimitMiddleware,
        limits=route_limits(runtime.policy),
        timeout=settings.body_timeout_seconds,
        refuse=refusals.refuse,
    )
    # Added last, so outermost: even a refusal of the body-limit middleware carries the headers.
    app.add_middleware(SecurityHeadersMiddleware, https=settings.env == "production")

    api = APIRouter(prefix="/api/v1")
    for module in (eligibility, applications, groups):
        api.include_router(module.router)
    api.include_router(carrier.router)
    api.include_router(agency.router)
    api.include_router(border.api_router)
    app.include_router(api)
    app.include_router(payments.router)
    if runtime.payments.sandbox:  # the simulated card page exists only on a test system
        app.include_router(payments.sandbox_router)
    app.include_router(portal.router)
    app.include_router(backoffice.router)
    app.include_router(border.router)
    if settings.env == "development":  # the local mailbox exists only there: never in production
        app.include_router(dev_mailbox.router(Path(settings.mailbox_dir or DEFAULT_MAILBOX)))
    if docs:
        app.include_router(api_docs.router(app.title, "/openapi.json"))
        api_docs.state_group_limit(app, lambda: runtime.policy.max_group_size.on(runtime.today()) or 1)

    @app.get("/healthz", include_in_schema=False)
    def healthz(request: Request) -> JSONResponse:
        with factory() as session:
            session.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok", "policy": runtime.policy.code})

    collector = metrics.Metrics(factory, runtime)

    @app.get("/metrics", include_in_schema=False)
    def prometheus(request: Request) -> Response:
        if not metrics.allowed(settings, request.headers.get("authorization")):
            if settings.metrics_token is None:  # production without a token: there is no such page
                return errors.http_error_response(request, 404)
            return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        return Response(collector.render(), media_type="text/plain; version=0.0.4")

    if settings.bench_endpoints:
        _mount_bench_ceiling(app)
    return app


def _mount_bench_ceiling(app: FastAPI) -> None:
    """The ceiling `keta bench carrier` compares the carrier check with: the same server stack
    (uvicorn, FastAPI, middleware, error table), answering a constant without reading anything."""
    constant = b'{"results":[{"index":0,"status":"OK","valid_until":"2029-12-31"}]}'

    @app.post("/_bench/constant", include_in_schema=False)
    async def bench_constant() -> Response:
        return Response(constant, media_type="application/json")


def app_from_environment() -> FastAPI:
    """For `keta serve --workers N`: each worker process builds its app from the environment."""
    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(settings)
