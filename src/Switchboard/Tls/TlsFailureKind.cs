namespace Switchboard.Tls;

internal enum TlsFailureKind
{
    /// <summary>We refused the peer's certificate chain (untrusted, expired, ...).</summary>
    Verify,

    /// <summary>The peer's certificate is valid but names someone other than the endpoint.</summary>
    Identity,

    /// <summary>The bytes were not TLS we accept (garbage, wrong version, no shared cipher, ...).</summary>
    Protocol,

    /// <summary>The peer sent a fatal alert (it refused us).</summary>
    PeerAlert,

    /// <summary>The peer closed before the handshake finished.</summary>
    Closed,

    /// <summary>OpenSSL failed without a reason we could classify.</summary>
    Internal,
}
