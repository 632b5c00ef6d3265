namespace Switchboard.Bench.Storm;

/// <summary>What a worker writes back: its phases, in order, and why it stopped early if it did.</summary>
internal sealed record WorkerResult(IReadOnlyList<PhaseMeasurement> Phases, string? Error);
