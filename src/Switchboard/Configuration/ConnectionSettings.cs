namespace Switchboard.Configuration;

/// <summary><c>switchboard.connection</c>: deadlines, liveness, the per-endpoint send queue, and acknowledgements.</summary>
/// <param name="Acknowledgements">Offer (outbound) and accept (listener) the acknowledged framing by ALPN.</param>
internal sealed record ConnectionSettings(
    TimeSpan ConnectTimeout,
    TimeSpan HandshakeTimeout,
    TimeSpan HeartbeatInterval,
    TimeSpan IdleTimeout,
    bool TcpKeepAlive,
    int SendQueueSize,
    TimeSpan CloseTimeout,
    bool Acknowledgements = true);
