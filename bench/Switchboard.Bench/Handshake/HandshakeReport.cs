namespace Switchboard.Bench.Handshake;

/// <summary>What <c>handshake --json</c> writes.</summary>
internal sealed record HandshakeReport(
    DateTime MeasuredUtc,
    int ProcessorCount,
    int Iterations,
    int Rounds,
    IReadOnlyList<ScenarioResult> Results,
    IReadOnlyDictionary<string, double> Ratios);
