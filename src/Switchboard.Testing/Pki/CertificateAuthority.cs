using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Testing.Pki;

/// <summary>
/// A throw-away certificate authority for fleets, tests and benchmarks. Leaf certificates carry the
/// endpoint name both as CN and as a SAN DNS name, because Switchboard checks the peer identity
/// against the endpoint name (SAN first, CN as a fallback).
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly AsymmetricAlgorithm _key;

    private CertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key, KeyAlgorithm algorithm)
    {
        _certificate = certificate;
        _key = key;
        Algorithm = algorithm;
    }

    public KeyAlgorithm Algorithm { get; }

    public IssuedCertificate Root => new(
        _certificate.GetNameInfo(X509NameType.SimpleName, false),
        _certificate.ExportCertificatePem(),
        _key.ExportPkcs8PrivateKeyPem());

    public static CertificateAuthority Create(string commonName = "Switchboard Test CA", KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        var key = NewKey(algorithm);
        var request = NewRequest(new X500DistinguishedName($"CN={commonName}"), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var certificate = key switch
        {
            ECDsa ec => request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10)),
            RSA rsa => request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10)),
            _ => throw new InvalidOperationException(),
        };
        return new CertificateAuthority(certificate, key, algorithm);
    }

    /// <summary>Loads a CA written earlier by <c>switchboard certs</c>, so more leaves can be issued from it.</summary>
    public static CertificateAuthority Load(string certificatePath, string keyPath)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"{keyPath}: unsupported CA key type");
        var algorithm = key is RSA r ? (r.KeySize >= 4096 ? KeyAlgorithm.Rsa4096 : KeyAlgorithm.Rsa2048) : KeyAlgorithm.EcdsaP256;
        return new CertificateAuthority(certificate, key, algorithm);
    }

    /// <summary>Issues a leaf for <paramref name="name"/>, usable as TLS client and server.</summary>
    /// <param name="notBefore">Override validity start (tests use it to mint expired certificates).</param>
    /// <param name="notAfter">Override validity end.</param>
    /// <param name="sharedKey">Use this key instead of generating one (benchmark fleets: see PkiLayout.Generate).</param>
    /// <param name="addresses">iPAddress SANs beside the name, for an agent also known by its address.</param>
    public IssuedCertificate Issue(string name, KeyAlgorithm? algorithm = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, AsymmetricAlgorithm? sharedKey = null,
        IReadOnlyList<System.Net.IPAddress>? addresses = null)
    {
        using var generated = sharedKey is null ? NewKey(algorithm ?? Algorithm) : null;
        var key = sharedKey ?? generated!;
        var request = NewRequest(new X500DistinguishedName($"CN={name}"), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = key is RSA
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        // An agent known by its address gets an iPAddress SAN: a DNS SAN spelled like an address names nothing.
        if (System.Net.IPAddress.TryParse(name, out var address) && (name.Contains(':') || name.Count(c => c == '.') == 3))
        {
            san.AddIpAddress(address);
        }
        else
        {
            san.AddDnsName(name);
        }

        foreach (var extra in addresses ?? [])
        {
            san.AddIpAddress(extra);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));

        var now = DateTimeOffset.UtcNow;
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        // Positive and minimally encoded: a first byte of 0x00 would either be dropped by OpenSSL's printing
        // (serial=B2...) but kept by .NET's (00B2...), or, before a byte under 0x80, make the INTEGER non-DER.
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        var generator = _key switch
        {
            ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            _ => throw new InvalidOperationException(),
        };
        X509Certificate2 certificate;
        // One CA key signs for many threads in PkiLayout.Generate; keep the signature itself serial.
        lock (_key)
        {
            certificate = request.Create(_certificate.SubjectName, generator,
                notBefore ?? now.AddDays(-1), notAfter ?? now.AddYears(5), serial);
        }
        using var _ = certificate;
        return new IssuedCertificate(name, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    internal static AsymmetricAlgorithm NewKey(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.Rsa2048 => RSA.Create(2048),
        KeyAlgorithm.Rsa4096 => RSA.Create(4096),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
