package io.rehoboam.cli;

import io.rehoboam.evm.ops.ExecutorDeployment;
import io.rehoboam.evm.ops.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
    name = "deploy-executor",
    description = {
      "Deploys the executor contract (RehoboamExecutor) from the account and prints its address.",
      "One EIP-1559 transaction priced from eth_feeHistory; the address alone on standard output"
          + " (the details on standard error), or everything with --json."
    })
final class DeployExecutorCommand extends ChainCommand {
  @Override
  public Integer call() {
    var account = account();
    ExecutorDeployment.Deployed d;
    try (Node node = node()) {
      d = ExecutorDeployment.deploy(node, account, chainId, timeout());
    }
    if (json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("address", d.address());
      out.put("chain_id", d.chainId());
      out.put("deployer", d.deployer());
      out.put("tx_hash", d.txHash());
      out.put("block", d.block());
      out.put("gas_used", d.gasUsed().toString());
      out.put("max_fee_per_gas", d.fees().maxFeePerGasWei().toString());
      out.put("priority_fee_per_gas", d.fees().priorityFeeWei().toString());
      printJson(out);
      return 0;
    }
    out().println(d.address());
    err()
        .println(
            "executor deployed on chain "
                + d.chainId()
                + " by "
                + d.deployer()
                + ": tx "
                + d.txHash()
                + " in block "
                + d.block()
                + ", gas used "
                + d.gasUsed());
    return 0;
  }
}
