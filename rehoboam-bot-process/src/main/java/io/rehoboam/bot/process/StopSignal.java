package io.rehoboam.bot.process;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The signals a process bot may be asked to stop with, by their Linux numbers. */
public enum StopSignal {
  HUP(1),
  INT(2),
  QUIT(3),
  KILL(9),
  USR1(10),
  USR2(12),
  TERM(15);

  private final int number;

  StopSignal(int number) {
    this.number = number;
  }

  /** The signal number on Linux. */
  public int number() {
    return number;
  }

  /**
   * Parses {@code TERM}, {@code SIGTERM} or {@code term}.
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting when the name is not known
   */
  public static StopSignal parse(String text, String setting) {
    String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    for (StopSignal s : values()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        setting
            + ": expected one of "
            + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))
            + " but was '"
            + text
            + "'");
  }

  /** The name of signal {@code number}, or {@code signal <number>} when it is not one of these. */
  public static String describe(int number) {
    for (StopSignal s : values()) {
      if (s.number == number) {
        return "SIG" + s.name();
      }
    }
    return switch (number) {
      case 6 -> "SIGABRT";
      case 11 -> "SIGSEGV";
      case 13 -> "SIGPIPE";
      case 14 -> "SIGALRM";
      default -> "signal " + number;
    };
  }
}
