namespace Switchboard.Bench.Cache;

/// <summary>One cache at one fill level: throughput per round (ops/s), and what the cache held meanwhile.</summary>
internal sealed record CacheRunResult(
    string Cache,
    double MedianOpsPerSec,
    double MinOpsPerSec,
    double MaxOpsPerSec,
    double SpreadPercent,
    IReadOnlyList<double> RoundsOpsPerSec,
    double MedianOpsPerCpuSec,
    double HitRate,
    double ActualFill,
    long Entries);

internal sealed record CachePointResult(double Fill, CacheRunResult Switchboard, CacheRunResult Dictionary)
{
    public double Speedup => Switchboard.MedianOpsPerSec / Dictionary.MedianOpsPerSec;
}

internal sealed record CacheBenchReport(
    string Benchmark,
    long BudgetBytes,
    int EntryBytes,
    int SessionBytes,
    int Threads,
    int SubCaches,
    int Rounds,
    int RoundMilliseconds,
    string Mix,
    IReadOnlyList<CachePointResult> Points,
    double SwitchboardFlatness,
    double DictionaryFlatness,
    double SpeedupAtFull,
    double SwitchboardCpuFlatness,
    double SpeedupAtFullPerCpu,
    bool MeetsTarget);
