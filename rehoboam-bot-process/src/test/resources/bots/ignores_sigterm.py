"""Ignores the stop command, stdin closing and SIGTERM: only SIGKILL ends it.

With the argument "dies-on-int", SIGINT still ends it (as Python's KeyboardInterrupt).
"""
import signal
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
if sys.argv[1:] != ["dies-on-int"]:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
sys.stdout.write('{"type":"status","message":"stubborn"}\n')
sys.stdout.flush()
while True:
    time.sleep(1)
