package io.rehoboam.spi;

/** Level of a bot log line ({@code bot.log} event). */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR
}
