namespace Switchboard.Supervision;

/// <summary>Asks the supervisor for a <see cref="StatusReport"/>; answered from memory, so it stays fast during a storm.</summary>
public sealed record GetStatus
{
    public static readonly GetStatus Instance = new();
}
