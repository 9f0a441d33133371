package io.tether.model;

import com.google.re2j.CompiledProgram;
import com.google.re2j.CompiledProgram.Instruction;

/**
 * An upper bound on the size of the RE2 program Envoy compiles a regex to, which Envoy compares with its
 * runtime {@code re2.max_program_size.error_level} and NACKs the resource above it. re2j (the edge's and
 * grpc-java's engine) is a port of the same compiler and gives the same instructions except where RE2 works
 * on UTF-8 bytes: a rune class becomes one byte-range instruction per byte of each UTF-8 sequence it splits
 * into (RE2's own split, counted without RE2's suffix sharing), and RE2's flattened program keeps at most
 * one link per epsilon edge (two for an alternation, one for a no-op). The constant covers RE2's unanchored
 * {@code .*?} prefix. Measured against Envoy 1.40 in {@code RegexProgramSizeTest}: never below Envoy's size.
 */
public final class RegexProgramSize {
  /**
   * The largest bound a route regex may have (README "Routes"). The agent's Envoy bootstrap sets RE2's warn
   * level to this and its error level (NACK) to twice it, a margin for the bound. grpc-java's re2j has no
   * such limit.
   */
  public static final int MAX = 1000;
  private static final int UNANCHORED_PREFIX = 4;
  /** RE2's MaxRune(i): the largest rune of i UTF-8 bytes. */
  private static final int[] MAX_RUNE_OF_LENGTH = {0, 0x7f, 0x7ff, 0xffff};

  private RegexProgramSize() {}

  /** The bound for a regex re2j accepts. */
  public static int of(String regex) {
    int size = UNANCHORED_PREFIX;
    for (Instruction inst : CompiledProgram.of(regex)) {
      size += switch (inst.kind()) {
        case ALT -> 2;
        case NOP, OTHER -> 1;
        case RUNES -> runeClass(inst.ranges());
      };
    }
    return size;
  }

  private static int runeClass(int[] ranges) {
    int bytes = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      bytes += rangeBytes(ranges[i], ranges[i + 1]);
    }
    return bytes;
  }

  /**
   * The byte-range instructions of RE2's {@code AddRuneRangeUTF8} for lo..hi before suffix sharing: split
   * into ranges of one UTF-8 length, then into ranges that agree on their leading bytes, each a sequence of
   * as many byte ranges as it has bytes.
   */
  static int rangeBytes(int lo, int hi) {
    if (lo > hi) {
      return 0;
    }
    for (int i = 1; i < MAX_RUNE_OF_LENGTH.length; i++) {
      int max = MAX_RUNE_OF_LENGTH[i];
      if (lo <= max && max < hi) {
        return rangeBytes(lo, max) + rangeBytes(max + 1, hi);
      }
    }
    if (hi <= 0x7f) {
      return 1;
    }
    for (int i = 1; i < 4; i++) {
      int m = (1 << (6 * i)) - 1;
      if ((lo & ~m) != (hi & ~m)) {
        if ((lo & m) != 0) {
          return rangeBytes(lo, lo | m) + rangeBytes((lo | m) + 1, hi);
        }
        if ((hi & m) != m) {
          return rangeBytes(lo, (hi & ~m) - 1) + rangeBytes(hi & ~m, hi);
        }
      }
    }
    return utf8Length(lo);
  }

  private static int utf8Length(int rune) {
    return rune <= 0x7f ? 1 : rune <= 0x7ff ? 2 : rune <= 0xffff ? 3 : 4;
  }
}
