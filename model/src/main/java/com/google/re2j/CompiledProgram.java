package com.google.re2j;

import java.util.ArrayList;
import java.util.List;

/**
 * The instructions re2j compiles a regex to, for Tether's bound on the size of the program Envoy's RE2
 * makes of it ({@code io.tether.model.RegexProgramSize}). re2j keeps its program package-private, so this
 * class lives in re2j's package: a re2j upgrade that changes the program breaks the build, not the bound.
 */
public final class CompiledProgram {
  /** What an instruction is to RE2: an alternation (two epsilon edges), a no-op (one), runes to match, or other. */
  public enum Kind { ALT, NOP, RUNES, OTHER }

  /** One instruction; for {@link Kind#RUNES}, the rune ranges it matches as lo, hi pairs (case folding applied). */
  public record Instruction(Kind kind, int[] ranges) {}

  private CompiledProgram() {}

  /** The program of a regex that {@link Pattern#compile(String)} accepts. */
  public static List<Instruction> of(String regex) {
    Prog prog = Pattern.compile(regex).re2().prog;
    List<Instruction> out = new ArrayList<>(prog.numInst());
    for (int i = 0; i < prog.numInst(); i++) {
      out.add(instruction(prog.getInst(i)));
    }
    return out;
  }

  private static Instruction instruction(Inst inst) {
    switch (inst.op) {
      case Inst.ALT, Inst.ALT_MATCH:
        return new Instruction(Kind.ALT, null);
      case Inst.NOP:
        return new Instruction(Kind.NOP, null);
      case Inst.RUNE_ANY:
        return new Instruction(Kind.RUNES, new int[] {0, Unicode.MAX_RUNE});
      case Inst.RUNE_ANY_NOT_NL:
        return new Instruction(Kind.RUNES, new int[] {0, '\n' - 1, '\n' + 1, Unicode.MAX_RUNE});
      case Inst.RUNE1:
        return new Instruction(Kind.RUNES, new int[] {inst.runes[0], inst.runes[0]});
      case Inst.RUNE:
        return new Instruction(Kind.RUNES, ranges(inst));
      default:
        return new Instruction(Kind.OTHER, null);
    }
  }

  /** A class's ranges; a case-folded literal is the class of its fold orbit (what RE2 compiles it to). */
  private static int[] ranges(Inst inst) {
    if (inst.runes.length != 1) {
      return inst.runes.clone();
    }
    int r = inst.runes[0];
    if ((inst.arg & RE2.FOLD_CASE) == 0) {
      return new int[] {r, r};
    }
    List<Integer> orbit = new ArrayList<>();
    int f = r;
    do {
      orbit.add(f);
      f = Unicode.simpleFold(f);
    } while (f != r);
    int[] out = new int[orbit.size() * 2];
    for (int i = 0; i < orbit.size(); i++) {
      out[2 * i] = orbit.get(i);
      out[2 * i + 1] = orbit.get(i);
    }
    return out;
  }
}
