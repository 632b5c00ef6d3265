namespace Switchboard.Tls;

/// <summary>What a completed handshake negotiated.</summary>
/// <param name="Protocol">As OpenSSL names it: "TLSv1.2", "TLSv1.3".</param>
/// <param name="Resumed">True when an earlier session was resumed (abbreviated handshake).</param>
/// <param name="PeerIdentity">The peer certificate's first SAN DNS name, else its CN.</param>
/// <param name="EphemeralKeyExchange">True when this handshake ran a fresh (EC)DHE exchange: full handshakes and TLS 1.3
/// psk_dhe_ke resumption; false for TLS 1.2 resumption and TLS 1.3 psk_ke.</param>
/// <param name="Alpn">The application protocol both sides agreed on by ALPN; null when none was.</param>
/// <param name="PeerNotAfterUtc">When the peer's certificate expires; null when the handshake saw none (a session
/// restored without its certificate).</param>
/// <param name="PeerSerial">The peer certificate's serial (hex), as a CRL names it; null as for the NotAfter.</param>
internal sealed record HandshakeInfo(string Protocol, string Cipher, bool Resumed, string? PeerIdentity, bool EphemeralKeyExchange, string? Alpn = null, DateTime? PeerNotAfterUtc = null, string? PeerSerial = null)
{
    /// <summary>True when the link speaks the acknowledged framing (control frames, sequence numbers, Acks).</summary>
    public bool Acknowledged => Alpn == TlsContext.AcknowledgedProtocol;
}
