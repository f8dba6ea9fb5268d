package io.hmb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A small hand-written SVG: throughput and p99 latency against concurrency (both axes logarithmic) for
 * the two gateway scenarios, with the same run's echo baseline and crypto ceiling as horizontal lines
 * and the 50 ms p99 aim. No dependency; readable in a browser and on GitHub.
 */
final class SvgChart {
  private static final int PANEL_W = 380;
  private static final int PANEL_H = 250;
  private static final int LEFT = 58;
  private static final int TOP = 34;
  private static final int BOTTOM = 40;
  private static final int RIGHT = 14;
  private static final String COVERAGE = "#1f6fb4";
  private static final String SETTLEMENT = "#e07b00";
  private static final String BASELINE = "#777777";
  private static final String CEILING = "#2a9d3a";
  private static final String AIM = "#c62828";

  private final StringBuilder svg = new StringBuilder();

  private SvgChart() {}

  static String render(List<Step> coverage, List<Step> settlement, double baselineOps, double ceilingOps,
      List<Step> baselineSteps, String subtitle) {
    SvgChart c = new SvgChart();
    int width = 2 * PANEL_W + 10;
    int height = PANEL_H + 46;
    c.add("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
        + "font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height);
    c.add("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>");
    c.add("<text x=\"8\" y=\"16\" font-size=\"13\" font-weight=\"bold\">hmb bench: gateway vs concurrency</text>");
    c.add("<text x=\"8\" y=\"30\" fill=\"#555\">%s</text>", escape(subtitle));
    List<Step> all = new ArrayList<>(coverage);
    all.addAll(settlement);
    double[] xr = range(all, s -> s.concurrency());
    // Throughput panel
    double lo = Math.min(min(all, Step::throughput), Math.min(baselineOps, ceilingOps));
    double hi = Math.max(max(all, Step::throughput), Math.max(baselineOps, ceilingOps));
    c.panel(0, 40, "throughput (ops/s, log)", xr, lo, hi, List.of(
        new Series("coverage check", COVERAGE, false, coverage, Step::throughput),
        new Series("settlement", SETTLEMENT, false, settlement, Step::throughput)),
        List.of(new Line("echo baseline " + Math.round(baselineOps) + "/s", BASELINE, baselineOps),
            new Line("crypto ceiling " + Math.round(ceilingOps) + "/s", CEILING, ceilingOps)));
    // Latency panel
    List<Step> withBaseline = new ArrayList<>(all);
    withBaseline.addAll(baselineSteps);
    double llo = Math.max(0.05, min(withBaseline, Step::p99Ms));
    double lhi = Math.max(60, max(withBaseline, Step::p99Ms));
    c.panel(PANEL_W + 10, 40, "p99 latency (ms, log)", xr, llo, lhi, List.of(
        new Series("coverage check", COVERAGE, false, coverage, Step::p99Ms),
        new Series("settlement", SETTLEMENT, false, settlement, Step::p99Ms),
        new Series("echo baseline", BASELINE, true, baselineSteps, Step::p99Ms)),
        List.of(new Line("aim: p99 < 50 ms", AIM, 50)));
    c.add("</svg>");
    return c.svg.toString();
  }

  private record Series(String name, String colour, boolean dashed, List<Step> steps, ToDoubleFunction<Step> y) {}

  private record Line(String name, String colour, double y) {}

  private void panel(int ox, int oy, String title, double[] xr, double ylo, double yhi, List<Series> series,
      List<Line> lines) {
    double y0 = Math.pow(10, Math.floor(Math.log10(Math.max(ylo, 1e-3))));
    double y1 = Math.pow(10, Math.ceil(Math.log10(Math.max(yhi, y0 * 10))));
    int pw = PANEL_W - LEFT - RIGHT;
    int ph = PANEL_H - TOP - BOTTOM;
    int px = ox + LEFT;
    int py = oy + TOP;
    add("<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>", px, oy + 12, escape(title));
    add("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", px, py, pw, ph);
    for (double t = y0; t <= y1 * 1.001; t *= 10) {
      for (double m : new double[] {1, 3}) {
        double v = t * m;
        if (v > y1 * 1.001) {
          continue;
        }
        double y = py + ph - ph * (Math.log10(v / y0) / Math.log10(y1 / y0));
        add("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", px, px + pw, y, y);
        add("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>", px - 4, y + 4, label(v));
      }
    }
    for (double x = xr[0]; x <= xr[1] * 1.001; x *= 2) {
      double sx = sx(x, xr, px, pw);
      add("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>", sx, sx, py, py + ph);
      add("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>", sx, py + ph + 14, label(x));
    }
    add("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">concurrent callers (log2)</text>",
        px + pw / 2, py + ph + 30);
    int legendY = py + 12;
    for (Line l : lines) {
      double y = py + ph - ph * (Math.log10(l.y() / y0) / Math.log10(y1 / y0));
      add("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
          + "stroke-dasharray=\"6 3\"/>", px, px + pw, y, y, l.colour());
      add("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\" stroke=\"white\" stroke-width=\"3\" "
          + "paint-order=\"stroke\">%s</text>", px + pw - 4, y - 4, l.colour(),
          escape(l.name()));
    }
    for (Series s : series) {
      if (s.steps().isEmpty()) {
        continue;
      }
      StringBuilder points = new StringBuilder();
      for (Step st : s.steps()) {
        double v = Math.max(s.y().applyAsDouble(st), y0);
        double x = sx(st.concurrency(), xr, px, pw);
        double y = py + ph - ph * (Math.log10(v / y0) / Math.log10(y1 / y0));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        add("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x, y, s.colour());
      }
      add("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>", points.toString().trim(),
          s.colour(), s.dashed() ? " stroke-dasharray=\"3 3\"" : "");
      add("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>", px + 6, legendY - 4, s.colour());
      add("<text x=\"%d\" y=\"%d\">%s</text>", px + 20, legendY, escape(s.name()));
      legendY += 13;
    }
  }

  private static double sx(double x, double[] xr, int px, int pw) {
    double span = Math.log(xr[1] / xr[0]);
    return span == 0 ? px + pw / 2.0 : px + pw * Math.log(x / xr[0]) / span;
  }

  private static double[] range(List<Step> steps, ToDoubleFunction<Step> f) {
    double lo = Math.max(1, min(steps, f));
    double hi = Math.max(lo, max(steps, f));
    return new double[] {lo, hi};
  }

  private static double min(List<Step> steps, ToDoubleFunction<Step> f) {
    return steps.stream().mapToDouble(f).filter(v -> v > 0).min().orElse(1);
  }

  private static double max(List<Step> steps, ToDoubleFunction<Step> f) {
    return steps.stream().mapToDouble(f).max().orElse(1);
  }

  private static String label(double v) {
    if (v >= 1000) {
      return (v % 1000 == 0 ? String.valueOf((long) (v / 1000)) : String.format(Locale.ROOT, "%.1f", v / 1000)) + "k";
    }
    return v >= 1 ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.2g", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private void add(String format, Object... args) {
    svg.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
