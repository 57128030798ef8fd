#!/usr/bin/env bash
# A process bot for the CLI tests: answers {"type":"ping","payload":{...}} with the log line
# "pong <payload>", and leaves on {"type":"stop"} or when its stdin closes.
printf '%s\n' '{"type":"status","message":"pinger up"}'
while IFS= read -r line; do
  case "$line" in
    *'"type":"stop"'*) exit 0 ;;
    *'"type":"ping"'*)
      payload="${line#*\"payload\":}"
      payload="${payload%\}}"
      escaped=$(printf '%s' "$payload" | sed 's/"/\\"/g')
      printf '{"type":"log","level":"info","message":"pong %s"}\n' "$escaped"
      ;;
  esac
done
