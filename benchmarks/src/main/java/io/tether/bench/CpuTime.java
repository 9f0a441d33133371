package io.tether.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * CPU time consumed so far by this JVM, by its server-side threads (Vert.x event loops, gRPC/jetcd,
 * Tether's own named threads such as the registry view and the xDS publisher; during the raw arm the
 * gRPC/jetcd threads are the raw client's), and by the etcd
 * process (from /proc, in clock ticks of 10 ms).
 */
record CpuTime(long jvmNanos, long serverNanos, long etcdTicks) {
  static CpuTime now(long etcdPid) {
    long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long server = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && isServerThread(t.getThreadName(), t.getThreadId())) {
        server += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    long ticks = 0;
    try {
      String stat = Files.readString(Path.of("/proc/" + etcdPid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    } catch (Exception e) {
      ticks = -1;
    }
    return new CpuTime(jvm, server, ticks);
  }

  /** The server's event-loop threads: those that exist before the harness starts its own Vert.x. */
  private static final Set<Long> SERVER_LOOPS = new HashSet<>();

  static void rememberServerEventLoops() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("vert.x-eventloop")) {
        SERVER_LOOPS.add(t.getId());
      }
    }
  }

  /** CPU time so far by thread-name group (digits folded), for diagnosing where the JVM's time goes. */
  static Map<String, Long> byGroup() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new TreeMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null) {
        String group = (SERVER_LOOPS.contains(t.getThreadId()) ? "server:" : "") + t.getThreadName().replaceAll("\\d+", "N");
        out.merge(group, Math.max(0, threads.getThreadCpuTime(t.getThreadId())), Long::sum);
      }
    }
    return out;
  }

  static boolean isServerThread(String name, long id) {
    return SERVER_LOOPS.contains(id) || name.startsWith("grpc-") || name.startsWith("jetcd")
        || name.startsWith("tether-");
  }

  double serverMicrosSince(CpuTime before) {
    return (serverNanos - before.serverNanos) / 1e3;
  }

  double jvmMicrosSince(CpuTime before) {
    return (jvmNanos - before.jvmNanos) / 1e3;
  }

  double etcdMicrosSince(CpuTime before) {
    return (etcdTicks - before.etcdTicks) * 10_000.0;
  }
}
