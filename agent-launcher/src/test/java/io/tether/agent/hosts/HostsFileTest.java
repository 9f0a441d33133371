package io.tether.agent.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The managed block of a hosts file: what it changes, what it leaves alone, and how it gets to disk. */
class HostsFileTest {
  /** Comments, blank lines, trailing blanks, a CRLF line and bytes that are not UTF-8. */
  private static final byte[] ORIGINAL = concat(
      "127.0.0.1\tlocalhost\n# a comment with trailing blanks   \n\n::1 ip6-localhost ip6-loopback\r\n",
      new byte[] {(byte) 0xff, (byte) 0xe9, ' ', 'x', '\n'},
      "10.0.0.1   db.internal db   # inline comment\n");
  private static final Map<String, String> ALIASES = Map.of("payments", "127.255.0.7", "api.orders", "127.255.0.9");
  private static final String ALIASES_BLOCK = HostsFile.BEGIN + "\n127.255.0.9\tapi.orders\n127.255.0.7\tpayments\n"
      + HostsFile.END + "\n";

  @TempDir
  Path dir;

  private Path hosts(byte[] content) throws IOException {
    return Files.write(dir.resolve("hosts"), content);
  }

  @Test
  void writeAppendsOneSortedBlockAndKeepsEveryOtherByte() throws IOException {
    Path file = hosts(ORIGINAL);

    assertThat(new HostsFile(file).write(ALIASES)).isTrue();

    assertThat(Files.readAllBytes(file)).isEqualTo(concat(ORIGINAL, ALIASES_BLOCK));
    assertThat(new HostsFile(file).entries()).isEqualTo(ALIASES);
  }

  @Test
  void rewriteReplacesTheBlockWhereItStandsWithoutDuplicatingIt() throws IOException {
    Path file = hosts(concat("a\n", HostsFile.BEGIN + "\n127.255.0.1\told\n" + HostsFile.END + "\n", "b\n# after\n"));

    new HostsFile(file).write(ALIASES);
    new HostsFile(file).write(Map.of("payments", "127.255.0.8"));

    assertThat(read(file)).isEqualTo("a\n" + HostsFile.BEGIN + "\n127.255.0.8\tpayments\n" + HostsFile.END
        + "\nb\n# after\n");
  }

