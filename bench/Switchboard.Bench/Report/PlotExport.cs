using ScottPlot;
using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>
/// Connected endpoints over time, one panel per phase, Switchboard against the baseline, every run
/// drawn (thin lines show the spread). Drawn from the CSV files the storm wrote, with ScottPlot.
/// </summary>
internal static class PlotExport
{
    /// <param name="xLimits">Per phase, how many seconds to show: runs that stalled until the phase limit would flatten the others.</param>
    public static void Write(string path, int endpoints, string key, IReadOnlyList<string> phases, IReadOnlyList<(int Run, string Side, string Phase, string Csv)> series,
        IReadOnlyDictionary<string, double> xLimits)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(phases.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (var i = 0; i < phases.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            foreach (var side in new[] { StormSides.Baseline, StormSides.Switchboard })
            {
                var labelled = false;
                foreach (var (_, _, _, csv) in series.Where(s => s.Side == side && s.Phase == phases[i]).OrderBy(s => s.Run))
                {
                    var (seconds, connected) = CsvExport.ReadConnected(csv);
                    if (seconds.Length == 0)
                    {
                        continue;
                    }

                    var line = plot.Add.ScatterLine(seconds, connected);
                    line.Color = side == StormSides.Switchboard ? Colors.C0 : Colors.C1;
                    line.LineWidth = side == StormSides.Switchboard ? 2 : 1.5f;
                    if (!labelled)
                    {
                        line.LegendText = side == StormSides.Switchboard ? "Switchboard" : "naive SslStream baseline";
                        labelled = true;
                    }
                }
            }

            plot.Add.HorizontalLine(endpoints, 1, Colors.Gray, LinePattern.Dashed);
            plot.Title($"{phases[i]}: {endpoints} endpoints, {key}");
            plot.XLabel("seconds since the phase started");
            plot.YLabel("connected endpoints");
            plot.Axes.SetLimitsY(0, endpoints * 1.08);
            if (xLimits.TryGetValue(phases[i], out var shown))
            {
                plot.Axes.SetLimitsX(0, shown);
            }

            plot.ShowLegend(Alignment.LowerRight);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        multiplot.SavePng(path, 560 * phases.Count, 480);
    }
}
