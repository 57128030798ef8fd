#!/usr/bin/env bash
# A complete Rehoboam process bot in bash.
#
# Rehoboam runs this program with `type: process` and reads one JSON object per line from its
# stdout; it writes commands to its stdin, one JSON object per line. See
# rehoboam-bot-process/README.md for the protocol.
#
# It heartbeats every BOT_INTERVAL seconds (default 1) while waiting for commands, reports a
# fixed, simulated opportunity every fifth beat, and answers {"type":"ping"} with a "pong" log.
# It leaves cleanly on {"type":"stop"}, when stdin closes (the service is gone) and on SIGTERM.
#
# Try it by hand: `bash shell_bot.sh`, type {"type":"ping"} and Enter, then Ctrl-D.
set -u

interval="${BOT_INTERVAL:-1}"
weth="0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
usdc="0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"

emit() { printf '%s\n' "$1"; }
log() { emit "{\"type\":\"log\",\"level\":\"${2:-info}\",\"message\":\"$1\"}"; }

opportunity() {
  emit "{\"type\":\"opportunity\",\"id\":\"sh-$$-$1\",\"strategy\":\"cross_venue\",\"start_token\":\"$weth\",\"amount_in\":\"1000000000000000000\",\"amount_out\":\"1003000000000000000\",\"gas_cost\":\"1000000000000000\",\"profit_usd\":10.5,\"net_profit_usd\":7.0,\"legs\":[{\"chain_id\":1,\"dex\":\"uniswap_v2\",\"pool_id\":\"0xpool-a\",\"token_in\":\"$weth\",\"token_out\":\"$usdc\",\"amount_in\":\"1000000000000000000\",\"amount_out\":\"3500000000\"},{\"chain_id\":1,\"dex\":\"sushiswap\",\"pool_id\":\"0xpool-b\",\"token_in\":\"$usdc\",\"token_out\":\"$weth\",\"amount_in\":\"3500000000\",\"amount_out\":\"1003000000000000000\"}]}"
}

trap 'log "leaving: SIGTERM"; exit 0' TERM

emit "{\"type\":\"status\",\"message\":\"shell bot up (pid $$)\"}"
beats=0
while true; do
  if IFS= read -r -t "$interval" line; then
    case "$line" in
      *'"type":"stop"'*) log "leaving: stop command"; exit 0 ;;
      *'"type":"ping"'*) log "pong" ;;
      *) log "unknown command" warn ;;
    esac
  elif [ $? -gt 128 ]; then
    # No command within the interval: time to beat.
    beats=$((beats + 1))
    emit '{"type":"heartbeat"}'
    if [ $((beats % 5)) -eq 0 ]; then
      opportunity "$beats"
    fi
  else
    # End of stdin: Rehoboam is gone (closed, or its JVM was killed). Nobody reads us; leave.
    log "leaving: stdin closed"
    exit 0
  fi
done
