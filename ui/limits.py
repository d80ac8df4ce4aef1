"""Request-size limits for the page's server, enforced before a body is read.

Without them a 150 MB ``/ask`` body was read, parsed as JSON and normalised
before the question's length was checked: 16.7 s and 5 GB of server memory to
refuse it. The middleware answers 413 from the ``Content-Length`` header
alone, and counts the bytes of bodies sent without one, so nothing over the
limit is ever held in memory. File uploads have their own, larger limit
(Gradio's ``max_file_size``, checked as the file streams in).
"""

from __future__ import annotations

import json
import logging

log = logging.getLogger(__name__)

# A question (1,000 characters, JSON-escaped at 6 bytes each) plus a chat
# history of a few dozen turns fits many times over; nothing else the page
# sends comes near it.
MAX_REQUEST_BYTES = 1 << 20
# Articles uploaded from the page (PDF pages, Word files) may be much larger.
MAX_UPLOAD_BYTES = 50 << 20
UPLOAD_PATHS = ("/gradio_api/upload",)
# The multipart envelope around an uploaded file (boundaries, headers, other fields).
_MULTIPART_SLACK = 64 << 10


class RequestSizeLimit:
    """ASGI middleware: 413 for an HTTP request body over the limit for its path."""

    def __init__(self, app, max_bytes: int = MAX_REQUEST_BYTES, max_upload_bytes: int = MAX_UPLOAD_BYTES):
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    def limit_for(self, path: str) -> int:
        """The body limit for a request path (uploads get the upload limit plus the multipart envelope)."""
        if any(path == p or path.endswith(p) for p in UPLOAD_PATHS):
            return self.max_upload_bytes + _MULTIPART_SLACK
        return self.max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        length = _content_length(scope)
        if length is not None and length > limit:
            await _refuse(send, limit)
            return
        received = 0
        started = refused = False

        async def counted_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                received += len(message.get("body", b""))
                if received > limit:
                    # Answer 413 now and tell the app the client left: raising here would
                    # reach FastAPI's body parser, which turns any error into a 400.
                    refused = True
                    log.warning("refused a request to %s: body over %d bytes", scope.get("path", ""), limit)
                    if not started:
                        await _refuse(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            nonlocal started
            if refused:  # the app's own answer to a body it never got whole
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted_receive, guarded_send)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send, limit: int) -> None:
    body = json.dumps({"error": "request too large", "detail": "the request body is over %d bytes - send a shorter "
                       "question and history" % limit}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def app_kwargs() -> dict:
    """Keyword arguments for Gradio's ``launch(app_kwargs=...)`` that install the limit."""
    from starlette.middleware import Middleware

    return {"middleware": [Middleware(RequestSizeLimit)]}
