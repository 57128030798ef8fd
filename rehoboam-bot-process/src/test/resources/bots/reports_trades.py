"""Trades by itself and reports it: one execution submitted with its first leg sent; with --lose
it then reports the execution failed with a realized loss. Leaves when stdin closes."""
import sys
import time

from _rehoboam import emit, opportunity, watch_stdin

watch_stdin()
emit(opportunity("opp-t"))
legs = [{"index": 0, "chain_id": 1, "status": "submitted", "tx_hash": "0x" + "ab" * 32}]
emit({"type": "execution", "id": "t-1", "opportunity_id": "opp-t", "mode": "live",
      "status": "submitted", "expected_profit": "400", "tx_hashes": ["0x" + "ab" * 32],
      "legs": legs})
if "--lose" in sys.argv:
    legs = legs + [{"index": 1, "chain_id": 1, "status": "reverted", "reason": "price moved"}]
    emit({"type": "execution", "id": "t-1", "opportunity_id": "opp-t", "mode": "live",
          "status": "failed", "reason": "second leg reverted; first leg unwound at a loss",
          "expected_profit": "400", "realized_profit": "-20000", "realized_profit_usd": -60,
          "tx_hashes": ["0x" + "ab" * 32], "legs": legs})
    # The same final status again changes nothing.
    emit({"type": "execution", "id": "t-1", "opportunity_id": "opp-t", "mode": "live",
          "status": "failed", "reason": "second leg reverted; first leg unwound at a loss",
          "expected_profit": "400", "realized_profit": "-20000", "realized_profit_usd": -60,
          "tx_hashes": ["0x" + "ab" * 32], "legs": legs})
emit({"type": "log", "level": "info", "message": "all reported"})
while True:
    emit({"type": "heartbeat"})
    time.sleep(0.2)
