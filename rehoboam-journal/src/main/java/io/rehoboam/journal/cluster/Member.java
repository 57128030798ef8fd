package io.rehoboam.journal.cluster;

import java.util.Set;

/**
 * A server of the cluster as the database knows it.
 *
 * @param serverId its id
 * @param tags its tags (placement)
 * @param expiresAt until when it counts as alive (epoch milliseconds) unless it beats again
 */
public record Member(String serverId, Set<String> tags, long expiresAt) {}
