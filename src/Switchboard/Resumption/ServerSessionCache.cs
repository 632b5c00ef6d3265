using Switchboard.Configuration;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// The server's TLS 1.2 session-ID cache on a <see cref="SessionStore{TValue}"/>: random IDs, one DER-encoded
/// session each, reusable until expiry. Bytes are copied in and out so nobody can change a cached session.
/// </summary>
internal sealed class ServerSessionCache : IServerSessionCache
{
    /// <summary>TLS 1.2 session IDs are at most 32 bytes (RFC 5246 §7.4.1.2).</summary>
    public const int MaxSessionIdLength = 32;

    public ServerSessionCache(ResumptionSettings settings, TimeProvider? time = null)
        : this(SessionStoreOptions.ForServer(settings), time)
    {
    }

    public ServerSessionCache(SessionStoreOptions options, TimeProvider? time = null)
    {
        Sessions = new SessionStore<byte[]>(options, onEvicted: null, time);
    }

    /// <summary>The underlying store, for its counters.</summary>
    public SessionStore<byte[]> Sessions { get; }

    public void Store(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> session, DateTime expiresAtUtc)
    {
        // OpenSSL calls this inside a handshake: odd input is ignored, never thrown into native code.
        if (sessionId.IsEmpty || sessionId.Length > MaxSessionIdLength || session.IsEmpty)
        {
            return;
        }

        Sessions.Put(sessionId, session.ToArray(), SessionStore<byte[]>.EntrySize(sessionId.Length, session.Length), expiresAtUtc);
    }

    public byte[]? Find(ReadOnlySpan<byte> sessionId)
    {
        if (sessionId.IsEmpty || sessionId.Length > MaxSessionIdLength)
        {
            return null;
        }

        return Sessions.TryGet(sessionId, out var session) ? (byte[])session.Clone() : null;
    }

    public void Remove(ReadOnlySpan<byte> sessionId)
    {
        if (!sessionId.IsEmpty && sessionId.Length <= MaxSessionIdLength)
        {
            Sessions.Remove(sessionId);
        }
    }
}
