package io.tether.bench;

import java.util.List;
import java.util.Map;

/** One scenario of {@link ScaleBenchmark} beside its write timing: a run of one arm at N streams. */
interface ScaleScenario {
  /** The stream counts it runs when {@code --streams} is not given. */
  List<Integer> defaultCounts();

  /** One run's figures, by name, in the order they are reported. */
  Map<String, Double> run(ScaleArms arms, String arm, int n) throws Exception;
}
