"""Ignores the stop command, stdin closing and SIGTERM: only SIGKILL ends it."""
import signal
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
sys.stdout.write('{"type":"status","message":"stubborn"}\n')
sys.stdout.flush()
while True:
    time.sleep(1)
