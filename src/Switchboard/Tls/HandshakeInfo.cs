namespace Switchboard.Tls;

/// <summary>What a completed handshake negotiated.</summary>
/// <param name="Protocol">As OpenSSL names it: "TLSv1.2", "TLSv1.3".</param>
/// <param name="Resumed">True when an earlier session was resumed (abbreviated handshake).</param>
/// <param name="PeerIdentity">The peer certificate's first SAN DNS name, else its CN.</param>
/// <param name="EphemeralKeyExchange">True when this handshake ran a fresh (EC)DHE exchange: full handshakes and TLS 1.3
/// psk_dhe_ke resumption; false for TLS 1.2 resumption and TLS 1.3 psk_ke.</param>
internal sealed record HandshakeInfo(string Protocol, string Cipher, bool Resumed, string? PeerIdentity, bool EphemeralKeyExchange);
