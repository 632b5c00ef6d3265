namespace Switchboard.Bench.Handshake;

/// <summary>One measured scenario: medians per handshake and the per-round CPU figures behind them.</summary>
internal sealed record ScenarioResult(string Name, double CpuMsMedian, double WallMsMedian, IReadOnlyList<double> CpuMsRounds);
