namespace Switchboard.Bench.Storm;

/// <summary>
/// What a manager reports when asked for its status. Handshake counts belong to the current manager
/// instance (a restarted manager starts from zero); null = the manager cannot tell (SslStream does not
/// say whether a handshake resumed).
/// </summary>
internal sealed record SideSnapshot(int Connected, long Handshakes, long? FullHandshakes, long? ResumedHandshakes)
{
    public static readonly SideSnapshot Zero = new(0, 0, 0, 0);
}
