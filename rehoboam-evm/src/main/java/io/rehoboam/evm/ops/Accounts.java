package io.rehoboam.evm.ops;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;
import org.web3j.utils.Numeric;

/**
 * The signing account of the chain tools: an encrypted web3 keystore with its password in an
 * environment variable, or a private key in an environment variable. Neither the key nor the
 * password is ever shown in a message.
 */
public final class Accounts {
  /** The default variable of the private key (as the evm executor's). */
  public static final String DEFAULT_KEY_ENV = "REHOBOAM_PRIVATE_KEY";

  /** The default variable of the keystore password (as the evm executor's). */
  public static final String DEFAULT_PASSWORD_ENV = "REHOBOAM_KEYSTORE_PASSWORD";

  private Accounts() {}

  /**
   * Loads the account.
   *
   * @param keystore the keystore file, or null to read the key from {@code keyEnv}
   * @param passwordEnv the variable holding the keystore password
   * @param keyEnv the variable holding the private key (hex, 32 bytes)
   * @throws RehoboamException INVALID_ARGUMENT naming what is missing or wrong
   */
  public static Credentials load(
      Path keystore, String passwordEnv, String keyEnv, Map<String, String> env) {
    if (keystore != null) {
      String password = env.get(passwordEnv);
      if (password == null) {
        throw bad("--keystore needs its password in the environment variable " + passwordEnv);
      }
      if (!Files.isReadable(keystore)) {
        throw bad("--keystore: " + keystore + " cannot be read");
      }
      try {
        return WalletUtils.loadCredentials(password, keystore.toFile());
      } catch (CipherException e) {
        throw bad("--keystore: cannot be decrypted with the password in " + passwordEnv);
      } catch (IOException | RuntimeException e) {
        throw bad("--keystore: " + keystore + " is not a valid keystore");
      }
    }
    String key = env.get(keyEnv);
    if (key == null || key.isBlank()) {
      throw bad("no account: set " + keyEnv + " to the private key, or give --keystore");
    }
    String hex = Numeric.cleanHexPrefix(key.trim()).toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw bad(keyEnv + ": expected a private key of 32 bytes of hex (the value is not shown)");
    }
    return Credentials.create(hex);
  }

  private static RehoboamException bad(String message) {
    return new RehoboamException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
