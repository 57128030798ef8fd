package io.rehoboam.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rehoboam.evm.ops.Accounts;
import io.rehoboam.evm.ops.Node;
import java.nio.file.Path;
import java.time.Duration;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

/**
 * A command that talks to a chain's JSON-RPC node directly (no server): {@code deploy-executor},
 * {@code wrap}, {@code approve}, {@code preflight}. The node is {@code --rpc-url} (else {@code
 * $REHOBOAM_RPC_URL}); the account comes from {@code --keystore} with its password in {@code
 * $REHOBOAM_KEYSTORE_PASSWORD}, or from the private key in {@code $REHOBOAM_PRIVATE_KEY} (never
 * from the command line).
 */
abstract class ChainCommand extends LocalCommand {
  @Option(
      names = "--rpc-url",
      paramLabel = "URL",
      description = "The chain's JSON-RPC node (default: $REHOBOAM_RPC_URL)")
  String rpcUrl;

  @Option(
      names = "--chain-id",
      paramLabel = "ID",
      description = "The chain the node must be on (checked against eth_chainId)")
  Long chainId;

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "An encrypted web3 keystore of the account")
  Path keystore;

  @Option(
      names = "--keystore-password-env",
      paramLabel = "VAR",
      description = "The variable holding the keystore password (default: ${DEFAULT-VALUE})",
      defaultValue = Accounts.DEFAULT_PASSWORD_ENV)
  String passwordEnv;

  @Option(
      names = "--private-key-env",
      paramLabel = "VAR",
      description =
          "The variable holding the private key, without --keystore (default: ${DEFAULT-VALUE})",
      defaultValue = Accounts.DEFAULT_KEY_ENV)
  String keyEnv;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "Bound of one request, and of waiting for a receipt (default: ${DEFAULT-VALUE})",
      defaultValue = "2m")
  String timeout;

  Duration timeout() {
    return duration("--timeout", timeout);
  }

  /** The node of {@code --rpc-url} or {@code $REHOBOAM_RPC_URL}. */
  Node node() {
    String url = rpcUrl != null ? rpcUrl : root().env.get("REHOBOAM_RPC_URL");
    if (url == null || url.isBlank()) {
      throw new Rehoboam.BadArgument("--rpc-url: give the node's URL (or set REHOBOAM_RPC_URL)");
    }
    Duration t = timeout();
    return new Node(url, t.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : t);
  }

  /** The account, required. */
  Credentials account() {
    return Accounts.load(keystore, passwordEnv, keyEnv, root().env);
  }

  /** The account when one is given (a keystore, or the key's variable set), else null. */
  Credentials optionalAccount() {
    if (keystore == null && root().env.get(keyEnv) == null) {
      return null;
    }
    return account();
  }

  boolean json() {
    return root().json;
  }

  void printJson(Object value) {
    try {
      out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