  @Test
  void writingTheSameMapAgainDoesNotTouchTheFile() throws IOException {
    Path file = hosts(ORIGINAL);
    HostsFile hostsFile = new HostsFile(file);
    hostsFile.write(ALIASES);
    byte[] written = Files.readAllBytes(file);
    FileTime longAgo = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
    Files.setLastModifiedTime(file, longAgo);
    Object inode = Files.getAttribute(file, "unix:ino");

    assertThat(hostsFile.write(Map.of("api.orders", "127.255.0.9", "payments", "127.255.0.7"))).isFalse();

    assertThat(Files.readAllBytes(file)).isEqualTo(written);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(longAgo);
    assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\nb\n", "a\nb", "a\r\nb\r\n", "a\r\nb", "\n\n", "only-line"})
  void removeAfterWriteRestoresTheOriginalExactly(String original) throws IOException {
    Path file = hosts(original.getBytes(StandardCharsets.ISO_8859_1));
    HostsFile hostsFile = new HostsFile(file);

    hostsFile.write(ALIASES);
    hostsFile.write(Map.of("payments", "127.255.0.8"));
    assertThat(read(file)).startsWith(original.endsWith("\n") || original.isEmpty() ? original : original + lineEnd(original))
        .contains("127.255.0.8\tpayments").doesNotContain("api.orders");
    assertThat(hostsFile.remove()).isTrue();

    assertThat(read(file)).isEqualTo(original);
  }

  @Test
  void aFileWithoutFinalNewlineKeepsEndingWithoutOneAndRewritesIdentically() throws IOException {
    Path file = hosts("a\nb".getBytes(StandardCharsets.ISO_8859_1));
    HostsFile hostsFile = new HostsFile(file);

    hostsFile.write(ALIASES);
    String first = read(file);

    assertThat(first).isEqualTo("a\nb\n" + ALIASES_BLOCK.substring(0, ALIASES_BLOCK.length() - 1));
    assertThat(hostsFile.write(ALIASES)).isFalse();
    assertThat(read(file)).isEqualTo(first);
  }

  @Test
  void aCrlfFileGetsACrlfBlock() throws IOException {
    Path file = hosts("127.0.0.1 localhost\r\n".getBytes(StandardCharsets.ISO_8859_1));

    new HostsFile(file).write(Map.of("payments", "127.255.0.7"));

    assertThat(read(file)).isEqualTo("127.0.0.1 localhost\r\n" + HostsFile.BEGIN + "\r\n127.255.0.7\tpayments\r\n"
        + HostsFile.END + "\r\n");
  }

  @Test
  void removeTakesOutOnlyTheBlockAndIsANoOpWithoutOne() throws IOException {
    String before = "a\n# BEGIN something else\nx\n";
    String after = "# END tether is not a marker here\nb\n";
    Path file = hosts((before + ALIASES_BLOCK + after).getBytes(StandardCharsets.ISO_8859_1));
    HostsFile hostsFile = new HostsFile(file);

    assertThat(hostsFile.remove()).isTrue();
    assertThat(read(file)).isEqualTo(before + after);
    assertThat(hostsFile.remove()).isFalse();
    assertThat(read(file)).isEqualTo(before + after);
    assertThat(new HostsFile(dir.resolve("missing")).remove()).isFalse();
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void copiesLeftByHandCollapseIntoOneBlockAtTheFirstPlace() throws IOException {
    String block = HostsFile.BEGIN + "\n127.255.0.1\tstale\n" + HostsFile.END + "\n";
    Path file = hosts(("a\n" + block + "b\n" + block + "c\n").getBytes(StandardCharsets.ISO_8859_1));

    new HostsFile(file).write(Map.of("payments", "127.255.0.7"));

    assertThat(read(file)).isEqualTo("a\n" + HostsFile.BEGIN + "\n127.255.0.7\tpayments\n" + HostsFile.END
        + "\nb\nc\n");
  }

  @Test
  void aTornBlockWithoutEndLosesNoForeignLine() throws IOException {
    Path file = hosts(("a\n" + HostsFile.BEGIN + "\n127.255.0.1\tstale\n10.0.0.1 db  # not ours\nb\n")
        .getBytes(StandardCharsets.ISO_8859_1));

    new HostsFile(file).remove();

    assertThat(read(file)).isEqualTo("a\n10.0.0.1 db  # not ours\nb\n");
  }

  @Test
  void theAtomicReplacementKeepsPermissionsAndASymlinkStaysALink() throws IOException {
    Path real = hosts(ORIGINAL);
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
    Path link = Files.createSymbolicLink(dir.resolve("hosts-link"), real);
    Object inode = Files.getAttribute(real, "unix:ino");

    new HostsFile(link).write(ALIASES);

    assertThat(Files.getAttribute(real, "unix:ino")).as("replaced by rename").isNotEqualTo(inode);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-r-----");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readAllBytes(real)).isEqualTo(concat(ORIGINAL, ALIASES_BLOCK));
    assertThat(listDir()).containsExactlyInAnyOrder("hosts", "hosts-link");
  }

  @Test
  void whenRenameFailsAsOnABindMountTheFileIsRewrittenInPlace() throws IOException {
    Path file = hosts(ORIGINAL);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Object inode = Files.getAttribute(file, "unix:ino");
    List<Path> attempts = new ArrayList<>();
    HostsFile hostsFile = new HostsFile(file, (temporary, target) -> {
      attempts.add(temporary);
      throw new FileSystemException(temporary.toString(), target.toString(), "Device or resource busy");
    });

    hostsFile.write(ALIASES);
    hostsFile.write(Map.of("payments", "127.255.0.8"));

    assertThat(read(file)).isEqualTo(new String(ORIGINAL, StandardCharsets.ISO_8859_1) + HostsFile.BEGIN
        + "\n127.255.0.8\tpayments\n" + HostsFile.END + "\n");
    assertThat(Files.getAttribute(file, "unix:ino")).as("same file, rewritten").isEqualTo(inode);
    assertThat(attempts).as("after one failure it goes straight to in-place").hasSize(1);
    assertThat(listDir()).containsExactly("hosts");
    assertThat(hostsFile.remove()).isTrue();
    assertThat(Files.readAllBytes(file)).isEqualTo(ORIGINAL);
  }

  @Test
  void namesOrAddressesThatWouldBreakTheFormatAreRefusedAndNothingIsWritten() throws IOException {
    Path file = hosts(ORIGINAL);
    HostsFile hostsFile = new HostsFile(file);

    assertThatThrownBy(() -> hostsFile.write(Map.of("pay\nments", "127.255.0.7")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host name");
    assertThatThrownBy(() -> hostsFile.write(Map.of("payments", "127.255.0.7 evil")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IP address");
    assertThat(Files.readAllBytes(file)).isEqualTo(ORIGINAL);
  }

  // ---- helpers ----

  private List<String> listDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }

  private static String lineEnd(String text) {
    return text.contains("\r\n") ? "\r\n" : "\n";
  }

  private static byte[] concat(Object... parts) {
    StringBuilder b = new StringBuilder();
    for (Object part : parts) {
      b.append(part instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : (String) part);
    }
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
