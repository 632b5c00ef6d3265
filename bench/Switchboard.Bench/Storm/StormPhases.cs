namespace Switchboard.Bench.Storm;

/// <summary>The storm's phases, in the only order they can run: each starts from the state the previous left.</summary>
internal static class StormPhases
{
    public const string Cold = "cold";
    public const string Restart = "restart";
    public const string AgentDrop = "agentdrop";

    public static readonly string[] All = [Cold, Restart, AgentDrop];
}
