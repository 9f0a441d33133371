package io.tether.agent.hosts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The text of a hosts file as lines, and the edits {@link HostsFile} makes to it: pure functions, no
 * I/O. The text is decoded as ISO-8859-1 so that every byte maps to one char and back: lines outside
 * the block come out exactly as they went in, whatever their encoding or line ending.
 */
final class HostsText {
  static final String BEGIN = "# BEGIN tether (managed by tether agent; do not edit)";
  static final String END = "# END tether";

  private static final Pattern ENTRY = Pattern.compile("\\S+\t\\S+");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]{0,251}[A-Za-z0-9_])?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]*:[0-9A-Fa-f:.]*");

  private HostsText() {}

  /** One line: its content and its terminator ("\n", "\r\n", or "" for a last line without one). */
  record Line(String content, String terminator) {
    Line withTerminator(String t) {
      return new Line(content, t);
    }
  }

  /**
   * The file taken apart: the lines outside any block, where the (first) block stood among them (-1
   * when there is none), the entries of that block, the line separator the file uses, and whether the
   * file ends without a final newline.
   */
  private record Parsed(List<Line> kept, int blockIndex, Map<String, String> entries, String separator,
      boolean noFinalNewline) {}

  /** The text with the block holding exactly these entries, at the first block's place, else at the end. */
  static String withBlock(String text, Map<String, String> nameToIp) {
    SortedMap<String, String> entries = validated(nameToIp);
    Parsed p = parse(text);
    List<Line> out = new ArrayList<>(p.kept());
    List<Line> block = new ArrayList<>();
    block.add(new Line(BEGIN, p.separator()));
    entries.forEach((name, ip) -> block.add(new Line(ip + "\t" + name, p.separator())));
    block.add(new Line(END, p.separator()));
    int at = p.blockIndex() >= 0 ? p.blockIndex() : out.size();
    if (at == out.size() && p.noFinalNewline()) {
      // The file had no final newline: the block takes the separator it needs before it and leaves
      // the end as it found it, so that rewriting is byte-identical and remove() restores the original.
      if (at > 0 && out.get(at - 1).terminator().isEmpty()) {
        out.set(at - 1, out.get(at - 1).withTerminator(p.separator()));
      }
      block.set(block.size() - 1, block.get(block.size() - 1).withTerminator(""));
    }
    out.addAll(at, block);
    return join(out);
  }

  /** The text without any block; a block that ended the file without a newline takes its separator with it. */
  static String withoutBlock(String text) {
    Parsed p = parse(text);
    if (p.blockIndex() < 0) {
      return text;
    }
    List<Line> out = new ArrayList<>(p.kept());
    if (p.blockIndex() == out.size() && p.noFinalNewline() && !out.isEmpty()) {
      out.set(out.size() - 1, out.get(out.size() - 1).withTerminator(""));
    }
    return join(out);
  }

  /** The entries of the (first) block, name to IP; empty when there is no block. */
  static Map<String, String> entries(String text) {
    return parse(text).entries();
  }

  static List<Line> lines(String text) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        lines.add(new Line(text.substring(start), ""));
        break;
      }
      int contentEnd = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      lines.add(new Line(text.substring(start, contentEnd), text.substring(contentEnd, nl + 1)));
      start = nl + 1;
    }
    return lines;
  }

  private static Parsed parse(String text) {
    List<Line> all = lines(text);
    String separator = all.stream().map(Line::terminator).filter(t -> !t.isEmpty()).findFirst().orElse("\n");
    boolean noFinalNewline = !all.isEmpty() && all.get(all.size() - 1).terminator().isEmpty();
    List<Line> kept = new ArrayList<>();
    Map<String, String> entries = new TreeMap<>();
    int blockIndex = -1;
    for (int i = 0; i < all.size(); i++) {
      if (!isMarker(all.get(i), BEGIN)) {
        kept.add(all.get(i));
        continue;
      }
      int last = blockEnd(all, i);
      if (blockIndex < 0) {
        blockIndex = kept.size();
        for (int j = i + 1; j <= last; j++) {
          String[] parts = all.get(j).content().split("\t");
          if (parts.length == 2 && ENTRY.matcher(all.get(j).content()).matches()) {
            entries.put(parts[1], parts[0]);
          }
        }
      }
      // Further blocks (a copy left by hand, a torn write) are dropped: there is only ever one.
      i = last;
    }
    return new Parsed(kept, blockIndex, Collections.unmodifiableMap(entries), separator, noFinalNewline);
  }

  /**
   * Where the block that starts at {@code begin} ends: its END line when one follows before another
   * BEGIN. Without one (a block torn by a crash during an in-place rewrite, or edited by hand), only
   * the entry-shaped lines after BEGIN are taken to be ours, so that no line of someone else's is lost.
   */
  private static int blockEnd(List<Line> all, int begin) {
    for (int j = begin + 1; j < all.size() && !isMarker(all.get(j), BEGIN); j++) {
      if (isMarker(all.get(j), END)) {
        return j;
      }
    }
    int last = begin;
    while (last + 1 < all.size() && ENTRY.matcher(all.get(last + 1).content()).matches()) {
      last++;
    }
    return last;
  }

  private static boolean isMarker(Line line, String marker) {
    return line.content().stripTrailing().equals(marker);
  }

  private static String join(List<Line> lines) {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l.content()).append(l.terminator()));
    return b.toString();
  }

  /** Names and addresses go into a system file: anything that could break a line or the format is refused. */
  private static SortedMap<String, String> validated(Map<String, String> nameToIp) {
    SortedMap<String, String> sorted = new TreeMap<>();
    nameToIp.forEach((name, ip) -> {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a host name: '" + name + "'");
      }
      if (ip == null || !(IPV4.matcher(ip).matches() || IPV6.matcher(ip).matches())) {
        throw new IllegalArgumentException("not an IP address for '" + name + "': '" + ip + "'");
      }
      sorted.put(name, ip);
    });
    return sorted;
  }
}
