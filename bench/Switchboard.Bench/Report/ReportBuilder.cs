using System.Globalization;
using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>Turns every run's measurements into summaries, ratios and the issues' target checks.</summary>
internal static class ReportBuilder
{
    private const double MaxThreads = 32;
    private const double MaxStatusP99Ms = 50;
    private const double MaxKiBPerEndpoint = 32;
    private const double MinResumedShare = 0.99;
    private const double MaxRestartCpuShareOfCold = 0.3;
    private const double MinRestartSpeedup = 5;
    private const double MaxRestartCpuShareOfBaseline = 0.2;

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, PhaseSummary>> Summaries(
        IReadOnlyList<PhaseMeasurement> measurements, IReadOnlyList<string> phases, int runs)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, PhaseSummary>>();
        foreach (var side in measurements.Select(m => m.Side).Distinct())
        {
            var byPhase = new Dictionary<string, PhaseSummary>();
            foreach (var phase in phases)
            {
                var perRun = measurements.Where(m => m.Side == side && m.Phase == phase).ToArray();
                var metrics = Metrics.All.ToDictionary(metric => metric.Name, metric => Spread.Of(perRun.Select(metric.Read)));
                var failures = perRun.Where(m => m.Failure is not null).Select(m => m.Failure!).ToList();
                if (perRun.Length < runs)
                {
                    failures.Add($"{runs - perRun.Length} of {runs} runs have no measurement of this phase");
                }

                byPhase[phase] = new PhaseSummary(side, phase, runs, perRun.Count(m => m.Completed), metrics, failures,
                    perRun.Select(m => m with { Samples = [] }).ToArray());
            }

            result[side] = byPhase;
        }

