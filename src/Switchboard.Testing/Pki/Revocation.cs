using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Testing.Pki;

/// <summary>
/// The test CA's revocation list, <c>ca.crl</c> beside <c>ca.crt</c> (<c>switchboard certs revoke</c>): each
/// revocation adds the certificate's serial to the list the CA signed before, with a new CRL number.
/// </summary>
public static class Revocation
{
    /// <summary>How long a list this CA signs stays current (its nextUpdate).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    public static string CrlPath(this PkiLayout layout) => Path.Combine(layout.Directory, "ca.crl");

    /// <summary>Revokes the certificate at <paramref name="certificatePath"/> and rewrites <c>ca.crl</c>; returns its serial (hex).</summary>
    /// <param name="nextUpdate">Overrides the list's nextUpdate (tests use it to make a stale list).</param>
    public static string Revoke(PkiLayout layout, string certificatePath, DateTimeOffset? nextUpdate = null)
    {
        using var revoked = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        using var ca = X509Certificate2.CreateFromPemFile(layout.CaCertificate, layout.CaKey);
        var builder = new CertificateRevocationListBuilder();
        BigInteger number = 0;
        var crlPath = layout.CrlPath();
        if (File.Exists(crlPath))
        {
            builder = CertificateRevocationListBuilder.LoadPem(File.ReadAllText(crlPath), out number);
        }

        builder.AddEntry(revoked, DateTimeOffset.UtcNow.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        var now = DateTimeOffset.UtcNow;
        var padding = ca.GetRSAPrivateKey() is null ? null : RSASignaturePadding.Pkcs1;
        var der = builder.Build(ca, number + 1, nextUpdate ?? now + Validity, HashAlgorithmName.SHA256, padding, now.AddMinutes(-5));
        File.WriteAllText(crlPath, PemEncoding.WriteString("X509 CRL", der) + "\n");
        return Serial(revoked);
    }

    /// <summary>
    /// A serial as OpenSSL prints it (<c>openssl x509 -serial</c>) and as Switchboard's status reports it: the
    /// number in hex, without the sign byte .NET's <see cref="X509Certificate2.SerialNumber"/> keeps.
    /// </summary>
    public static string Serial(X509Certificate2 certificate)
    {
        var bytes = certificate.SerialNumberBytes.Span;
        while (bytes.Length > 1 && bytes[0] == 0)
        {
            bytes = bytes[1..];
        }

        return Convert.ToHexString(bytes);
    }
}
