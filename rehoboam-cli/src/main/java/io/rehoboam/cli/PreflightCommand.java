package io.rehoboam.cli;

import io.rehoboam.evm.ops.Node;
import io.rehoboam.evm.ops.Preflight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "preflight",
    description = {
      "Checks a chain before trading on it live: the node's chain id, the account's balance, the"
          + " executor's code, each start token's balance and allowance to the executor, each"
          + " relay answering, and the fee estimate.",
      "Exit code 0 when every check passes, 1 when one fails (each says what it found)."
    })
final class PreflightCommand extends ChainCommand {
  @Option(
      names = "--account",
      paramLabel = "ADDRESS",
      description = "The trading account (default: the one of the key or keystore, if given)")
  String account;

  @Option(names = "--executor", paramLabel = "ADDRESS", description = "The executor contract")
  String executor;

  @Option(
      names = "--token",
      paramLabel = "ADDRESS",
      description = "A start token: its balance and allowance to the executor (repeatable)")
  List<String> tokens = new ArrayList<>();

  @Option(
      names = "--relay",
      paramLabel = "URL",
      description = "A relay or private RPC that must answer over HTTP (repeatable)")
  List<String> relays = new ArrayList<>();

  @Override
  public Integer call() {
    String who = account;
    if (who == null) {
      var credentials = optionalAccount();
      who = credentials == null ? null : credentials.getAddress();
    }
    Preflight.Report report;
    try (Node node = node()) {
      report =
          Preflight.run(
              node, new Preflight.Request(chainId, who, executor, tokens, relays), timeout());
    }
    List<Preflight.Check> failed = report.checks().stream().filter(c -> !c.ok()).toList();
    if (json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("ok", report.ok());
      out.put("chain_id", report.chainId());
      out.put("head", report.head());
      Map<String, Object> fees = new LinkedHashMap<>();
      fees.put("base_fee_per_gas", report.fees().baseFeeWei().toString());
      fees.put("priority_fee_per_gas", report.fees().priorityFeeWei().toString());
      fees.put("max_fee_per_gas", report.fees().maxFeePerGasWei().toString());
      fees.put("method", report.fees().method());
      out.put("fees", fees);
      List<Map<String, Object>> checks = new ArrayList<>();
      for (Preflight.Check c : report.checks()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("ok", c.ok());
        m.put("detail", c.detail());
        checks.add(m);
      }
      out.put("checks", checks);
      printJson(out);
    } else {
      Table t = new Table("CHECK", "OK", "DETAIL");
      for (Preflight.Check c : report.checks()) {
        t.row(c.name(), c.ok() ? "ok" : "FAIL", c.detail());
      }
      t.print(out());
      out()
          .println(
              failed.isEmpty()
                  ? "preflight passed on chain " + report.chainId() + " at block " + report.head()
                  : "preflight failed: "
                      + String.join(", ", failed.stream().map(Preflight.Check::name).toList()));
    }
    return failed.isEmpty() ? 0 : Rehoboam.EXIT_FAILED;
  }
}
