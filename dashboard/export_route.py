"""The download route for exports: streams the file with bounded memory (Streamlit's
download_button would hold it all in memory).

The route is a plain Starlette route beside the Streamlit app and does not get `st.user`, so it
verifies the viewer itself: the export page mints a short-lived token, signed with the server's
secret (NSOC_EXPORT_TOKEN_SECRET), that carries the viewer and the whole export request. The
route accepts a token once (its export id is a nonce kept in this process), within
NSOC_EXPORT_TOKEN_TTL_SECONDS (2 minutes). Missing or expired: 401; tampered, unknown or used
again: 403; a request the role may not make (a manager's rows): 403. Every refusal is audited.

Known limit: the nonce book lives in process memory, so with several replicas a token is
redeemable only on the replica that minted it (sticky sessions make that the normal case)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from warehouse import audit
from warehouse.db import DatabaseUnavailable
from warehouse.export import ExportRefused, ExportRequest, ExportRun
from warehouse.scoped import app_engine
from warehouse.settings import agencies, get_settings
from warehouse.viewer import Role, Viewer

PATH = "/api/export"
SALT = "nsoc-export-download"


class TokenRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class NonceBook:
    """Tokens minted here and not yet used, with their expiry (thread-safe, self-pruning)."""

    def __init__(self) -> None:
        self._open: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self, nonce: str, ttl: float) -> None:
        with self._lock:
            self._prune()
            self._open[nonce] = time.monotonic() + ttl

    def redeem(self, nonce: str) -> bool:
        with self._lock:
            self._prune()
            return self._open.pop(nonce, None) is not None

    def _prune(self) -> None:
        now = time.monotonic()
        for nonce in [n for n, until in self._open.items() if until < now]:
            del self._open[nonce]


NONCES = NonceBook()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().export_token_secret, salt=SALT)


def mint(viewer: Viewer, request: ExportRequest) -> str:
    """A signed, single-use token for one download of `request` by `viewer`."""
    payload = {
        "viewer": {
            "subject": viewer.subject,
            "agency": viewer.agency,
            "role": str(viewer.role),
            "name": viewer.name,
        },
        "request": request.to_dict(),
    }
    token = _serializer().dumps(payload)
    NONCES.issue(request.export_id, get_settings().export_token_ttl_seconds + 5)
    return str(token)


def url(token: str) -> str:
    return f"{PATH}?token={token}"


@dataclass(frozen=True)
class Verified:
    viewer: Viewer
    request: ExportRequest


def verify(token: str | None) -> Verified:
    """The viewer and request a token carries, or TokenRefused with the HTTP status."""
    if not token:
        raise TokenRefused(401, "missing")
    try:
        payload: Any = _serializer().loads(token, max_age=get_settings().export_token_ttl_seconds)
    except SignatureExpired:
        raise TokenRefused(401, "expired") from None
    except BadSignature:
        raise TokenRefused(403, "tampered") from None
    try:
        who = payload["viewer"]
        bits = {a.code: a.bit for a in agencies()}
        viewer = Viewer(
            subject=str(who["subject"]),
            agency=str(who["agency"]),
            agency_bit=bits[who["agency"]],  # from configuration, as at login
            role=Role(who["role"]),
            session_started=_now(),
            name=who.get("name"),
        )
        request = ExportRequest.from_dict(payload["request"])
    except (KeyError, ValueError, TypeError):
        raise TokenRefused(403, "malformed") from None
    if not NONCES.redeem(request.export_id):
        raise TokenRefused(403, "used or unknown")
    return Verified(viewer, request)


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)


def _refused(status: int, reason: str, viewer: Viewer | None = None) -> Response:
    with contextlib.suppress(DatabaseUnavailable):
        audit.record(
            app_engine(),
            action="access_refused",
            viewer=viewer,
            details={"what": "export_download", "reason": reason},
        )
    text = {401: "Niet (meer) geldig: maak de export opnieuw aan.", 403: "Geweigerd."}
    return PlainTextResponse(f"{text.get(status, 'Geweigerd.')} ({reason})", status_code=status)


async def download(request: Request) -> Response:
    try:
        verified = verify(request.query_params.get("token"))
    except TokenRefused as exc:
        return _refused(exc.status, exc.reason)
    try:
        run = await anyio.to_thread.run_sync(
            lambda: ExportRun(verified.request, verified.viewer, via="download")
        )
    except ExportRefused as exc:
        return PlainTextResponse(f"Geweigerd: {exc}", status_code=403)
    except DatabaseUnavailable:
        return PlainTextResponse("Het warehouse is niet bereikbaar.", status_code=503)
    return StreamingResponse(
        stream(run),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{verified.request.file_name()}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def stream(run: ExportRun) -> AsyncIterator[bytes]:
    """The export's chunks, each produced in a worker thread (the cursor is synchronous). If
    the client goes away the export is closed, which audits it as aborted."""
    chunks = iter(run)
    try:
        while True:
            chunk = await anyio.to_thread.run_sync(next, chunks, None)
            if chunk is None:
                return
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(chunks.close)  # type: ignore[attr-defined]


ROUTES = [Route(PATH, download, methods=["GET"])]
