namespace Switchboard.Configuration;

/// <summary><c>switchboard.connection</c>: deadlines, liveness and the per-endpoint send queue.</summary>
internal sealed record ConnectionSettings(
    TimeSpan ConnectTimeout,
    TimeSpan HandshakeTimeout,
    TimeSpan HeartbeatInterval,
    TimeSpan IdleTimeout,
    bool TcpKeepAlive,
    int SendQueueSize,
    TimeSpan CloseTimeout);
