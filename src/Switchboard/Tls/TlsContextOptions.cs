namespace Switchboard.Tls;

/// <summary>What a <see cref="TlsContext"/> is built from: PEM files and protocol policy.</summary>
/// <param name="CaPath">PEM CA bundle used to verify peers.</param>
/// <param name="CertificatePath">Our certificate chain (PEM, leaf first).</param>
/// <param name="PrivateKeyPath">Our private key (PEM, EC or RSA).</param>
/// <param name="AllowPskWithoutDhe">TLS 1.3 psk_ke allowed (SSL_OP_ALLOW_NO_DHE_KEX); see the report for what 3.0 picks.</param>
/// <param name="SessionTickets">Server only: false turns tickets off (SSL_OP_NO_TICKET), so TLS 1.2 clients
/// resume by session ID through the <see cref="IServerSessionCache"/> and TLS 1.3 tickets become stateful.</param>
/// <param name="Acknowledgements">Offer (client) or accept (server) the acknowledged framing by ALPN
/// (<see cref="TlsContext.AcknowledgedProtocol"/>); off = plain frames with every peer.</param>
/// <param name="CrlPath">Revocation list(s) every full handshake checks the peer against; null = none.</param>
/// <param name="CrlRequired">A stale CRL (past its nextUpdate) fails handshakes closed instead of being set aside.</param>
internal sealed record TlsContextOptions(
    string CaPath,
    string CertificatePath,
    string PrivateKeyPath,
    TlsVersion Min = TlsVersion.Tls12,
    TlsVersion Max = TlsVersion.Tls13,
    bool AllowPskWithoutDhe = false,
    bool SessionTickets = true,
    bool Acknowledgements = false,
    string? CrlPath = null,
    bool CrlRequired = false)
{
    /// <summary>Options for our own identity and policy as configured, for either side.</summary>
    public static TlsContextOptions From(Configuration.TlsSettings tls, bool acknowledgements) =>
        new(tls.Ca, tls.Certificate, tls.PrivateKey, tls.MinVersion, tls.MaxVersion, tls.AllowPskWithoutDhe, Acknowledgements: acknowledgements,
            CrlPath: tls.Crl, CrlRequired: tls.CrlRequired);
}
