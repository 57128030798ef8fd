"""Speaks the whole protocol, answers commands and leaves cleanly on the stop command."""
import os
import time

from _rehoboam import emit, err, opportunity, say, watch_stdin


def on_command(message):
    emit({"type": "log", "level": "info",
          "message": "got command %s %s" % (message["type"], message.get("payload"))})


watch_stdin(on_command, on_stop=lambda: err("stop command received; leaving"))
say("plain text from a well-behaved bot")
err("a line on stderr")
secret = os.environ.get("API_TOKEN")
if secret:
    say("my token is " + secret)
say("inherited DEEPSEEK_API_KEY=" + os.environ.get("DEEPSEEK_API_KEY", "<unset>"))
say("inherited PLAIN_SETTING=" + os.environ.get("PLAIN_SETTING", "<unset>"))
for i in range(int(os.environ.get("CHATTY", "0"))):
    say("chatty line %d %s" % (i, "x" * 60))
    err("chatty error %d" % i)
emit({"type": "status", "message": "warming up", "health": "degraded"})
emit(opportunity("opp-1"))
emit({"type": "execution", "id": "x-1", "opportunity_id": "opp-1", "mode": "paper",
      "status": "simulated", "expected_profit": "400", "realized_profit": "380",
      "realized_profit_usd": 1.25})
emit({"type": "log", "level": "warn", "message": "a warning from the bot"})
emit({"type": "status", "message": "scanning"})
while True:
    emit({"type": "heartbeat"})
    time.sleep(0.1)
