using System.Security.Cryptography;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// A client session in the cache, kept as its DER without the peer certificate (<see cref="TlsSession.ExportWithoutPeer"/>):
/// the form the session file stores. It is several times smaller than a native session with its parsed certificate
/// (so the byte budget holds more endpoints), restoring it parses no certificate, and a resumption from it costs
/// what one from a native session costs (architecture §9). The endpoint name stamped in it is what a resumed
/// handshake without a certificate is checked against.
/// </summary>
/// <remarks>
/// The DER holds the session's resumption secret, so the entry owns its array and wipes it when it is let go:
/// handed to an attempt (a TLS 1.3 ticket), evicted, refused or cleared. A used ticket's secret then does not
/// linger in the heap until the collector happens to reuse the memory. Whoever needs the bytes beyond the
/// cache's own turn (a replica) gets a copy.
/// </remarks>
internal sealed class CachedSession : IDisposable
{
    private readonly byte[] _der;

    // TLS 1.2 only: a reusable session is restored once and each attempt gets its own reference.
    private TlsSession? _native;

    private CachedSession(byte[] der, TlsVersion protocol, DateTime expiresAtUtc, SessionChain chain)
    {
        _der = der;
        Protocol = protocol;
        ExpiresAtUtc = expiresAtUtc;
        Chain = chain;
    }

    public TlsVersion Protocol { get; }

    /// <summary>What the entry costs the store: its DER.</summary>
    public int EncodedLength => _der.Length;

    public DateTime ExpiresAtUtc { get; }

    /// <summary>The full handshake this session descends from and the peer certificate's end: see <see cref="SessionChain"/>.</summary>
    public SessionChain Chain { get; }

    /// <summary>TLS 1.3 tickets are handed out once.</summary>
    public bool SingleUse => Protocol == TlsVersion.Tls13;

    /// <summary>Takes over <paramref name="session"/>: its certificate-free DER is kept, the native session freed.</summary>
    public static CachedSession FromHandshake(TlsSession session, DateTime expiresAtUtc, SessionChain chain)
    {
        try
        {
            return new(session.ExportWithoutPeer(), session.Protocol, expiresAtUtc, chain);
        }
        finally
        {
            session.Dispose();
        }
    }

    /// <summary>Adopts <paramref name="der"/>, which nothing else may keep: it is wiped when the entry is let go.</summary>
    public static CachedSession FromFile(byte[] der, TlsVersion protocol, DateTime expiresAtUtc, SessionChain chain) =>
        new(der, protocol, expiresAtUtc, chain);

    /// <summary>From bytes someone else keeps (a replica's register): the entry takes a copy of its own.</summary>
    public static CachedSession FromShared(ReadOnlySpan<byte> der, TlsVersion protocol, DateTime expiresAtUtc, SessionChain chain) =>
        new(der.ToArray(), protocol, expiresAtUtc, chain);

    /// <summary>A native session for one connection attempt, owned by the caller; null if the bytes do not restore.</summary>
    public TlsSession? TakeForAttempt()
    {
        if (SingleUse)
        {
            return TlsSession.Import(_der);
        }

        _native ??= TlsSession.Import(_der);
        return _native?.Duplicate();
    }

    /// <summary>The entry's own DER, lent to the session file's seal, which reads it within the cache's turn and keeps nothing.</summary>
    public byte[] Export() => _der;

    /// <summary>A copy of the DER for a message, which outlives the cache's turn and perhaps the entry.</summary>
    public byte[] CopyDer() => (byte[])_der.Clone();

    public void Dispose()
    {
        _native?.Dispose();
        _native = null;
        CryptographicOperations.ZeroMemory(_der);
    }
}
