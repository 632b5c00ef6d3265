namespace Switchboard.Bench.Storm;

/// <summary>The storm's phases, in the only order they can run: each starts from the state the previous left.</summary>
internal static class StormPhases
{
    public const string Cold = "cold";

    /// <summary>After cold: every link up, nothing sent but heartbeats; what a quiet fleet costs per second.</summary>
    public const string Idle = "idle";
    public const string Restart = "restart";
    public const string AgentDrop = "agentdrop";

    public static readonly string[] All = [Cold, Idle, Restart, AgentDrop];
}
