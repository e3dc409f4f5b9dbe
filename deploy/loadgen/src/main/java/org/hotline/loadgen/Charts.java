package org.hotline.loadgen;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts, drawn by XChart (headless AWT). Each returns false when it had no data. */
public final class Charts {

    private static final int W = 1000;
    private static final int H = 520;

    private Charts() {
    }

    /** Lines over time: x in seconds since the start, one series per entry (empty series are left out). */
    public static boolean lines(Path file, String title, String yTitle, Map<String, double[][]> series, boolean logY)
            throws IOException {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("seconds since the first report")
                .yAxisTitle(yTitle).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setYAxisDecimalPattern("#,##0.#");
        int added = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[][] xy = e.getValue();
            if (xy[0].length == 0) {
                continue;
            }
            double[] y = xy[1];
            if (logY) {
                y = y.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(y[i], 0.5);
                }
            }
            c.addSeries(e.getKey(), xy[0], y).setMarker(SeriesMarkers.NONE);
            added++;
        }
        if (added == 0) {
            return false;
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapFormat.PNG);
        return true;
    }

    /** Grouped bars: categories on x, one series per entry (values aligned with categories). */
    public static boolean bars(Path file, String title, String yTitle, List<String> categories,
            Map<String, List<Double>> series, boolean logY) throws IOException {
        if (categories.isEmpty() || series.isEmpty()) {
            return false;
        }
        try {
            return barsDrawn(file, title, yTitle, categories, series, logY);
        } catch (IllegalArgumentException e) {
            if (!logY) {
                throw e;
            }
            return barsDrawn(file, title.replace(", log scale", ""), yTitle, categories, series, false);
        }
    }

    private static boolean barsDrawn(Path file, String title, String yTitle, List<String> categories,
            Map<String, List<Double>> series, boolean logY) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setYAxisLogarithmic(logY);
        if (logY) {
            c.getStyler().setYAxisMin(0.5);
        }
        c.getStyler().setYAxisDecimalPattern("#,##0.#");
        c.getStyler().setXAxisLabelRotation(categories.stream().mapToInt(String::length).max().orElse(0) > 14 ? 20 : 0);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setLabelsFontColorAutomaticEnabled(false);
        c.getStyler().setLabelsFontColor(java.awt.Color.DARK_GRAY);
        c.getStyler().setLabelsPosition(0.98);
        c.getStyler().setLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            List<Double> y = new ArrayList<>();
            for (Double v : e.getValue()) {
                double d = v == null || v.isNaN() ? 0 : v;
                y.add(logY ? Math.max(d, 0.5) : d);
            }
            c.addSeries(e.getKey(), categories, y);
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapFormat.PNG);
        return true;
    }

    /** x = 0, 1, 2… seconds for a per-second series. */
    public static double[][] perSecond(long[] counts, int length) {
        int n = Math.min(length, counts.length);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = counts[i];
        }
        return new double[][] {x, y};
    }

    public static Map<String, double[][]> columns(List<double[]> rows, String... names) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                x[i] = rows.get(i)[0];
                y[i] = rows.get(i)[k + 1];
            }
            out.put(names[k], new double[][] {x, y});
        }
        return out;
    }
}
