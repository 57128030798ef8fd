"""Starts a grandchild in its own group and a daemon that leaves the group (double fork, setsid).

Both ignore SIGTERM and never read stdin, so only the group kill and the marker sweep end them.
With the argument "exit", the bot itself exits with code 4 once they run, leaving them behind.
"""
import os
import signal
import subprocess
import sys
import time

from _rehoboam import emit, leave, watch_stdin

STUBBORN = ("import signal,time\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "while True: time.sleep(1)\n")

child = subprocess.Popen([sys.executable, "-c", STUBBORN], stdin=subprocess.DEVNULL)

pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    # The daemon: re-parented, in a session of its own, stdio closed.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.execv(sys.executable, [sys.executable, "-c", STUBBORN])
os.waitpid(pid, 0)

emit({"type": "log", "level": "info", "message": "grandchildren started"})
if len(sys.argv) > 1 and sys.argv[1] == "exit":
    time.sleep(0.2)
    leave(4)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
watch_stdin()
while True:
    emit({"type": "heartbeat"})
    time.sleep(0.1)
