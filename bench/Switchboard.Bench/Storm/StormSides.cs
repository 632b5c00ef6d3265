namespace Switchboard.Bench.Storm;

/// <summary>The two managers a storm compares.</summary>
internal static class StormSides
{
    public const string Switchboard = "switchboard";
    public const string Baseline = "baseline";
}
