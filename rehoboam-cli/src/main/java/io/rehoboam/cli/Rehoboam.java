package io.rehoboam.cli;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rehoboam}: the operator's command-line client of a Rehoboam server, in the habits of
 * {@code supervisorctl}. Human tables by default, {@code --json} for the server's JSON. The server
 * is {@code --url} (else {@code $REHOBOAM_URL}, else http://127.0.0.1:8000); the API key, when the
 * server has keys, comes from {@code $REHOBOAM_API_KEY} (never from the command line, where it
 * would show in the process list and the shell history).
 *
 * <p>{@code record}, {@code backtest} and {@code optimise} work on local files with the backtester
 * (module {@code rehoboam-backtest}), with a progress bar on standard error.
 *
 * <p>Exit codes: 0 done, 1 the server refused or could not be reached (the message says why), 2 a
 * bad command line or bad input (a recording of another format version, ...). New subcommands are
 * added with {@link #commandLine}'s {@code addSubcommand}.
 */
@Command(
    name = "rehoboam",
    mixinStandardHelpOptions = true,
    version = "rehoboam 0.1.0",
    description = {
      "Drive a Rehoboam server: bots, trades, PnL, risk and the kill switch.",
      "Know what a configuration earns before it trades: record, backtest and optimise work on"
          + " local files, no server needed.",
      "Go live on a chain: deploy-executor, wrap, approve and preflight talk to the chain's node"
          + " directly."
    },
    subcommands = {
      StatusCommand.class,
      StartCommand.class,
      StopCommand.class,
      RestartCommand.class,
      TailCommand.class,
      OpportunitiesCommand.class,
      ExecutionsCommand.class,
      PnlCommand.class,
      RiskCommand.class,
      KillSwitchCommand.class,
      SettingsCommand.class,
      CommandCommand.class,
      RecordCommand.class,
      BacktestCommand.class,
      OptimiseCommand.class,
      DeployExecutorCommand.class,
      PreflightCommand.class,
      WrapCommand.class,
      ApproveCommand.class
    },
    footer = {
      "",
      "Environment: REHOBOAM_URL (default server), REHOBOAM_API_KEY (the API key, when the server"
          + " has keys).",
      "Exit codes: 0 done, 1 refused by the server or unreachable, 2 bad command line."
    })
public final class Rehoboam implements Runnable {
  /** Exit code when the server refused the request or could not be reached. */
  public static final int EXIT_FAILED = 1;

  /** Exit code of a bad command line. */
  public static final int EXIT_USAGE = 2;

  static final String DEFAULT_URL = "http://127.0.0.1:8000";

  /** A value the command line gave that the command cannot use (exit code 2). */
  static final class BadArgument extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadArgument(String message) {
      super(message);
    }
  }

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The server (default: $REHOBOAM_URL, else " + DEFAULT_URL + ")")
  String url;

  @Option(names = "--json", description = "Print the server's JSON instead of a table")
  boolean json;

  final Map<String, String> env;
  PrintWriter out;
  PrintWriter err;

  Rehoboam(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  /** The client for the chosen server with the key from the environment. */
  Api api() {
    String base = url != null ? url : env.getOrDefault("REHOBOAM_URL", DEFAULT_URL);
    return new Api(base, env.get("REHOBOAM_API_KEY"));
  }

  /** The command line of a client with this environment, writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    Rehoboam root = new Rehoboam(env);
    root.out = out;
    root.err = err;
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof Api.Failure f) {
            err.println("rehoboam: " + f.getMessage());
            err.flush();
            return EXIT_FAILED;
          }
          if (e instanceof BadArgument b) {
            err.println("rehoboam: " + b.getMessage());
            err.flush();
            return EXIT_USAGE;
          }
          if (e instanceof RehoboamException r) {
            // From the local commands: bad input (a recording of another version, a configuration
            // naming a source the recording lacks, ...) is a usage error, the rest a failure.
            err.println("rehoboam: " + r.getMessage());
            err.flush();
            return r.code() == ErrorCode.INVALID_ARGUMENT || r.code() == ErrorCode.INVALID_CONFIG
                ? EXIT_USAGE
                : EXIT_FAILED;
          }
          throw e;
        });
    return cli;
  }

  /** Runs one command line and returns its exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    int code = commandLine(env, out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, System.getenv()));
  }
}
