"""Shared helpers of the test bots: the Rehoboam line protocol on stdout, commands on stdin."""
import json
import os
import sys
import threading

_out = threading.Lock()

WETH = "0x" + "c" * 40
USDC = "0x" + "a" * 40


def emit(message):
    line = json.dumps(message)
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def say(text):
    with _out:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def err(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def leave(code):
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def watch_stdin(on_command=None, on_stop=None):
    """Reads Rehoboam's commands; leaves on {"type":"stop"} and when stdin closes."""

    def run():
        for line in sys.stdin:
            try:
                message = json.loads(line)
            except ValueError:
                err("not a command: " + line.strip())
                continue
            if message.get("type") == "stop":
                if on_stop:
                    on_stop()
                leave(0)
            elif on_command:
                on_command(message)
        err("stdin closed; leaving")
        leave(0)

    threading.Thread(target=run, daemon=True).start()


def opportunity(opportunity_id):
    return {
        "type": "opportunity",
        "id": opportunity_id,
        "strategy": "cross_venue",
        "start_token": WETH,
        "amount_in": "1000000",
        "amount_out": "1000500",
        "gas_cost": "100",
        "profit_usd": 1.5,
        "net_profit_usd": 1.2,
        "block_number": 7,
        "legs": [
            {"chain_id": 1, "dex": "uni", "pool_id": "p1", "token_in": WETH, "token_out": USDC,
             "amount_in": "1000000", "amount_out": "2000"},
            {"chain_id": 1, "dex": "sushi", "pool_id": "p2", "token_in": USDC, "token_out": WETH,
             "amount_in": "2000", "amount_out": 1000500},
        ],
    }
