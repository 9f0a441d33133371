package io.tether.conformance;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task's app on a test host: an {@link EchoBackend} answering its name on {@code 0.0.0.0:PORT} (and
 * grpc.health.v1), as the app command of {@code tether agent run}. On SIGTERM it stops taking new calls,
 * lets calls in flight finish and exits 0, as a well-behaved app does; it exits by itself after
 * {@code MAX_SECONDS} so that nothing outlives a broken test run.
 *
 * <p>Usage: {@code HostBackendMain NAME PORT MAX_SECONDS}
 */
public final class HostBackendMain {
  private HostBackendMain() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    int port = Integer.parseInt(args[1]);
    long maxSeconds = Long.parseLong(args[2]);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    EchoBackend backend = new EchoBackend(name, timer, port, true);
    CountDownLatch stop = new CountDownLatch(1);
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> stop.countDown());
    System.out.printf("backend %s listening on port %d (pid %d)%n", name, backend.port(), ProcessHandle.current().pid());
    System.out.flush();
    boolean signalled = stop.await(maxSeconds, TimeUnit.SECONDS);
    backend.shutdownGracefully(5_000);
    System.out.printf("backend %s stopped (%s) after %d calls%n", name, signalled ? "SIGTERM" : "max lifetime",
        backend.calls.get());
    System.out.flush();
    timer.shutdownNow();
    System.exit(0);
  }
}
