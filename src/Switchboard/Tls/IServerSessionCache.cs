namespace Switchboard.Tls;

/// <summary>
/// The server's session-ID cache (TLS 1.2 clients that resume by ID rather than by ticket). OpenSSL calls
/// it from inside a handshake on an IO actor's thread, so implementations must be thread-safe and cheap.
/// </summary>
internal interface IServerSessionCache
{
    /// <summary>Keeps a serialized session (DER of <c>i2d_SSL_SESSION</c>) until at most <paramref name="expiresAtUtc"/>.</summary>
    void Store(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> session, DateTime expiresAtUtc);

    /// <summary>The serialized session for this ID, or null when unknown or expired.</summary>
    byte[]? Find(ReadOnlySpan<byte> sessionId);

    void Remove(ReadOnlySpan<byte> sessionId);
}
