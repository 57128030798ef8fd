package io.rehoboam.evm.internal;

import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * The {@code X-Flashbots-Signature} header of a relay request: {@code <address>:<signature>}, where
 * the signature is an EIP-191 personal-message signature ({@code "\x19Ethereum Signed
 * Message:\n66"} prefix) of the text {@code 0x<keccak256 of the body, hex>}, r || s || v with v 27
 * or 28, as Flashbots documents it (ethers' {@code signMessage(id(body))}). The signing key is the
 * searcher identity, not the trading key: it only names who sends the bundle.
 */
public final class FlashbotsSignature {
  /** The header name. */
  public static final String HEADER = "X-Flashbots-Signature";

  private FlashbotsSignature() {}

  /** The header value for {@code body} (the exact bytes sent). */
  public static String header(Credentials identity, byte[] body) {
    byte[] message = Numeric.toHexString(Hash.sha3(body)).getBytes(StandardCharsets.US_ASCII);
    Sign.SignatureData sig = Sign.signPrefixedMessage(message, identity.getEcKeyPair());
    byte[] rsv = new byte[65];
    System.arraycopy(sig.getR(), 0, rsv, 0, 32);
    System.arraycopy(sig.getS(), 0, rsv, 32, 32);
    rsv[64] = sig.getV()[0];
    return identity.getAddress().toLowerCase() + ":" + Numeric.toHexString(rsv);
  }
}
