package io.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's resident memory from {@code /proc/PID/status}: all of it ({@code VmRSS}, what the issue's
 * figures are in) and its private part ({@code RssAnon}: heap, metaspace, stacks, malloc), the rest being
 * file pages such as libjvm and the CDS archive that the host shares between JVMs.
 */
record ProcMemory(long rssBytes, long anonBytes) {
  static ProcMemory of(long pid) throws IOException {
    long rss = -1;
    long anon = -1;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line);
      } else if (line.startsWith("RssAnon:")) {
        anon = kilobytes(line);
      }
    }
    return new ProcMemory(rss, anon);
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }
}