        return result;
    }

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double?>> Ratios(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, PhaseSummary>> summaries)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, double?>>();
        if (!summaries.TryGetValue(StormSides.Switchboard, out var switchboard) || !summaries.TryGetValue(StormSides.Baseline, out var baseline))
        {
            return result;
        }

        foreach (var (phase, ours) in switchboard)
        {
            // A ratio of a phase that did not finish everywhere compares a time limit with a result: leave it out.
            if (baseline.TryGetValue(phase, out var theirs) && Complete(ours) && Complete(theirs))
            {
                result[phase] = Metrics.Ratios.ToDictionary(metric => metric, metric => Divide(theirs.Median(metric), ours.Median(metric)));
            }
        }

        return result;
    }

    public static IReadOnlyList<TargetCheck> Targets(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, PhaseSummary>> summaries, int endpoints, MemoryReference? memoryReference = null)
    {
        var checks = new List<TargetCheck>();
        if (!summaries.TryGetValue(StormSides.Switchboard, out var ours))
        {
            return checks;
        }

        foreach (var (phase, summary) in ours)
        {
            checks.Add(new TargetCheck("4", $"{phase}: all {endpoints} endpoints connected in every run",
                $"{summary.CompletedRuns} of {summary.Runs} runs complete", summary.CompletedRuns == summary.Runs));
            if (summary.CompletedRuns == 0)
            {
                continue; // nothing finished: thresholds on a phase that never ran its course say nothing
            }

            checks.Add(new TargetCheck(phase == StormPhases.AgentDrop ? "6" : "4", $"{phase}: 0 handshake timeouts",
                $"worst run {F(summary.Max(Metrics.Timeouts))}", summary.Max(Metrics.Timeouts) is { } t ? t == 0 : null));
            checks.Add(new TargetCheck("4", $"{phase}: peak threads <= {MaxThreads}",
                $"worst run {F(summary.Max(Metrics.PeakThreads))}", summary.Max(Metrics.PeakThreads) is { } th ? th <= MaxThreads : null));
            checks.Add(new TargetCheck("4", $"{phase}: GetStatus p99 < {MaxStatusP99Ms} ms",
                $"worst run {F(summary.Max(Metrics.StatusP99Ms), "F1")} ms over {F(summary.Min(Metrics.StatusQueries))}+ queries " +
                $"(without each phase's first query: {F(summary.Max(Metrics.StatusP99AfterFirstMs), "F1")} ms; first query {F(summary.Max(Metrics.StatusFirstMs), "F1")} ms; " +
                $"outside collection pauses {F(summary.Max(Metrics.StatusP99OutsideGcMs), "F1")} ms; longest pause {F(summary.Max(Metrics.GcMaxPauseMs), "F1")} ms; " +
                $"outside pauses and the machine's stalls {F(summary.Max(Metrics.StatusP99OutsideGcAndMachineStallsMs), "F1")} ms; longest machine stall {F(summary.Max(Metrics.MachineStallMaxMs), "F1")} ms)",
                summary.Max(Metrics.StatusP99Ms) is { } p ? p < MaxStatusP99Ms : null));
        }

        if (ours.TryGetValue(StormPhases.Cold, out var cold) && memoryReference is not null)
        {
            checks.Add(MarginalMemory(summaries, cold, endpoints, memoryReference));
        }
        else if (cold is not null)
        {
            checks.Add(Complete(cold)
                ? new TargetCheck("4", $"cold: memory per connected endpoint <= {MaxKiBPerEndpoint} KiB (settled RSS)",
                    $"worst run {F(cold.Max(Metrics.KiBPerEndpoint), "F1")} KiB", cold.Max(Metrics.KiBPerEndpoint) is { } k ? k <= MaxKiBPerEndpoint : null)
                : new TargetCheck("4", $"cold: memory per connected endpoint <= {MaxKiBPerEndpoint} KiB (settled RSS)",
                    "n/a: not every run connected every endpoint", null));
        }

        if (ours.TryGetValue(StormPhases.Restart, out var restart))
        {
            checks.Add(new TargetCheck("5", $"restart: >= {MinResumedShare:P0} of handshakes resumed",
                $"worst run {P(restart.Min(Metrics.ResumedShare))}", restart.Min(Metrics.ResumedShare) is { } r ? r >= MinResumedShare : null));
            var share = Divide(restart.Median(Metrics.CpuSeconds), cold?.Median(Metrics.CpuSeconds));
            checks.Add(new TargetCheck("5", $"restart: manager CPU <= {MaxRestartCpuShareOfCold}x cold (medians)",
                $"{F(share, "F2")}x ({F(restart.Median(Metrics.CpuSeconds), "F2")} / {F(cold?.Median(Metrics.CpuSeconds), "F2")} CPU-s)",
                share is { } s ? s <= MaxRestartCpuShareOfCold : null));
        }

        if (summaries.TryGetValue(StormSides.Baseline, out var theirs) && restart is not null && theirs.TryGetValue(StormPhases.Restart, out var theirRestart))
        {
            // A baseline cut off at the phase limit took at least that long and burnt at least that CPU:
            // both ratios are then bounds in the baseline's favour.
            var bound = Complete(theirRestart) ? string.Empty : "; the baseline did not finish within the phase limit, so this is a bound in its favour";
            var speedup = Divide(theirRestart.Median(Metrics.Seconds), restart.Median(Metrics.Seconds));
            checks.Add(new TargetCheck("6", $"restart vs baseline: >= {MinRestartSpeedup}x faster (medians)",
                $"{F(speedup, "F1")}x ({F(theirRestart.Median(Metrics.Seconds), "F2")} s / {F(restart.Median(Metrics.Seconds), "F2")} s{bound})",
                speedup is { } x ? x >= MinRestartSpeedup : null));
            var cpuShare = Divide(restart.Median(Metrics.CpuSeconds), theirRestart.Median(Metrics.CpuSeconds));
            checks.Add(new TargetCheck("6", $"restart vs baseline: <= {MaxRestartCpuShareOfBaseline}x the CPU (medians)",
                $"{F(cpuShare, "F2")}x ({F(restart.Median(Metrics.CpuSeconds), "F2")} / {F(theirRestart.Median(Metrics.CpuSeconds), "F2")} CPU-s{bound})",
                cpuShare is { } c ? c <= MaxRestartCpuShareOfBaseline : null));
        }

        return checks;
    }

    /// <summary>
    /// With a reference run at another N, memory is judged per additional endpoint; settled RSS / N (the
    /// table's KiB/endpoint) also carries the process's fixed part spread over N.
    /// </summary>
    private static TargetCheck MarginalMemory(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, PhaseSummary>> summaries, PhaseSummary cold, int endpoints, MemoryReference reference)
    {
        var name = $"cold: memory per additional connected endpoint <= {MaxKiBPerEndpoint} KiB (settled RSS, N = {reference.Endpoints} -> {endpoints}, medians)";
        if (!Complete(cold))
        {
            return new TargetCheck("4", name, "n/a: not every run connected every endpoint", null);
        }

        var ours = reference.MarginalKiB(StormSides.Switchboard, endpoints, cold.Median(Metrics.KiBPerEndpoint));
        var theirs = summaries.TryGetValue(StormSides.Baseline, out var baseline) && baseline.TryGetValue(StormPhases.Cold, out var theirCold) && Complete(theirCold)
            ? reference.MarginalKiB(StormSides.Baseline, endpoints, theirCold.Median(Metrics.KiBPerEndpoint))
            : null;
        return new TargetCheck("4", name,
            $"{F(ours, "F1")} KiB (settled RSS / N: {F(cold.Median(Metrics.KiBPerEndpoint), "F1")} KiB here, " +
            $"{F(reference.ColdKiBPerEndpoint.GetValueOrDefault(StormSides.Switchboard), "F1")} KiB at N = {reference.Endpoints}; baseline per additional endpoint: {F(theirs, "F1")} KiB; reference {reference.Path})",
            ours is { } k ? k <= MaxKiBPerEndpoint : null);
    }

    private static bool Complete(PhaseSummary summary) => summary.Runs > 0 && summary.CompletedRuns == summary.Runs;

    public static double? Divide(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 ? n / d : null;

    private static string F(double? value, string format = "F0") =>
        value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string P(double? value) =>
        value is { } v ? (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %" : "n/a";
}
