package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.WorkDir;
import io.tether.model.VipRange;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An egress Envoy whose readiness wait is interrupted is not left running. */
class HostEgressEnvoyTest {
  private final Path dir = TestEtcd.tempDir("host-egress-envoy");

  @Test
  void anInterruptedReadinessWaitStopsTheEnvoy() throws Exception {
    Path pidFile = dir.resolve("envoy.pid");
    // An "Envoy" that never gets ready: its admin port never answers.
    Path fake = Files.writeString(dir.resolve("envoy"), "#!/bin/sh\necho $$ > " + pidFile + ".tmp\nmv " + pidFile
        + ".tmp " + pidFile + "\nexec sleep 600\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    HostSettings settings = new HostSettings(
        new HostSettings.ControlPlane(URI.create("http://127.0.0.1:9"), null, "127.0.0.1", 9, null, HostControlPlane.TOKEN),
        new HostSettings.Identity("a", "127.0.0.1", null),
        new HostSettings.Relay(List.of(InetAddress.getLoopbackAddress()), Relays.LOOPBACK, Ports.free(), Ports.free()),
        new HostSettings.Names(null, VipRange.REGISTRY, dir.resolve("hosts"), Duration.ofMillis(100)),
        new HostSettings.Ecs(URI.create("http://127.0.0.1:9"), Duration.ofMillis(100)),
        new HostSettings.Egress(fake, Ports.free()),
        dir.resolve("work"));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (WorkDir work = WorkDir.open(dir.resolve("work"), "host")) {
      Thread starter = new Thread(() -> {
        try {
          EgressEnvoy.start(settings, work, () -> {}).close();
        } catch (Throwable e) {
          thrown.set(e);
        }
      }, "egress-start");
      starter.start();
      Poll.until(Duration.ofSeconds(20), () -> Files.exists(pidFile), "the fake Envoy to start");
      long pid = Long.parseLong(Files.readString(pidFile).trim());

      starter.interrupt();
      starter.join(30_000);

      assertThat(starter.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the Envoy process").isFalse();
    }
  }
}
