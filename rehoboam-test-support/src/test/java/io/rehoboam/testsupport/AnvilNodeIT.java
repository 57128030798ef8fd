package io.rehoboam.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnvilNodeIT {

  @Test
  void startsOnAFreeLoopbackPortWithDevKeysFromItsConfigFile() {
    try (AnvilNode node = AnvilNode.start();
        ChainClient chain = ChainClient.connect(node, 0)) {
      assertTrue(node.port() > 0);
      assertEquals(3, node.privateKeys().size());
      assertEquals(node.addresses().get(0), chain.address());
      assertEquals(0, chain.blockNumber());
    }
  }

  @Test
  void closeEndsTheProcess() {
    AnvilNode node = AnvilNode.start();
    ProcessHandle handle = ProcessHandle.of(node.pid()).orElseThrow();
    node.close();
    assertFalse(handle.isAlive());
    assertFalse(node.isRunning());
    node.close(); // idempotent
  }

  @Test
  void restartKeepsThePortAndTheChainState() {
    try (AnvilNode node = AnvilNode.start()) {
      int port = node.port();
      long pid = node.pid();
      String token;
      BigInteger held;
      long block;
      try (ChainClient chain = ChainClient.connect(node, 0)) {
        token = UniswapV2.deployToken(chain, BigInteger.valueOf(1_000_000));
        chain.transfer(token, node.addresses().get(1), BigInteger.valueOf(250));
        held = chain.balanceOf(token, node.addresses().get(1));
        block = chain.blockNumber();
      }
      node.stop();
      assertFalse(node.isRunning());
      try (ChainClient down = ChainClient.connect(node, 0)) {
        assertThrows(RuntimeException.class, down::blockNumber);
      }
      node.restart();
      assertEquals(port, node.port());
      assertNotEquals(pid, node.pid());
      try (ChainClient chain = ChainClient.connect(node, 0)) {
        assertEquals(BigInteger.valueOf(250), held);
        assertEquals(held, chain.balanceOf(token, node.addresses().get(1)));
        assertTrue(chain.blockNumber() >= block, "the chain went back in time");
        chain.transfer(token, node.addresses().get(2), BigInteger.ONE);
        assertEquals(BigInteger.ONE, chain.balanceOf(token, node.addresses().get(2)));
      }
    }
  }

  @Test
  void plantedWorldHasTheAdvertisedPools() {
    try (AnvilNode node = AnvilNode.start();
        ChainClient chain = ChainClient.connect(node, 0)) {
      ArbitrageWorld world = ArbitrageWorld.deploy(chain);
      assertEquals(7, world.pools().size());
      assertEquals(
          UniswapV2.pairFor(world.dexA().factory(), world.base(), world.usd()), world.baseUsdA());
      BigInteger[] r = UniswapV2.reserves(chain, world.baseUsdB());
      boolean baseIs0 = UniswapV2.token0(chain, world.baseUsdB()).equals(world.base());
      assertEquals(ArbitrageWorld.ONE.multiply(BigInteger.valueOf(1_000)), baseIs0 ? r[0] : r[1]);
      List<String> many =
          UniswapV2.createPairsQuickly(
              chain, world.dexB(), world.tokenList(), 10, ArbitrageWorld.ONE);
      assertThrows(
          IllegalArgumentException.class,
          () ->
              UniswapV2.createPairsQuickly(
                  chain, world.dexA(), world.tokenList().subList(0, 2), 2, ArbitrageWorld.ONE));
      assertEquals(10, many.size());
    }
  }
}
