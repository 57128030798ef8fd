package io.rehoboam.bot.process;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a {@code process} bot, parsed and checked. See the module README for the grammar;
 * every failure is {@link ErrorCode#INVALID_CONFIG} naming the setting.
 *
 * @param command the program and its arguments, as executed (with {@code shell: true}: {@code
 *     /bin/sh -c <text>})
 * @param commandLine the command as shown in the bot's status ({@code script_path}), shell-quoted
 * @param workingDir the directory it runs in; null = the JVM's working directory
 * @param env variables added to (or replacing) the inherited environment
 * @param secretEnv like {@code env}, but the values are secrets: masked in statuses and redacted
 *     from the program's logged output
 * @param passEnv inherited variables passed although they look secret: exact names, or prefixes
 *     ending in {@code *}
 * @param stopSignal the signal sent to the process group when the program did not exit after the
 *     stop command
 * @param stopGrace how long the program may take to exit after the stop command on stdin before the
 *     stop signal is sent
 * @param stopTimeout how long it may take after the stop signal before SIGKILL
 * @param expectedExitCodes exit codes of a normal completion; any other exit is a failure
 * @param maxLineBytes the longest output line accepted; longer lines are skipped with a log event
 * @param logDir where output is also written to rotated files, null for no files
 * @param logMaxBytes the size at which the log file is rotated
 * @param logFiles how many rotated files are kept besides the current one
 * @param useSetsid whether the program runs in its own session and process group (stop signals then
 *     reach everything it started)
 * @param opportunityTtl the expiry given to an opportunity line without {@code expires_at}
 * @param output how much of the program's output may go to memory (log lines, events, the server
 *     log)
 */
