package io.tether.agent.dns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and remembers the threads of one AliasDns, named {@code <prefix>-<role>[-N]}, so that close()
 * can wait for every one of them to end. An executor's awaitTermination returns while its last worker
 * is still finishing; joining the threads does not. Daemon threads: a DNS server never holds the JVM up.
 */
final class DnsThreads {
  private static final Logger log = LoggerFactory.getLogger(DnsThreads.class);

  private final String prefix;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  DnsThreads(String prefix) {
    this.prefix = prefix;
  }

  /** A thread for a role one thread plays, not yet started. */
  Thread named(String role, Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + role);
    thread.setDaemon(true);
    threads.add(thread);
    return thread;
  }

  /** The thread factory of a pool: its threads are numbered. */
  ThreadFactory pool(String role) {
    AtomicInteger count = new AtomicInteger();
    return task -> named(role + "-" + count.incrementAndGet(), task);
  }

  /** Waits up to {@code patience} in all for the threads to end; says which did not. */
  void join(Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          thread.join(Math.max(1, Duration.ofNanos(left).toMillis()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (thread.isAlive()) {
        log.warn("DNS thread {} still running after close", thread.getName());
      }
    }
  }
}
