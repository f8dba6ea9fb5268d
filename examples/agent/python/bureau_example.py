#!/usr/bin/env python3
"""A bureau's system, through its agent: check coverage, send a settlement in setlinfo form, receive the claim
result by webhook. Python's standard library only; no cryptography library: the agent does all of it.

Usage:
  bureau_example.py --agent http://127.0.0.1:7480 --token-file STATE/access.token \
      --webhook-port 7490 --webhook-secret-file STATE/webhook.secret \
      --product dalian-2025-upgrade --setlinfo FILE [--wait 60]

The agent must be started with --webhook-url http://127.0.0.1:PORT/ (the port given here). Prints one JSON line
with what happened and exits 0; on a refusal prints one line `error: STATUS REASON: message` and exits 1.
"""

import argparse
import json
import sys

from hmb_agent import Agent, AgentError, WebhookReceiver


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--agent", required=True, help="the agent's local API, e.g. http://127.0.0.1:7480")
    p.add_argument("--token-file", required=True, help="the agent's access token file")
    p.add_argument("--webhook-port", type=int, required=True, help="where this script receives the agent's webhook")
    p.add_argument("--webhook-secret-file", required=True, help="the agent's webhook secret file")
    p.add_argument("--product", required=True, help="the city product, e.g. dalian-2025-upgrade")
    p.add_argument("--setlinfo", required=True, help="a settlement in the national platform's setlinfo JSON")
    p.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the claim result")
    args = p.parse_args(argv)

    agent = Agent.from_token_file(args.agent, args.token_file)
    with open(args.webhook_secret_file, "rb") as f:
        secret = f.read().strip()
    with open(args.setlinfo, encoding="utf-8") as f:
        document = json.load(f)
    setlinfo = document.get("setlinfo", document)
    receiver = WebhookReceiver(secret, port=args.webhook_port)
    try:
        # 1. Is the person covered by the product at admission? A question: no idempotency key needed.
        coverage = agent.call("coverage-query", {
            "person": {"certType": setlinfo["psn_cert_type"], "certNumber": setlinfo["certno"],
                       "name": setlinfo["psn_name"], "personNumber": setlinfo["psn_no"]},
            "date": date_of(setlinfo["setl_time"]),
            "moment": "MOMENT_DISCHARGE",
            "hospitalCode": setlinfo["fixmedins_code"],
        }, product=args.product)
        covered = coverage["payload"].get("covered", False)

        # 2. The settlement, as the platform produced it; the key makes a retry of this script one operation.
        key = "setl-" + setlinfo["setl_id"]
        sent = agent.post_setlinfo(document, args.product, idempotency_key=key)

        # 3. The insurer's claim result for this settlement arrives by webhook.
        claim = receiver.wait_for(lambda m: m.get("type") == "claim-result"
                                  and m["payload"].get("settlementId") == setlinfo["setl_id"], args.wait)
        if claim is None:
            print(f"error: no claim result for settlement {setlinfo['setl_id']} within {args.wait:.0f} s", file=sys.stderr)
            return 1
        print(json.dumps({
            "covered": covered,
            "settlement": {"status": sent["status"], "idempotencyKey": sent["idempotencyKey"]},
            "claim": {"sender": claim["sender"], "outcome": claim["payload"].get("outcome"),
                      "payoutFen": claim["payload"].get("payoutFen", "0")},
            "webhookSignaturesRefused": receiver.refused,
        }))
        return 0
    except AgentError as e:
        print(f"error: {e.status} {e.reason}: {e.message}", file=sys.stderr)
        return 1
    finally:
        receiver.close()


def date_of(setl_time):
    """The platform's "yyyy-MM-dd HH:mm:ss" as google.type.Date JSON."""
    year, month, day = setl_time[:10].split("-")
    return {"year": int(year), "month": int(month), "day": int(day)}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
