"""Prints garbage, a 10 MiB line and a million lines fast, then keeps heartbeating."""
import os
import sys
import time

from _rehoboam import emit, opportunity, watch_stdin

watch_stdin()
out = sys.stdout
out.write("this is not json\n")
out.write("{broken json\n")
out.write('{"type":"teleport"}\n')
out.write('["a", "list"]\n')
out.write('{"no_type": true}\n')
bad = opportunity("opp-bad")
bad["profit"] = "999"
import json
out.write(json.dumps(bad) + "\n")
out.write('{"type":"log","level":"loud","message":"x"}\n')
out.write("\xff\xfe binary-ish \x00 text\n")
out.flush()
os.write(1, b"\xc3\x28 invalid utf-8\n")
emit({"type": "heartbeat"})
emit({"type": "status", "message": "garbage done"})

out.write("{" + "x" * (10 * 1024 * 1024) + "}\n")
out.flush()
emit({"type": "status", "message": "big line done"})

count = int(os.environ.get("FLOOD_LINES", "1000000"))
chunk = []
for i in range(count):
    chunk.append("flood line %d\n" % i)
    if len(chunk) == 10000:
        out.write("".join(chunk))
        chunk = []
out.write("".join(chunk))
out.flush()
emit({"type": "status", "message": "flood done"})
while True:
    emit({"type": "heartbeat"})
    time.sleep(0.1)
