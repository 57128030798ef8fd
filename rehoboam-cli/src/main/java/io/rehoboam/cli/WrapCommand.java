package io.rehoboam.cli;

import io.rehoboam.evm.ops.Node;
import io.rehoboam.evm.ops.TokenTransactions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "wrap",
    description = {
      "Wraps ether of the account into the chain's wrapped native token (deposit() of WETH9).",
      "One EIP-1559 transaction priced from eth_feeHistory; prints the transaction, or everything"
          + " with --json."
    })
final class WrapCommand extends ChainCommand {
  @Option(
      names = "--token",
      paramLabel = "ADDRESS",
      required = true,
      description = "The wrapped native token (WETH9)")
  String token;

  @Option(
      names = "--amount",
      paramLabel = "ETHER",
      required = true,
      description = "How much ether to wrap, in whole ether (e.g. 1.5; exact to the wei)")
  String amount;

  @Override
  public Integer call() {
    BigInteger wei = wei(amount);
    var account = account();
    TokenTransactions.Sent s;
    try (Node node = node()) {
      s = TokenTransactions.wrap(node, account, chainId, token, wei, timeout());
    }
    if (json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("chain_id", s.chainId());
      out.put("account", s.from());
      out.put("token", token.trim().toLowerCase());
      out.put("wrapped_wei", wei.toString());
      out.put("tx_hash", s.txHash());
      out.put("block", s.block());
      out.put("gas_used", s.gasUsed().toString());
      printJson(out);
      return 0;
    }
    out()
        .println(
            "wrapped "
                + wei
                + " wei on chain "
                + s.chainId()
                + " for "
                + s.from()
                + ": tx "
                + s.txHash()
                + " in block "
                + s.block());
    return 0;
  }

  private static BigInteger wei(String ether) {
    try {
      BigDecimal wei = new BigDecimal(ether.trim()).movePointRight(18);
      if (wei.signum() <= 0) {
        throw new Rehoboam.BadArgument("--amount: must be more than 0 ether, was " + ether);
      }
      return wei.toBigIntegerExact();
    } catch (NumberFormatException e) {
      throw new Rehoboam.BadArgument("--amount: expected a number of ether, was " + ether);
    } catch (ArithmeticException e) {
      throw new Rehoboam.BadArgument(
          "--amount: more than 18 decimals (finer than a wei), was " + ether);
    }
  }
}
