"""Does its one job and exits with the code given (default 0) on purpose."""
import sys
import time

from _rehoboam import emit, leave, watch_stdin

watch_stdin()
emit({"type": "log", "level": "info", "message": "job done"})
time.sleep(0.2)
leave(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
