package io.rehoboam.spi;

/**
 * Machine-readable reason carried by every {@link RehoboamException}. The HTTP adapter maps each
 * code to one status; the names are part of the public contract and are never renamed.
 */
public enum ErrorCode {
  /** A caller passed a value that is malformed or out of range; the message names the field. */
  INVALID_ARGUMENT,
  /** The configuration (file, section, bot, field) is invalid; the message names where. */
  INVALID_CONFIG,
  /** No bot, provider, opportunity or execution has the given id. */
  NOT_FOUND,
  /** Something with this id is already registered. */
  ALREADY_EXISTS,
  /** The operation conflicts with the current state (for example unregistering a running bot). */
  CONFLICT,
  /** The opportunity was already executed once; an opportunity is never executed twice. */
  ALREADY_EXECUTED,
  /** The opportunity expired before it could be executed. */
  EXPIRED,
  /** The risk policy refused the action; the message names the limit. */
  RISK_REJECTED,
  /** Two providers claim one type id, or a provider cannot be loaded. */
  PROVIDER_CONFLICT,
  /** A provider was built against another SPI version; the message names both versions. */
  SPI_VERSION_MISMATCH,
  /** A bot failed to start, stop or run. */
  BOT_FAILURE,
  /** An operation did not finish within its deadline. */
  TIMEOUT,
  /** The service is closing or closed and takes no new work. */
  SHUTTING_DOWN,
  /** An unexpected internal failure; always a bug. */
  INTERNAL
}
