using System.Globalization;
using System.Text;
using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>The report as Markdown tables on stdout: readable in a terminal, pasteable into the README.</summary>
internal static class TableExport
{
    private static readonly (string Header, string Metric, string Format)[] Columns =
    [
        ("time s", Metrics.Seconds, "F2"),
        ("1st handshake s", Metrics.FirstHandshakeSeconds, "F2"),
        ("CPU s", Metrics.CpuSeconds, "F2"),
        ("peak threads", Metrics.PeakThreads, "F0"),
        ("peak RSS MiB", Metrics.PeakRssMiB, "F0"),
        ("KiB/endpoint", Metrics.KiBPerEndpoint, "F1"),
        ("full", Metrics.FullHandshakes, "F0"),
        ("resumed", Metrics.ResumedHandshakes, "F0"),
        ("timeouts", Metrics.Timeouts, "F0"),
        ("failures", Metrics.Failures, "F0"),
        ("drops", Metrics.LinksDropped, "F0"),
        ("status p99 ms", Metrics.StatusP99Ms, "F1"),
        ("status p99 outside GC ms", Metrics.StatusP99OutsideGcMs, "F1"),
        ("GC pause ms", Metrics.GcPauseMs, "F0"),
        ("longest GC pause ms", Metrics.GcMaxPauseMs, "F1"),
        ("GCs", Metrics.GcCollections, "F0"),
        ("KiB allocated/handshake", Metrics.AllocatedKiBPerHandshake, "F1"),
        ("system CPU s", Metrics.SystemCpuSeconds, "F2"),
        ("start CPU s", Metrics.StartCpuSeconds, "F2"),
        ("start JIT s", Metrics.StartJitSeconds, "F2"),
        ("JIT s", Metrics.JitSeconds, "F2"),
        ("page faults/handshake", Metrics.PageFaultsPerHandshake, "F1"),
        ("fleet CPU s", Metrics.FleetCpuSeconds, "F2"),
        ("fleet settled after s", Metrics.FleetSettleSeconds, "F2"),
        ("machine idle", Metrics.MachineIdleShare, "P0"),
    ];

    public static string Render(StormReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"storm: {report.Endpoints} endpoints, {report.Key}, {report.Runs} run(s), restart {report.RestartMode}; " +
                                                      $"{report.Machine.Cores} cores, load {report.Machine.LoadAverageAtStart} at start, {report.Machine.LoadAverageAtEnd} at end");
        text.AppendLine(report.Runs > 1 ? "values: median (min–max) over runs" : "values: one run");
        text.AppendLine();
        text.Append("| phase | side | connected (worst run) |");
        foreach (var column in Columns)
        {
            text.Append(CultureInfo.InvariantCulture, $" {column.Header} |");
        }

        text.AppendLine();
        text.Append("|---|---|---:|");
        text.AppendLine(string.Concat(Columns.Select(_ => "---:|")));
        foreach (var phase in report.Phases)
        {
            foreach (var side in new[] { StormSides.Switchboard, StormSides.Baseline })
            {
                if (!report.Results.TryGetValue(side, out var phases) || !phases.TryGetValue(phase, out var summary))
                {
                    continue;
                }

                if (summary.PerRun.Count == 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {phase} | {side} | not run |{string.Concat(Columns.Select(_ => " |"))}");
                    continue;
                }

                var connected = summary.Metrics.GetValueOrDefault(Metrics.Connected);
                var complete = summary.CompletedRuns == summary.Runs ? string.Empty : $" ({summary.CompletedRuns}/{summary.Runs} runs complete)";
                text.Append(CultureInfo.InvariantCulture, $"| {phase} | {side} | {Cell(connected is null ? null : connected with { Median = connected.Min }, "F0", false)}/{report.Endpoints}{complete} |");
                foreach (var column in Columns)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {Cell(summary.Metrics.GetValueOrDefault(column.Metric), column.Format, report.Runs > 1)} |");
                }

                text.AppendLine();
            }
        }

        if (report.RatiosBaselineOverSwitchboard.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("baseline ÷ Switchboard (medians; above 1 = Switchboard needs less)");
            text.AppendLine();
            text.AppendLine("| phase | time | CPU | peak threads | peak RSS | memory/endpoint |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (phase, ratios) in report.RatiosBaselineOverSwitchboard)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {phase} |");
                foreach (var metric in Metrics.Ratios)
                {
                    text.Append(ratios.GetValueOrDefault(metric) is { } r ? string.Create(CultureInfo.InvariantCulture, $" {r:F2}× |") : " n/a |");
                }

                text.AppendLine();
            }
        }

        RenderIdle(report, text);
        FloorComparison.Render(report, text);
        text.AppendLine();
        text.AppendLine("targets:");
        foreach (var target in report.Targets)
        {
            var mark = target.Met switch { true => "met   ", false => "MISSED", null => "n/a   " };
            text.AppendLine(CultureInfo.InvariantCulture, $"  [{mark}] #{target.Issue} {target.Target}: {target.Measured}");
        }

        foreach (var failure in report.Results.Values.SelectMany(p => p.Values).SelectMany(s => s.Failures.Select(f => $"{s.Side} {s.Phase}: {f}")).Distinct())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  failure: {failure}");
        }

        foreach (var note in report.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  note: {note}");
        }

        return text.ToString();
    }

    /// <summary>The idle phase in its own terms: cores kept busy and wake-ups per second, not time to connect.</summary>
    private static void RenderIdle(StormReport report, StringBuilder text)
    {
        var rows = new[] { StormSides.Switchboard, StormSides.Baseline }
            .Select(side => report.Results.TryGetValue(side, out var phases) && phases.TryGetValue(StormPhases.Idle, out var idle) && idle.PerRun.Count > 0 ? idle : null)
            .OfType<PhaseSummary>()
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("idle (every link up, heartbeats only)");
        text.AppendLine();
        text.AppendLine("| side | CPU (cores) | context switches/s | RSS MiB | KiB/endpoint |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var idle in rows)
        {
            var multi = report.Runs > 1;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {idle.Side} | {Cell(idle.Metrics.GetValueOrDefault(Metrics.CpuPerSecond), "F4", multi)} | {Cell(idle.Metrics.GetValueOrDefault(Metrics.ContextSwitchesPerSecond), "F0", multi)} | " +
                $"{Cell(idle.Metrics.GetValueOrDefault(Metrics.PeakRssMiB), "F0", multi)} | {Cell(idle.Metrics.GetValueOrDefault(Metrics.KiBPerEndpoint), "F1", multi)} |");
        }
    }

    private static string Cell(Spread? spread, string format, bool withSpread)
    {
        if (spread is null)
        {
            return "n/a";
        }

        var median = spread.Median.ToString(format, CultureInfo.InvariantCulture);
        return withSpread && spread.Min != spread.Max
            ? $"{median} ({spread.Min.ToString(format, CultureInfo.InvariantCulture)}–{spread.Max.ToString(format, CultureInfo.InvariantCulture)})"
            : median;
    }
}
