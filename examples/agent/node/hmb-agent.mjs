// A participant's systems talking to its hmb agent (前置机): plain JSON over HTTP, Node.js 18+ with no packages.
// The agent holds the keys and does every piece of cryptography; this module only sends JSON, reads JSON and
// checks the webhook's HMAC signature. Copy it. The API is docs/agent.md; the machine-readable form is the
// agent's GET /v1/openapi.json.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

/** A refusal: the HTTP status, the stable reason (an hmb.v1 ErrorInfo reason or the agent's own), a message. */
export class AgentError extends Error {
  constructor(status, reason, message, body) {
    super(`${status} ${reason}: ${message}`);
    this.status = status;
    this.reason = reason;
    this.body = body ?? {};
  }
}

/** The local API of one agent; `token` is the content of the agent's token file. */
export class Agent {
  constructor(url, token, timeoutMs = 30_000) {
    this.url = url.replace(/\/$/, '');
    this.token = token.trim();
    this.timeoutMs = timeoutMs;
  }

  static fromTokenFile(url, tokenFile) {
    return new Agent(url, readFileSync(tokenFile, 'ascii'));
  }

  /** POST /v1/NAME (e.g. coverage-query) with the payload; give an idempotency key for anything that must happen once. */
  call(name, payload, { to, product, idempotencyKey, deadlineMs } = {}) {
    const body = { payload };
    if (to !== undefined) body.to = to;
    if (product !== undefined) body.product = product;
    if (idempotencyKey !== undefined) body.idempotencyKey = idempotencyKey;
    if (deadlineMs !== undefined) body.deadlineMs = deadlineMs;
    return this.#request('POST', `/v1/${name}`, body);
  }

  /**
   * A settlement in the national platform's form: the setlinfo object, or the settlement's output object
   * {setlinfo, setldetail}; the agent maps it with the city's rules and names every field it could not map
   * (422 MAPPING_PROBLEMS, the problems in AgentError.body).
   */
  postSetlinfo(document, product, idempotencyKey) {
    const body = document.setlinfo !== undefined ? { ...document, product } : { setlinfo: document, product };
    if (idempotencyKey !== undefined) body.idempotencyKey = idempotencyKey;
    return this.#request('POST', '/v1/settlement-data/setlinfo', body);
  }

  async #request(method, path, body) {
    const response = await fetch(this.url + path, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let json = {};
    try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON: reported below */ }
    if (!response.ok) {
      const error = json.error ?? {};
      throw new AgentError(response.status, error.reason ?? `HTTP_${response.status}`, error.message ?? text, json);
    }
    return json;
  }
}

/**
 * The webhook contract: Hmb-Signature is v1=hex(HMAC-SHA256(secret, timestamp + "." + body)); a timestamp older
 * than maxAgeSeconds is refused, so a captured call cannot be replayed later. `secret` and `body` are Buffers.
 */
export function signatureIsValid(secret, timestamp, body, signature, maxAgeSeconds = 300) {
  if (!timestamp || !signature || !signature.startsWith('v1=')) return false;
  const t = Number.parseInt(timestamp, 10);
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > maxAgeSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex'));
  const given = Buffer.from(signature.slice(3));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * An HTTP server the agent posts received messages to: verifies each signature, answers 204, and hands each new
 * message to `waitFor`; a repeat of an id already taken is answered 204 and not handed on again (the agent delivers
 * at least once, with a stable Hmb-Message-Id).
 */
export class WebhookReceiver {
  constructor(secret) {
    this.secret = secret;
    this.seen = new Set();
    this.messages = [];
    this.waiters = [];
    this.refused = 0;
    this.server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (!signatureIsValid(this.secret, req.headers['hmb-timestamp'], body, req.headers['hmb-signature'])) {
          this.refused += 1;
          res.writeHead(401).end();
          return;
        }
        const id = req.headers['hmb-message-id'];
        if (!this.seen.has(id)) {
          this.seen.add(id);
          this.messages.push(JSON.parse(body.toString('utf8')));
          this.waiters.forEach((w) => w());
        }
        res.writeHead(204).end();
      });
    });
  }

  listen(port, host = '127.0.0.1') {
    return new Promise((resolve) => this.server.listen(port, host, resolve));
  }

  /** The first message for which predicate(message) is true, or null after timeoutMs. */
  waitFor(predicate, timeoutMs) {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.messages.find(predicate);
        if (found) { done(found); }
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (value) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(value);
      };
      this.waiters.push(check);
      check();
    });
  }

  close() {
    return new Promise((resolve) => this.server.close(resolve));
  }
}
