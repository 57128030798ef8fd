"""Fails at once, as a bot with a broken configuration does."""
import sys

sys.stderr.write("config error: RPC_URL is not set\n")
sys.exit(2)
