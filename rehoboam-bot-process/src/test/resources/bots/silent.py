"""Heartbeats once and then says nothing, but leaves when asked."""
import time

from _rehoboam import emit, watch_stdin

watch_stdin()
emit({"type": "heartbeat"})
while True:
    time.sleep(1)
