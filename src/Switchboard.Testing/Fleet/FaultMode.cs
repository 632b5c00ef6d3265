namespace Switchboard.Testing.Fleet;

/// <summary>How a faulty agent misbehaves. Each names a failure a master must survive.</summary>
public enum FaultMode
{
    /// <summary>Accepts TCP and never answers.</summary>
    Stall,

    /// <summary>Answers the ClientHello with the real server flight minus its last record, then goes silent.</summary>
    StallMid,

    /// <summary>Answers with random bytes that are no TLS record.</summary>
    Garbage,

    /// <summary>Resets the connection (RST) once the client's first flight arrived.</summary>
    Reset,

    /// <summary>A real TLS server whose every byte is trickled out one per 200 ms.</summary>
    Slow,

    /// <summary>A valid certificate, but for another agent's name.</summary>
    WrongIdentity,

    /// <summary>A certificate for its own name from the right CA, expired.</summary>
    Expired,

    /// <summary>A certificate for its own name from a CA nobody trusts.</summary>
    Untrusted,

    /// <summary>Healthy, but drops its links every few seconds (with jitter).</summary>
    Flap,

    /// <summary>Handshakes fine, then never sends anything, heartbeats included.</summary>
    Silent,
}

public static class FaultModeNames
{
    public static readonly IReadOnlyList<FaultMode> All = Enum.GetValues<FaultMode>();

    public static string Name(this FaultMode mode) => mode switch
    {
        FaultMode.Stall => "stall",
        FaultMode.StallMid => "stall-mid",
        FaultMode.Garbage => "garbage",
        FaultMode.Reset => "reset",
        FaultMode.Slow => "slow",
        FaultMode.WrongIdentity => "wrong-identity",
        FaultMode.Expired => "expired",
        FaultMode.Untrusted => "untrusted",
        FaultMode.Flap => "flap",
        FaultMode.Silent => "silent",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static bool TryParse(string text, out FaultMode mode)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), text, StringComparison.Ordinal))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }

    /// <summary>Raw-socket modes are served by <see cref="RawFaultAgent"/>; the rest by a real listener.</summary>
    public static bool IsRawSocket(this FaultMode mode) =>
        mode is FaultMode.Stall or FaultMode.StallMid or FaultMode.Garbage or FaultMode.Reset or FaultMode.Slow;
}
