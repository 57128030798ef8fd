package io.rehoboam.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Samples the heap in use and the process's resident memory every few seconds. */
final class MemorySampler {
  private final long everyMillis;
  private final List<String> samples = new ArrayList<>();
  private Thread thread;

  MemorySampler(int everySeconds) {
    this.everyMillis = everySeconds * 1000L;
  }

  void start() {
    thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  sample();
                  Thread.sleep(everyMillis);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "memory-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join(5_000);
    sample();
  }

  synchronized String samples() {
    return String.join(" ", samples);
  }

  private synchronized void sample() {
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    samples.add(heap + "/" + rssMiB());
  }

  private static long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
