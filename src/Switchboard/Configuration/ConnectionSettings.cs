namespace Switchboard.Configuration;

/// <summary><c>switchboard.connection</c>: deadlines, liveness, the per-endpoint send queue, and acknowledgements.</summary>
/// <param name="Acknowledgements">Offer (outbound) and accept (listener) the acknowledged framing by ALPN.</param>
/// <param name="SendTimeout">A message not handed to any link within this is answered with SendFailed; null: never.</param>
public sealed record ConnectionSettings(
    TimeSpan ConnectTimeout,
    TimeSpan HandshakeTimeout,
    TimeSpan HeartbeatInterval,
    TimeSpan IdleTimeout,
    bool TcpKeepAlive,
    int SendQueueSize,
    TimeSpan CloseTimeout,
    bool Acknowledgements = true,
    TimeSpan? SendTimeout = null);
