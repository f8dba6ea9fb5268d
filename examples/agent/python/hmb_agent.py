"""A participant's systems talking to its hmb agent (前置机): plain JSON over HTTP, Python's standard library only.

The agent holds the keys and does every piece of cryptography; this module only sends JSON, reads JSON, and checks
the webhook's HMAC signature. Copy it. The API is docs/agent.md; the machine-readable form is the agent's
GET /v1/openapi.json.
"""

import hashlib
import hmac
import json
import queue
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Agent", "AgentError", "WebhookReceiver", "signature_is_valid"]


class AgentError(Exception):
    """A refusal: the HTTP status, the stable reason (an hmb.v1 ErrorInfo reason or the agent's own) and a message."""

    def __init__(self, status, reason, message, body=None):
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message
        self.body = body or {}


class Agent:
    """The local API of one agent. `token` is the content of the agent's token file."""

    def __init__(self, url, token, timeout=30.0):
        self.url = url.rstrip("/")
        self.token = token.strip()
        self.timeout = timeout

    @classmethod
    def from_token_file(cls, url, token_file, timeout=30.0):
        with open(token_file, encoding="ascii") as f:
            return cls(url, f.read(), timeout)

    def call(self, name, payload, to=None, product=None, idempotency_key=None, deadline_ms=None):
        """POST /v1/NAME: one hmb.v1 message (NAME as in the OpenAPI document, e.g. coverage-query).

        Returns the agent's JSON answer: for a question or a deduction the recipient's answer
        ({"messageId", "type", "sender", "payload"}); for a stored message {"status": "ACCEPTED" | "QUEUED", ...}.
        Give your own idempotency key for anything that must happen once, and retry with the same key.
        """
        body = {"payload": payload}
        for field, value in (("to", to), ("product", product), ("idempotencyKey", idempotency_key),
                             ("deadlineMs", deadline_ms)):
            if value is not None:
                body[field] = value
        return self._request("POST", f"/v1/{name}", body)

    def post_setlinfo(self, setlinfo_document, product, idempotency_key=None):
        """POST a settlement in the national platform's form: the setlinfo object, or the settlement's output
        object {"setlinfo": {...}, "setldetail": [...]}; the agent maps it with the city's rules and names every
        field it could not map (422 MAPPING_PROBLEMS, the problems in AgentError.body)."""
        body = dict(setlinfo_document) if "setlinfo" in setlinfo_document else {"setlinfo": setlinfo_document}
        body["product"] = product
        if idempotency_key is not None:
            body["idempotencyKey"] = idempotency_key
        return self._request("POST", "/v1/settlement-data/setlinfo", body)

    def health(self):
        return self._request("GET", "/v1/health", None)

    def _request(self, method, path, body):
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode("utf-8")
                return json.loads(text) if text else {}
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                answer = json.loads(text)
            except ValueError:
                answer = {}
            error = answer.get("error", {})
            raise AgentError(e.code, error.get("reason", "HTTP_" + str(e.code)), error.get("message", text), answer) \
                from None


def signature_is_valid(secret, timestamp, body, signature, max_age_seconds=300):
    """The webhook contract: Hmb-Signature is v1=hex(HMAC-SHA256(secret, timestamp + "." + body)).

    `secret` and `body` are bytes, `timestamp` and `signature` the headers' strings. A timestamp older than
    max_age_seconds is refused, so a captured call cannot be replayed later.
    """
    if not timestamp or not signature or not signature.startswith("v1="):
        return False
    try:
        if abs(time.time() - int(timestamp)) > max_age_seconds:
            return False
    except ValueError:
        return False
    expected = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature[3:])


class WebhookReceiver:
    """An HTTP server the agent posts received messages to. Verifies each signature, answers 204, and queues
    the message; a repeat of an id already taken is answered 204 and not queued again (the agent delivers at
    least once: a message whose call was cut off by a crash comes again with the same Hmb-Message-Id)."""

    def __init__(self, secret, host="127.0.0.1", port=0):
        self.secret = secret
        self.messages = queue.Queue()
        self.seen = set()
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if not signature_is_valid(receiver.secret, self.headers.get("Hmb-Timestamp"), body,
                                          self.headers.get("Hmb-Signature")):
                    receiver.refused += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                message_id = self.headers.get("Hmb-Message-Id")
                if message_id not in receiver.seen:
                    receiver.seen.add(message_id)
                    receiver.messages.put(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass  # payloads hold personal data: nothing of them goes to a log

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout):
        """The first received message for which predicate(message) is true, or None after timeout seconds."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                return None
            if predicate(message):
                return message

    def close(self):
        self.server.shutdown()
        self.server.server_close()
