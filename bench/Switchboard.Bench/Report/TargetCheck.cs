namespace Switchboard.Bench.Report;

/// <summary>One of the issues' targets, what was measured against it, and whether it was met (null = not measured in this run).</summary>
internal sealed record TargetCheck(string Issue, string Target, string Measured, bool? Met);
