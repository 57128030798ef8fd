/**
 * The durable journal the service writes ahead of every action that moves money, and reads back at
 * start-up to recover. This package holds only the contract; {@code rehoboam-journal} implements it
 * on JDBC.
 */
package io.rehoboam.core.journal;
