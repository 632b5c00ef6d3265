using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>One side's phase over all runs: every metric as median and min–max, and each run as measured.</summary>
internal sealed record PhaseSummary(
    string Side,
    string Phase,
    int Runs,
    int CompletedRuns,
    IReadOnlyDictionary<string, Spread?> Metrics,
    IReadOnlyList<string> Failures,
    IReadOnlyList<PhaseMeasurement> PerRun)
{
    public double? Median(string metric) => Metrics.GetValueOrDefault(metric)?.Median;

    public double? Max(string metric) => Metrics.GetValueOrDefault(metric)?.Max;

    public double? Min(string metric) => Metrics.GetValueOrDefault(metric)?.Min;
}
