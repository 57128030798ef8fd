package io.rehoboam.journal.cluster;

/**
 * A bot's lease as the database holds it.
 *
 * @param botId the bot
 * @param placement where it may run
 * @param owner the server holding it, or null when free
 * @param token the fencing token: one more at each change of owner, never less
 * @param expiresAt until when the owner holds it (epoch milliseconds); 0 when free
 * @param desiredState RUNNING or STOPPED as last asked through any server, or null
 * @param status the state the owner last reported, or null
 */
public record Lease(
    String botId,
    Placement placement,
    String owner,
    long token,
    long expiresAt,
    String desiredState,
    String status) {}
