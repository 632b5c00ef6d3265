using Switchboard.Supervision;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// The failure cause a master must name for each fault mode (the tag before the colon of
/// <see cref="EndpointStatus.LastError"/>), and whether an endpoint's history shows it. Shared by the
/// fault-mode stress spec and the <c>faults</c> benchmark, so both judge a fault by the same rule.
/// </summary>
public static class FaultCauses
{
    public static IReadOnlyList<string> Expected(this FaultMode mode) => mode switch
    {
        FaultMode.Stall or FaultMode.StallMid or FaultMode.Slow => ["handshake_timeout"],
        FaultMode.Garbage => ["protocol"],
        FaultMode.Reset => ["reset", "peer_closed"],
        FaultMode.WrongIdentity => ["identity"],
        FaultMode.Expired or FaultMode.Untrusted => ["certificate"],
        FaultMode.Silent => ["idle_timeout"],
        // The agent closes right after its close_notify; a heartbeat of ours meeting the closed socket
        // draws a reset that can overtake the close_notify.
        FaultMode.Flap => ["peer_closed", "reset"],
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static bool HasCause(string? error, IReadOnlyList<string> expected) =>
        error is not null && expected.Any(tag => error.StartsWith(tag + ":", StringComparison.Ordinal));

    /// <summary>
    /// A backoff with the right cause; a flapping endpoint must also have come back afterwards (a flap
    /// that never reconnects would be a stall, not a flap).
    /// </summary>
    public static bool Showed(FaultMode mode, IReadOnlyList<EndpointStateChanged> changes)
    {
        var expected = mode.Expected();
        var firstFault = -1;
        for (var i = 0; i < changes.Count && firstFault < 0; i++)
        {
            if (changes[i].State == EndpointState.Backoff && HasCause(changes[i].LastError, expected))
            {
                firstFault = i;
            }
        }

        if (firstFault < 0)
        {
            return false;
        }

        return mode != FaultMode.Flap || changes.Skip(firstFault).Any(c => c.State == EndpointState.Connected);
    }

    /// <summary>
    /// What is wrong with a faulty endpoint's history, or null: it must have backed off, every time with the
    /// mode's cause, and (unless its agent completes handshakes, as flapping and silent ones do) never connected.
    /// </summary>
    public static string? Deviation(FaultMode mode, string name, IReadOnlyList<EndpointStateChanged> changes)
    {
        var expected = mode.Expected();
        var backoffs = changes.Where(c => c.State == EndpointState.Backoff).ToArray();
        if (backoffs.Length == 0)
        {
            return $"{name} never backed off";
        }

        if (backoffs.FirstOrDefault(b => !HasCause(b.LastError, expected)) is { } wrong)
        {
            return $"{name} backed off with '{wrong.LastError}', expected {string.Join(" or ", expected)}";
        }

        if (mode is not (FaultMode.Flap or FaultMode.Silent) && changes.Any(c => c.State == EndpointState.Connected))
        {
            return $"{name} connected although its agent is {mode.Name()}";
        }

        return null;
    }
}
