package io.tether.agent.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestEtcd;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link HostsFile#rewrittenInPlace}: the file keeps its inode, so that what others hold open or
 * bind-mount (host-mode containers mount the host's /etc/hosts) sees every change.
 */
class HostsFileInPlaceTest {
  private static final String ORIGINAL = "127.0.0.1\tlocalhost\n";
  private final Path dir = TestEtcd.tempDir("hosts-in-place");

  @Test
  void aHandleOpenedBeforeTheWriteReadsTheNewContent() throws IOException {
    Path file = Files.writeString(dir.resolve("hosts"), ORIGINAL);
    Object inode = Files.getAttribute(file, "unix:ino");
    try (FileChannel open = FileChannel.open(file, StandardOpenOption.READ)) {
      HostsFile.rewrittenInPlace(file).write(Map.of("web", "100.127.0.7"));

      assertThat(read(open)).isEqualTo(ORIGINAL + HostsFile.BEGIN + "\n100.127.0.7\tweb\n" + HostsFile.END + "\n");
      HostsFile.rewrittenInPlace(file).remove();
      assertThat(read(open)).isEqualTo(ORIGINAL);
    }
    assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
  }

  @Test
  void aBindMountSeesTheNewContentWhereARenamedFileWouldBeMissed() throws Exception {
    // Root is a prerequisite like the test hosts': missing, it fails the run unless TETHER_TESTS_WITHOUT_NETNS is set.
    Prerequisites.testHosts(new com.sun.security.auth.module.UnixSystem().getUid() == 0 ? Optional.empty()
        : Optional.of("bind mounts need root (unshare -m), and these tests run as uid " + new com.sun.security.auth.module.UnixSystem().getUid()));
    Path file = Files.writeString(dir.resolve("hosts"), ORIGINAL);
    Path mountPoint = Files.writeString(dir.resolve("container-hosts"), "");

    assertThat(seenThroughBindMount(file, mountPoint, () -> HostsFile.rewrittenInPlace(file).write(Map.of("web", "100.127.0.7"))))
        .contains("100.127.0.7\tweb");
    assertThat(seenThroughBindMount(file, mountPoint, () -> new HostsFile(file).write(Map.of("api", "100.127.0.8"))))
        .as("the default (atomic rename) leaves a bind mount on the old file").doesNotContain("100.127.0.8");
  }

  private interface Write {
    void run() throws IOException;
  }

  /**
   * Bind-mounts {@code file} on {@code mountPoint} in a mount namespace of its own (as Docker mounts the
   * host's /etc/hosts into a container), makes the write on the host side, and returns what the mount
   * shows then.
   */
  private static String seenThroughBindMount(Path file, Path mountPoint, Write write) throws Exception {
    Process p = TestChildren.start(new ProcessBuilder(List.of("unshare", "-m", "sh", "-c",
        "mount --bind \"$0\" \"$1\" && echo mounted && read go && cat \"$1\"", file.toString(), mountPoint.toString()))
        .redirectErrorStream(true));
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      assertThat(out.readLine()).isEqualTo("mounted");
      write.run();
      in.write("go\n");
      in.flush();
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.append(line).append('\n');
      }
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      return seen.toString();
    } finally {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }
}
