using System.Security.Cryptography.X509Certificates;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Fleet;

public sealed class FaultCertificatesSpec
{
    private static readonly X509Certificate2 Ca = X509Certificate2.CreateFromPem(File.ReadAllText(TestPki.Instance.Layout.CaCertificate));

    [Fact]
    public void Expired_is_the_agents_own_name_from_the_fleet_CA_and_no_longer_valid()
    {
        using var certificates = new FaultCertificates(TestPki.Instance.Layout, 10);
        using var certificate = Load(certificates.For(FaultMode.Expired, 3));
        Assert.Equal("agent-00003", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(Ca.Subject, certificate.Issuer);
        Assert.True(certificate.NotAfter < DateTime.Now);
    }

    [Fact]
    public void Untrusted_is_the_agents_own_name_from_another_CA()
    {
        using var certificates = new FaultCertificates(TestPki.Instance.Layout, 10);
        using var certificate = Load(certificates.For(FaultMode.Untrusted, 3));
        Assert.Equal("agent-00003", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.NotEqual(Ca.Subject, certificate.Issuer);
        Assert.True(certificate.NotAfter > DateTime.Now);
    }

    [Fact]
    public void Wrong_identity_is_a_valid_certificate_for_another_agent()
    {
        using var certificates = new FaultCertificates(TestPki.Instance.Layout, 10);
        Assert.Equal(TestPki.Instance.Agent(4), certificates.For(FaultMode.WrongIdentity, 3));
        Assert.Equal(TestPki.Instance.Agent(0), certificates.For(FaultMode.WrongIdentity, 9));
        using var alone = new FaultCertificates(TestPki.Instance.Layout, 1);
        using var minted = Load(alone.For(FaultMode.WrongIdentity, 0));
        Assert.Equal("agent-00001", minted.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(Ca.Subject, minted.Issuer);
    }

    [Fact]
    public void Minted_certificates_go_away_with_the_fleet()
    {
        var certificates = new FaultCertificates(TestPki.Instance.Layout, 10);
        var (path, key) = certificates.For(FaultMode.Expired, 1);
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        certificates.Dispose();
        Assert.False(Directory.Exists(certificates.Directory));
    }

    private static X509Certificate2 Load((string Certificate, string Key) identity) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(identity.Certificate));
}