public record ProcessBotSettings(
    List<String> command,
    String commandLine,
    Path workingDir,
    Map<String, String> env,
    Map<String, String> secretEnv,
    List<String> passEnv,
    StopSignal stopSignal,
    Duration stopGrace,
    Duration stopTimeout,
    Set<Integer> expectedExitCodes,
    int maxLineBytes,
    Path logDir,
    long logMaxBytes,
    int logFiles,
    boolean useSetsid,
    Duration opportunityTtl,
    OutputLimits output) {

  /**
   * The output budget: text lines (plain output, stderr, protocol {@code log} lines) go to the
   * bot's log lines and events, and so to the server log, at most {@code bytesPerSecond} on average
   * and {@code burstBytes} at once; beyond that they go to the log file only ({@code log_dir}),
   * counted in a summary line. Each line kept in memory is cut to {@code lineChars}.
   *
   * @param bytesPerSecond {@code output_bytes_per_second}, default 262144
   * @param burstBytes {@code output_burst_bytes}, default 1048576
   * @param lineChars {@code log_line_chars}, default 4096
   */
  public record OutputLimits(long bytesPerSecond, long burstBytes, int lineChars) {
    public static final OutputLimits DEFAULTS = new OutputLimits(256 * 1024, 1024 * 1024, 4096);

    public OutputLimits {
      Checks.check(bytesPerSecond >= 1024, "output_bytes_per_second", "must be at least 1024");
      Checks.check(burstBytes >= 1024, "output_burst_bytes", "must be at least 1024");
      Checks.check(
          lineChars >= 80 && lineChars <= 1 << 20, "log_line_chars", "must be 80..1048576");
    }
  }

  /** Every setting this bot type knows: the one list of them (the module README explains each). */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of(
              "command",
              SettingType.LIST,
              "The program and its arguments (a list), or one string run by /bin/sh -c with"
                  + " shell: true; required"),
          SettingSpec.of("shell", SettingType.BOOLEAN, "Run command as a /bin/sh -c text")
              .defaultValue(false),
          SettingSpec.of(
              "working_dir",
              SettingType.STRING,
              "The directory the program runs in; default the JVM's working directory"),
          SettingSpec.of(
              "env",
              SettingType.SECTION,
              "Variables added to (or replacing) the inherited environment"),
          SettingSpec.of(
                  "secret_env",
                  SettingType.SECTION,
                  "Like env, but the values are secrets: masked in statuses and redacted from the"
                      + " program's logged output")
              .secret(),
          SettingSpec.of(
              "pass_env",
              SettingType.LIST,
              "Inherited variables passed although they look secret: exact names, or prefixes"
                  + " ending in *"),
          SettingSpec.of(
                  "stop_signal",
                  SettingType.STRING,
                  "Signal sent to the process group when the program did not exit after the stop"
                      + " command")
              .defaultValue("TERM"),
          SettingSpec.of(
                  "stop_grace",
                  SettingType.DURATION,
                  "How long the program may take to exit after the stop command before the stop"
                      + " signal")
              .defaultValue("2s"),
          SettingSpec.of(
                  "stop_timeout",
                  SettingType.DURATION,
                  "How long it may take after the stop signal before SIGKILL")
              .defaultValue("10s"),
          SettingSpec.of(
                  "expected_exit_codes",
                  SettingType.LIST,
                  "Exit codes (0..255) of a normal completion; any other exit is a failure")
              .defaultValue("[0]"),
          SettingSpec.of(
                  "max_line_bytes",
                  SettingType.INTEGER,
                  "The longest output line accepted; longer lines are skipped with a log event")
              .defaultValue(ProcessBotSettings.DEFAULT_MAX_LINE_BYTES)
              .unit("bytes")
              .min(256)
              .max(64L << 20),
          SettingSpec.of(
              "log_dir",
              SettingType.STRING,
              "Where output is also written to rotated files; default no files"),
          SettingSpec.of(
                  "log_max_bytes", SettingType.INTEGER, "The size at which the log file is rotated")
              .defaultValue(10L << 20)
              .unit("bytes")
              .min(4096)
              .max(Long.MAX_VALUE),
          SettingSpec.of(
                  "log_files",
                  SettingType.INTEGER,
                  "How many rotated files are kept besides the current one")
              .defaultValue(5)
              .min(0)
              .max(100),
          SettingSpec.of(
                  "use_setsid",
                  SettingType.BOOLEAN,
                  "Run the program in its own session and process group")
              .defaultValue(true),
          SettingSpec.of(
                  "output_bytes_per_second",
                  SettingType.INTEGER,
                  "Average rate of text output (plain output, stderr, log lines) that reaches the"
                      + " bot's log lines, events and the server log; the rest goes to the log file"
                      + " only, counted in a summary line")
              .defaultValue(OutputLimits.DEFAULTS.bytesPerSecond())
              .unit("bytes/s")
              .min(1024)
              .max(Long.MAX_VALUE),
          SettingSpec.of(
                  "output_burst_bytes",
                  SettingType.INTEGER,
                  "Text output that may reach the bot's log lines at once above the average rate")
              .defaultValue(OutputLimits.DEFAULTS.burstBytes())
              .unit("bytes")
              .min(1024)
              .max(Long.MAX_VALUE),
          SettingSpec.of(
                  "log_line_chars",
                  SettingType.INTEGER,
                  "Each output line kept in memory (log lines, events) is cut to this many"
                      + " characters")
              .defaultValue(OutputLimits.DEFAULTS.lineChars())
              .unit("characters")
              .min(80)
              .max(1 << 20),
          SettingSpec.of(
                  "opportunity_ttl",
                  SettingType.DURATION,
                  "The expiry given to an opportunity line without expires_at")
              .defaultValue("30s"));

  /** Variables the bot sets itself; settings may not set them. */
  public static final String BOT_ID_VARIABLE = "REHOBOAM_BOT_ID";

  public static final String INSTANCE_VARIABLE = "REHOBOAM_INSTANCE";

  /**
   * The owner marker: set when the provider has an owner (the standalone server's is its data
   * directory), so that the processes a dead service left behind can be found and ended by the next
   * service of the same owner.
   */
  public static final String OWNER_VARIABLE = "REHOBOAM_OWNER";

  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PASS_PATTERN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?|\\*");

  public ProcessBotSettings {
    Checks.notNull(command, "command");
    command = List.copyOf(command);
    Checks.check(!command.isEmpty(), "command", "must not be empty");
    Checks.notBlank(commandLine, "commandLine");
    env = Map.copyOf(env);
    secretEnv = Map.copyOf(secretEnv);
    passEnv = List.copyOf(passEnv);
    Checks.notNull(stopSignal, "stop_signal");
    Checks.notNull(stopGrace, "stop_grace");
    Checks.notNull(stopTimeout, "stop_timeout");
    expectedExitCodes = Set.copyOf(expectedExitCodes);
    Checks.check(maxLineBytes >= 256, "max_line_bytes", "must be at least 256");
    Checks.check(logMaxBytes >= 4096, "log_max_bytes", "must be at least 4096");
    Checks.check(logFiles >= 0 && logFiles <= 100, "log_files", "must be 0..100");
    Checks.notNull(opportunityTtl, "opportunity_ttl");
    Checks.notNull(output, "output");
  }

  /**
   * Parses a bot's settings.
   *
   * @throws RehoboamException INVALID_CONFIG naming the first wrong setting
   */
  public static ProcessBotSettings parse(Settings settings) {
    Checks.notNull(settings, "settings");
    for (String name : settings.names()) {
      if (SCHEMA.setting(name).isEmpty()) {
        throw invalid(
            name,
            "unknown setting (known: "
                + String.join(", ", SCHEMA.settings().stream().map(SettingSpec::name).toList())
                + ")");
      }
    }
    boolean shell = settings.bool("shell", false);
    List<String> command = command(settings, shell);
    Path workingDir = path(settings, "working_dir");
    Map<String, String> env = variables(settings, "env");
    Map<String, String> secretEnv = variables(settings, "secret_env");
    for (String name : env.keySet()) {
      if (secretEnv.containsKey(name)) {
        throw invalid("secret_env", "variable " + name + " is also in env");
      }
    }
    List<String> passEnv = settings.stringList("pass_env");
    for (String p : passEnv) {
      if (!PASS_PATTERN.matcher(p).matches()) {
        throw invalid("pass_env", "'" + p + "' is not a variable name or a prefix ending in *");
      }
    }
    StopSignal stopSignal = StopSignal.parse(settings.string("stop_signal", "TERM"), "stop_signal");
    Duration stopGrace = settings.duration("stop_grace", Duration.ofSeconds(2));
    Duration stopTimeout = settings.duration("stop_timeout", Duration.ofSeconds(10));
    Set<Integer> expected = exitCodes(settings);
    int maxLineBytes = settings.intValue("max_line_bytes", DEFAULT_MAX_LINE_BYTES);
    if (maxLineBytes < 256 || maxLineBytes > 64 << 20) {
      throw invalid("max_line_bytes", "must be 256..67108864 but was " + maxLineBytes);
    }
    Path logDir = path(settings, "log_dir");
    long logMaxBytes = settings.longValue("log_max_bytes", 10L << 20);
    if (logMaxBytes < 4096) {
      throw invalid("log_max_bytes", "must be at least 4096 but was " + logMaxBytes);
    }
    int logFiles = settings.intValue("log_files", 5);
    if (logFiles < 0 || logFiles > 100) {
      throw invalid("log_files", "must be 0..100 but was " + logFiles);
    }
    boolean useSetsid = settings.bool("use_setsid", true);
    Duration ttl = settings.duration("opportunity_ttl", Duration.ofSeconds(30));
    if (ttl.isZero()) {
      throw invalid("opportunity_ttl", "must be positive");
    }
    long bytesPerSecond =
        settings.longValue("output_bytes_per_second", OutputLimits.DEFAULTS.bytesPerSecond());
    if (bytesPerSecond < 1024) {
      throw invalid("output_bytes_per_second", "must be at least 1024 but was " + bytesPerSecond);
    }
    long burstBytes = settings.longValue("output_burst_bytes", OutputLimits.DEFAULTS.burstBytes());
    if (burstBytes < 1024) {
      throw invalid("output_burst_bytes", "must be at least 1024 but was " + burstBytes);
    }
    int lineChars = settings.intValue("log_line_chars", OutputLimits.DEFAULTS.lineChars());
    if (lineChars < 80 || lineChars > 1 << 20) {
      throw invalid("log_line_chars", "must be 80..1048576 but was " + lineChars);
    }
    return new ProcessBotSettings(
        command,
        quote(command),
        workingDir,
        env,
        secretEnv,
        passEnv,
        stopSignal,
        stopGrace,
        stopTimeout,
        expected,
        maxLineBytes,
        logDir,
        logMaxBytes,
        logFiles,
        useSetsid,
        ttl,
        new OutputLimits(bytesPerSecond, burstBytes, lineChars));
  }

  private static List<String> command(Settings settings, boolean shell) {
    Object raw = settings.raw("command").orElse(null);
    if (raw == null) {
      throw invalid("command", "is required");
    }
    if (raw instanceof Map<?, ?>) {
      throw invalid("command", "expected a list of arguments or a string but was a section");
    }
    if (shell) {
      if (raw instanceof List<?>) {
        throw invalid("command", "with shell: true, give the command as one string");
      }
      String text = raw.toString();
      if (text.isBlank()) {
        throw invalid("command", "is required");
      }
      return List.of("/bin/sh", "-c", text);
    }
    List<String> argv;
    if (raw instanceof List<?> list) {
      argv = new ArrayList<>();
      for (Object o : list) {
        if (o == null || o instanceof List<?> || o instanceof Map<?, ?>) {
          throw invalid("command", "every argument must be a single value");
        }
        argv.add(o.toString());
      }
    } else {
      argv = splitWords(raw.toString());
    }
    if (argv.isEmpty() || argv.get(0).isBlank()) {
      throw invalid("command", "is required (the program to run comes first)");
    }
    return List.copyOf(argv);
  }

  /**
   * Splits a command string into words the way a POSIX shell would, without running one: blanks
   * separate words, single quotes keep text literally, double quotes keep blanks and honour {@code
   * \"}, {@code \\}, {@code \$} and {@code \`}, a backslash outside quotes escapes the next
   * character. Nothing is expanded.
   */
  static List<String> splitWords(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw invalid("command", "unclosed single quote");
        }
        word.append(text, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < text.length()) {
          char d = text.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
            word.append(text.charAt(i + 1));
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        if (!closed) {
          throw invalid("command", "unclosed double quote");
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= text.length()) {
          throw invalid("command", "ends with a lone backslash");
        }
        word.append(text.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** The words joined so that {@link #splitWords} gives them back; plain words stay unquoted. */
  static String quote(List<String> words) {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (!w.isEmpty() && w.matches("[A-Za-z0-9_@%+=:,./-]+")) {
        sb.append(w);
      } else {
        sb.append('\'').append(w.replace("'", "'\\''")).append('\'');
      }
    }
    return sb.toString();
  }

  private static Path path(Settings settings, String name) {
    String text = settings.string(name).orElse(null);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Path.of(text).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(name, "is not a valid path");
    }
  }

  private static Map<String, String> variables(Settings settings, String name) {
    Settings section = settings.section(name);
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : section.asMap().entrySet()) {
      String variable = e.getKey();
      if (!ENV_NAME.matcher(variable).matches()) {
        throw invalid(name, "'" + variable + "' is not a valid variable name");
      }
      if (variable.equals(BOT_ID_VARIABLE)
          || variable.equals(INSTANCE_VARIABLE)
          || variable.equals(OWNER_VARIABLE)) {
        throw invalid(name, variable + " is set by Rehoboam and cannot be overridden");
      }
      Object value = e.getValue();
      if (value instanceof List<?> || value instanceof Map<?, ?>) {
        throw invalid(name, "variable " + variable + " must have a single value");
      }
      out.put(variable, String.valueOf(value));
    }
    return out;
  }

  private static Set<Integer> exitCodes(Settings settings) {
    if (!settings.has("expected_exit_codes")) {
      return Set.of(0);
    }
    Set<Integer> out = new LinkedHashSet<>();
    for (String code : settings.stringList("expected_exit_codes")) {
      int value;
      try {
        value = Integer.parseInt(code.trim());
      } catch (NumberFormatException e) {
        throw invalid("expected_exit_codes", "'" + code + "' is not an exit code");
      }
      if (value < 0 || value > 255) {
        throw invalid("expected_exit_codes", "exit codes are 0..255, got " + value);
      }
      out.add(value);
    }
    return out;
  }

  private static RehoboamException invalid(String setting, String problem) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, setting + ": " + problem);
  }
}
