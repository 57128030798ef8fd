package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.testsupport.ChainTools;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExecutorContractTest {

  @Test
  void theCommittedArtifactIsWhatThePinnedSolcMakesOfTheSource() throws Exception {
    JsonNode fresh =
        ChainTools.compileSolidity(
            Path.of("src/main/solidity/RehoboamExecutor.sol"), "RehoboamExecutor");
    assertEquals(
        "0x" + fresh.path("bytecode").asText(),
        ExecutorContract.creationCode(),
        "src/main/solidity/RehoboamExecutor.sol changed: regenerate the artifact with"
            + " node rehoboam-test-support/scripts/compile-solidity.js"
            + " rehoboam-evm/src/main/solidity/RehoboamExecutor.sol RehoboamExecutor"
            + " > rehoboam-evm/src/main/resources/io/rehoboam/evm/RehoboamExecutor.json");
    assertEquals(new ObjectMapper().readTree(ExecutorContract.abi()), fresh.path("abi"));
    assertEquals(fresh.path("compiler").asText(), ExecutorContract.compiler());
    assertTrue(ExecutorContract.compiler().startsWith("solc 0.8.28"));
  }

  @Test
  void hopsPackThePairTheDirectionAndTheFee() {
    ExecutorContract.Hop hop =
        new ExecutorContract.Hop("0x00000000000000000000000000000000000000ff", true, 30);
    BigInteger packed = hop.packed();
    assertEquals(
        BigInteger.valueOf(0xff),
        packed.and(BigInteger.ONE.shiftLeft(160).subtract(BigInteger.ONE)));
    assertTrue(packed.testBit(160));
    assertEquals(30, packed.shiftRight(168).intValueExact());
    assertTrue(
        ExecutorContract.encodeExecute(
                "0x00000000000000000000000000000000000000aa",
                BigInteger.TEN,
                BigInteger.ONE,
                0,
                java.util.List.of(hop))
            .startsWith("0x"));
  }
}
