#!/usr/bin/env python3
"""A complete Rehoboam process bot in Python (standard library only).

Rehoboam runs this program with `type: process` and reads one JSON object per line from its
stdout; it writes commands to its stdin, one JSON object per line. See
rehoboam-bot-process/README.md for the protocol.

What it does: heartbeats every BOT_INTERVAL seconds (default 1), reports a simulated
cross-venue opportunity every fifth beat together with a simulated paper execution of it, and
answers two commands: {"type":"ping"} (logs "pong") and {"type":"set_interval","payload":
{"seconds":0.5}}.

How it ends, cleanly, in every case:
  * {"type":"stop"} on stdin: Rehoboam asks it to stop (it sends SIGTERM only if this is ignored);
  * stdin closes: the service is gone (closed, or its JVM was killed), so nobody reads our output;
  * SIGTERM / SIGINT: the stop signal, sent to the whole process group.

Run it by hand to see the protocol: `python3 python_bot.py`, type {"type":"ping"} and Enter,
then Ctrl-D to close stdin.
"""
import datetime
import json
import os
import signal
import sys
import threading

WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"

_stdout_lock = threading.Lock()
_leaving = threading.Event()
_leave_reason = []
_interval = float(os.environ.get("BOT_INTERVAL", "1"))


def emit(message):
    """Writes one protocol line; one lock so lines from two threads never interleave."""
    line = json.dumps(message, separators=(",", ":"))
    with _stdout_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def log(message, level="info"):
    emit({"type": "log", "level": level, "message": message})


class Leave(Exception):
    """Raised by the signal handlers to end the main loop at once."""


def on_signal(signum, frame):
    # Only raise here: a handler that wrote output itself could deadlock on the stdout lock the
    # interrupted code holds.
    raise Leave(signal.Signals(signum).name)


def leave(reason):
    if not _leaving.is_set():
        _leave_reason.append(reason)
        _leaving.set()


def read_commands():
    """Reads Rehoboam's commands until stdin closes."""
    global _interval
    for line in sys.stdin:
        try:
            command = json.loads(line)
        except ValueError:
            log("ignored a line that is not JSON", "warn")
            continue
        kind = command.get("type")
        payload = command.get("payload") or {}
        if kind == "stop":
            leave("stop command")
            return
        if kind == "ping":
            log("pong")
        elif kind == "set_interval":
            _interval = float(payload.get("seconds", _interval))
            log("interval is now %s s" % _interval)
        else:
            log("unknown command " + str(kind), "warn")
    leave("stdin closed")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def report_opportunity(number):
    """A simulated WETH -> USDC -> WETH round trip across two venues."""
    detected = now()
    amount_in, middle, amount_out, gas = 10**18, 3_500_000_000, 10**18 + 4 * 10**15, 10**15
    opportunity_id = "py-%d-%d" % (os.getpid(), number)
    emit({
        "type": "opportunity",
        "id": opportunity_id,
        "strategy": "cross_venue",
        "start_token": WETH,
        "amount_in": str(amount_in),
        "amount_out": str(amount_out),
        "gas_cost": str(gas),
        "profit_usd": 14.0,
        "net_profit_usd": 10.5,
        "block_number": 19_000_000 + number,
        "detected_at": iso(detected),
        "expires_at": iso(detected + datetime.timedelta(seconds=12)),
        "legs": [
            {"chain_id": 1, "dex": "uniswap_v2", "pool_id": "0xpool-a", "token_in": WETH,
             "token_out": USDC, "amount_in": str(amount_in), "amount_out": str(middle)},
            {"chain_id": 1, "dex": "sushiswap", "pool_id": "0xpool-b", "token_in": USDC,
             "token_out": WETH, "amount_in": str(middle), "amount_out": str(amount_out)},
        ],
    })
    emit({
        "type": "execution",
        "id": opportunity_id + "-paper",
        "opportunity_id": opportunity_id,
        "mode": "paper",
        "status": "simulated",
        "expected_profit": str(amount_out - amount_in - gas),
        "realized_profit": str(amount_out - amount_in - gas),
        "realized_profit_usd": 10.5,
        "started_at": iso(detected),
        "finished_at": iso(now()),
    })


def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    threading.Thread(target=read_commands, daemon=True).start()
    emit({"type": "status", "message": "python bot up (pid %d)" % os.getpid()})
    beats = 0
    try:
        while not _leaving.wait(_interval):
            beats += 1
            emit({"type": "heartbeat"})
            if beats % 5 == 0:
                report_opportunity(beats // 5)
        reason = _leave_reason[0]
    except Leave as signalled:
        reason = str(signalled)
    log("leaving: " + reason)
    emit({"type": "status", "message": "python bot stopped"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
