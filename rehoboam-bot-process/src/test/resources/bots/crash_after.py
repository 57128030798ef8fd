"""Runs, heartbeating, for the seconds given as the first argument, then crashes with code 3."""
import sys
import time

from _rehoboam import emit, err, leave, watch_stdin

watch_stdin()
seconds = float(sys.argv[1])
deadline = time.monotonic() + seconds
emit({"type": "log", "level": "info", "message": "up; crashing in %s s" % seconds})
while time.monotonic() < deadline:
    emit({"type": "heartbeat"})
    time.sleep(0.05)
err("Traceback (most recent call last):")
err("fatal: lost connection to the node")
leave(3)
