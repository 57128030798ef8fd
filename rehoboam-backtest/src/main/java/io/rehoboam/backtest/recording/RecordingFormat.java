package io.rehoboam.backtest.recording;

import java.nio.charset.StandardCharsets;

/**
 * The recording file format, version {@value #VERSION}. A recording holds what one or more market
 * sources delivered: their tokens, the quote prices of their tokens, and every pool update with the
 * time it arrived.
 *
 * <p>Layout: an uncompressed header of 8 bytes, the ASCII magic {@code RHBREC} then the format
 * version as an unsigned 16-bit big-endian integer, followed by one or more concatenated gzip
 * members (RFC 1952) holding a stream of records. The writer flushes whole records ({@code
 * SYNC_FLUSH}), so a file cut short by a crash reads up to its last whole record.
 *
 * <p>Record stream: each record is a tag byte and its fields. Integers are unsigned LEB128 varints;
 * {@code zz} marks a zig-zag encoded signed varint; strings are a varint byte length and UTF-8;
 * {@code big} is a varint length and the big-endian magnitude of a non-negative integer.
 *
 * <pre>
 * 1 SOURCE  id:str type:str                          index = count of earlier SOURCE records
 * 2 TOKEN   source:var chain_id:var address:str symbol:str decimals:var
 * 3 PRICE   source:var token:str price:str           decimal text; "" = no price known
 * 4 POOL    source:var id:str chain_id:var dex:str address:str token0:str token1:str fee_bps:var
 *                                                    index = count of earlier POOL records
 * 5 UPDATE  kind:byte(0 added, 1 reserves, 2 removed) source:var pool:var
 *           sequence:zz (delta to the source's previous update, starting at 0)
 *           time:zz (epoch nanoseconds, delta to the previous UPDATE of the file, starting at 0)
 *           reserve0:big reserve1:big
 * 6 END     records:var                              count of records before it; closes the file
 * </pre>
 *
 * <p>Order: a source's SOURCE record precedes everything of it; its TOKEN and PRICE records (the
 * prices when recording started) precede its first UPDATE; a POOL record precedes the first UPDATE
 * naming it. The first updates of a source are its {@code ADDED} replay of every known pool (the
 * state when recording started); a PRICE record later in the stream changes a price from that point
 * on. A file without its END record was not closed (the recorder was killed or the file was cut):
 * it reads up to its last whole record and says so.
 */
public final class RecordingFormat {
  /** The format version this build writes and reads. */
  public static final int VERSION = 1;

  /** The first six bytes of every recording. */
  static final byte[] MAGIC = "RHBREC".getBytes(StandardCharsets.US_ASCII);

  static final int HEADER_LENGTH = 8;

  static final int TAG_SOURCE = 1;
  static final int TAG_TOKEN = 2;
  static final int TAG_PRICE = 3;
  static final int TAG_POOL = 4;
  static final int TAG_UPDATE = 5;
  static final int TAG_END = 6;

  private RecordingFormat() {}
}
