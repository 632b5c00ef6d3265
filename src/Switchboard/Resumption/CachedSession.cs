using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// A client session in the cache: a native <c>SSL_SESSION</c> when it came from a handshake, or its DER
/// when it came from the session file or was demoted. The DER leaves out the peer certificate
/// (<see cref="TlsSession.ExportWithoutPeer"/>), so restoring it parses no certificate; and a restart
/// restores only the sessions endpoints actually take, not every ticket on file.
/// </summary>
internal sealed class CachedSession : IDisposable
{
    private TlsSession? _native;
    private byte[]? _der;

    private CachedSession(TlsSession? native, byte[]? der, TlsVersion protocol, int encodedLength, DateTime expiresAtUtc, SessionChain chain)
    {
        _native = native;
        _der = der;
        Protocol = protocol;
        EncodedLength = encodedLength;
        ExpiresAtUtc = expiresAtUtc;
        Chain = chain;
    }

    /// <summary>The full handshake this session descends from and the peer certificate's end: see <see cref="SessionChain"/>.</summary>
    public SessionChain Chain { get; }

    public TlsVersion Protocol { get; }

    public int EncodedLength { get; }

    public DateTime ExpiresAtUtc { get; }

    /// <summary>TLS 1.3 tickets are handed out once.</summary>
    public bool SingleUse => Protocol == TlsVersion.Tls13;

    public static CachedSession FromHandshake(TlsSession session, DateTime expiresAtUtc, SessionChain chain) =>
        new(session, null, session.Protocol, session.EncodedLength, expiresAtUtc, chain);

    public static CachedSession FromFile(byte[] der, TlsVersion protocol, DateTime expiresAtUtc, SessionChain chain) =>
        new(null, der, protocol, der.Length, expiresAtUtc, chain);

    /// <summary>
    /// A native session for one connection attempt, owned by the caller; null if the bytes no longer
    /// parse. A single-use entry gives up its native session; a reusable one hands out a new reference.
    /// </summary>
    public TlsSession? TakeForAttempt()
    {
        if (_native is null)
        {
            _native = _der is null ? null : TlsSession.Import(_der);
            if (_native is null)
            {
                return null;
            }
        }

        if (!SingleUse)
        {
            return _native.Duplicate();
        }

        var native = _native;
        _native = null;
        return native;
    }

    /// <summary>
    /// Keeps only the DER of a ticket that is no longer an endpoint's newest. The newest is what the next
    /// attempt takes; the older ones are fallbacks, and a native session with its parsed peer certificate
    /// costs several times its DER in memory.
    /// </summary>
    public void Demote()
    {
        if (_native is null)
        {
            return;
        }

        _der ??= _native.ExportWithoutPeer();
        _native.Dispose();
        _native = null;
    }

    /// <summary>DER for the session file: the bytes we were restored from, or a fresh export.</summary>
    public byte[]? Export() => _native is { IsClosed: false, IsResumable: true } native ? native.ExportWithoutPeer() : _der;

    public void Dispose()
    {
        _native?.Dispose();
        _native = null;
    }
}
