package io.rehoboam.journal.cluster;

import java.util.OptionalLong;

/**
 * The leases a server holds, as the journal sees them: an execution of a bot is written only under
 * the fencing token of a lease this server holds, and the database checks that token in the same
 * transaction.
 */
public interface LeaseTokens {
  /** This server's id (the lease owner the database must show). */
  String serverId();

  /**
   * The fencing token of this server's lease on the bot, while the server may still act on it by
   * its own clock (before its known expiry, less a margin); empty otherwise.
   */
  OptionalLong tokenFor(String botId);
}
