using Switchboard.Tls;

namespace Switchboard.Configuration;

/// <summary><c>switchboard.tls</c>: our identity, whom we trust, and which protocol versions we speak.</summary>
/// <param name="Ca">PEM CA bundle used to verify peers (null only when no TLS is configured yet, e.g. `check` of an incomplete file reports it).</param>
/// <param name="Crl">Certificate revocation list(s) peers are checked against (<c>tls.crl</c>); null = none.</param>
/// <param name="AllowPskWithoutDhe">TLS 1.3 resumption by psk_ke (no fresh key exchange): cheaper, no forward secrecy.</param>
public sealed record TlsSettings(
    string Ca,
    string Certificate,
    string PrivateKey,
    TlsVersion MinVersion,
    TlsVersion MaxVersion,
    bool AllowPskWithoutDhe,
    string? Crl = null,
    bool CrlRequired = false,
    TimeSpan? ExpiryWarningBefore = null,
    TimeSpan? CrlCheckEvery = null)
{
    /// <summary>How often the CRL file is looked at for a new list (<c>tls.crl-check-interval</c>).</summary>
    public TimeSpan CrlCheckInterval => CrlCheckEvery ?? TimeSpan.FromSeconds(30);

    /// <summary>How long before a certificate (ours, a peer's) or the CRL runs out a warning is given (<c>tls.expiry-warning</c>).</summary>
    public TimeSpan ExpiryWarning => ExpiryWarningBefore ?? TimeSpan.FromDays(14);
}
