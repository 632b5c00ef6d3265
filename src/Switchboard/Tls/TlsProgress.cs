namespace Switchboard.Tls;

/// <summary>What one call into a <see cref="TlsConnection"/> changed.</summary>
[Flags]
internal enum TlsProgress
{
    None = 0,
    HandshakeCompleted = 1,
    PeerClosed = 2,
    Failed = 4,

    /// <summary>Resumable sessions arrived; collect them with <see cref="TlsConnection.TakeNewSessions"/>.</summary>
    NewSessions = 8,
}
