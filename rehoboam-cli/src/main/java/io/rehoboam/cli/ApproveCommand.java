package io.rehoboam.cli;

import io.rehoboam.evm.ops.Node;
import io.rehoboam.evm.ops.TokenTransactions;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "approve",
    description = {
      "Approves the executor contract to pull a start token from the account (ERC-20 approve).",
      "One EIP-1559 transaction priced from eth_feeHistory; prints the transaction, or everything"
          + " with --json."
    })
final class ApproveCommand extends ChainCommand {
  @Option(names = "--token", paramLabel = "ADDRESS", required = true, description = "The token")
  String token;

  @Option(
      names = "--executor",
      paramLabel = "ADDRESS",
      required = true,
      description = "The executor contract allowed to pull the token")
  String executor;

  @Option(
      names = "--amount",
      paramLabel = "UNITS",
      description = "The allowance in the token's base units (default: unlimited, 2^256 - 1)")
  String amount;

  @Override
  public Integer call() {
    BigInteger units = TokenTransactions.UNLIMITED;
    if (amount != null) {
      try {
        units = new BigInteger(amount.trim());
      } catch (NumberFormatException e) {
        throw new Rehoboam.BadArgument(
            "--amount: expected a whole number of base units, was " + amount);
      }
    }
    var account = account();
    TokenTransactions.Sent s;
    try (Node node = node()) {
      s = TokenTransactions.approve(node, account, chainId, token, executor, units, timeout());
    }
    if (json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("chain_id", s.chainId());
      out.put("account", s.from());
      out.put("token", token.trim().toLowerCase());
      out.put("executor", executor.trim().toLowerCase());
      out.put("allowance", units.toString());
      out.put("tx_hash", s.txHash());
      out.put("block", s.block());
      printJson(out);
      return 0;
    }
    out()
        .println(
            "approved "
                + executor.trim().toLowerCase()
                + " for "
                + (units.equals(TokenTransactions.UNLIMITED) ? "unlimited" : units.toString())
                + " of "
                + token.trim().toLowerCase()
                + " from "
                + s.from()
                + ": tx "
                + s.txHash()
                + " in block "
                + s.block());
    return 0;
  }
}
