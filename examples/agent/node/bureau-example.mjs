#!/usr/bin/env node
// A bureau's system, through its agent: check coverage, send a settlement in setlinfo form, receive the claim
// result by webhook. Node.js 18+ with no packages and no cryptography library: the agent does all of it.
//
// Usage: node bureau-example.mjs --agent http://127.0.0.1:7480 --token-file STATE/access.token \
//          --webhook-port 7490 --webhook-secret-file STATE/webhook.secret \
//          --product dalian-2025-upgrade --setlinfo FILE [--wait 60]
// The agent must be started with --webhook-url http://127.0.0.1:PORT/ (the port given here). Prints one JSON line
// and exits 0; on a refusal prints `error: STATUS REASON: message` and exits 1; a usage error exits 2.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Agent, AgentError, WebhookReceiver } from './hmb-agent.mjs';

const usage = 'usage: bureau-example.mjs --agent URL --token-file FILE --webhook-port PORT '
  + '--webhook-secret-file FILE --product CODE --setlinfo FILE [--wait SECONDS]';
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      agent: { type: 'string' }, 'token-file': { type: 'string' }, 'webhook-port': { type: 'string' },
      'webhook-secret-file': { type: 'string' }, product: { type: 'string' }, setlinfo: { type: 'string' },
      wait: { type: 'string', default: '60' },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
for (const required of ['agent', 'token-file', 'webhook-port', 'webhook-secret-file', 'product', 'setlinfo']) {
  if (args[required] === undefined) {
    console.error(`missing --${required}\n${usage}`);
    process.exit(2);
  }
}

const agent = Agent.fromTokenFile(args.agent, args['token-file']);
const secret = Buffer.from(readFileSync(args['webhook-secret-file'], 'ascii').trim(), 'ascii');
const document = JSON.parse(readFileSync(args.setlinfo, 'utf8'));
const setlinfo = document.setlinfo ?? document;
const receiver = new WebhookReceiver(secret);
await receiver.listen(Number(args['webhook-port']));
try {
  // 1. Is the person covered by the product at discharge? A question: no idempotency key needed.
  const [year, month, day] = setlinfo.setl_time.slice(0, 10).split('-').map(Number);
  const coverage = await agent.call('coverage-query', {
    person: { certType: setlinfo.psn_cert_type, certNumber: setlinfo.certno, name: setlinfo.psn_name,
      personNumber: setlinfo.psn_no },
    date: { year, month, day },
    moment: 'MOMENT_DISCHARGE',
    hospitalCode: setlinfo.fixmedins_code,
  }, { product: args.product });

  // 2. The settlement, as the platform produced it; the key makes a retry of this script one operation.
  const sent = await agent.postSetlinfo(document, args.product, `setl-${setlinfo.setl_id}`);

  // 3. The insurer's claim result for this settlement arrives by webhook.
  const claim = await receiver.waitFor((m) => m.type === 'claim-result'
    && m.payload.settlementId === setlinfo.setl_id, Number(args.wait) * 1000);
  if (claim === null) {
    console.error(`error: no claim result for settlement ${setlinfo.setl_id} within ${args.wait} s`);
    process.exitCode = 1;
  } else {
    console.log(JSON.stringify({
      covered: coverage.payload.covered ?? false,
      settlement: { status: sent.status, idempotencyKey: sent.idempotencyKey },
      claim: { sender: claim.sender, outcome: claim.payload.outcome, payoutFen: claim.payload.payoutFen ?? '0' },
      webhookSignaturesRefused: receiver.refused,
    }));
  }
} catch (e) {
  if (!(e instanceof AgentError)) throw e;
  console.error(`error: ${e.status} ${e.reason}: ${e.message.replace(/^\d+ \S+: /, '')}`);
  process.exitCode = 1;
} finally {
  await receiver.close();
}
