using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// A client session in the cache, kept as its DER without the peer certificate (<see cref="TlsSession.ExportWithoutPeer"/>):
/// the form the session file stores. It is several times smaller than a native session with its parsed certificate
/// (so the byte budget holds more endpoints), restoring it parses no certificate, and a resumption from it costs
/// what one from a native session costs (architecture §9). The endpoint name stamped in it is what a resumed
/// handshake without a certificate is checked against.
/// </summary>
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

    public static CachedSession FromFile(byte[] der, TlsVersion protocol, DateTime expiresAtUtc, SessionChain chain) =>
        new(der, protocol, expiresAtUtc, chain);

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

    /// <summary>DER for the session file.</summary>
    public byte[] Export() => _der;

    public void Dispose()
    {
        _native?.Dispose();
        _native = null;
    }
}
