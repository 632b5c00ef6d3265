using System.Security.Cryptography.X509Certificates;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pki;

public sealed class CertificateAuthoritySpec
{
    [Fact]
    public void Agent_certificate_names_the_agent_in_SAN_and_CN_and_chains_to_the_CA()
    {
        var pki = TestPki.Instance;
        var (crt, _) = pki.Agent(3);
        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(crt));
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(pki.Layout.CaCertificate));

        Assert.Equal("agent-00003", leaf.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal("agent-00003", leaf.GetNameInfo(X509NameType.DnsName, false));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Private_keys_are_readable_by_the_owner_only()
    {
        var mode = File.GetUnixFileMode(TestPki.Instance.Master.Key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }
}
