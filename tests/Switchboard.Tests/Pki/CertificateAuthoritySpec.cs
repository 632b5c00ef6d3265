using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Testing.Pki;
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

    [Fact]
    public void Every_serial_the_CA_issues_is_positive_and_minimally_encoded()
    {
        var pki = TestPki.Instance;
        for (var agent = 0; agent < 8; agent++)
        {
            using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(pki.Agent(agent).Certificate));
            var first = leaf.SerialNumberBytes.Span[0];
            Assert.InRange(first, 0x01, 0x7F);
        }
    }

    [Theory]
    [InlineData("00B2D4C522BAF5C8BB")] // a sign byte: .NET's SerialNumber keeps it, OpenSSL does not print it
    [InlineData("7F01")]
    public async Task A_serial_reads_as_openssl_prints_it(string serialHex)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=serial", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now.AddMinutes(-1), now.AddDays(1), Convert.FromHexString(serialHex));
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-serial-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, certificate.ExportCertificatePem());
        try
        {
            var printed = await ProcessRun.RunAsync("openssl", ["x509", "-in", path, "-noout", "-serial"], TimeSpan.FromSeconds(20));
            Assert.Equal(0, printed.ExitCode);
            Assert.Equal(printed.Stdout.Trim(), $"serial={Revocation.Serial(certificate)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Certs_revoke_names_the_serial_as_openssl_prints_it_and_lists_it_in_the_crl()
    {
        var directory = Directory.CreateTempSubdirectory("switchboard-revoke-").FullName;
        try
        {
            Assert.Equal(0, (await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), "certs", "--out", directory, "--agents", "1")).ExitCode);
            var revoked = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), "certs", "revoke", "--certs", directory, "--name", PkiLayout.AgentName(0));
            Assert.Equal(0, revoked.ExitCode);

            var layout = new PkiLayout(directory);
            var printed = await ProcessRun.RunAsync("openssl", ["x509", "-in", layout.AgentCertificate(PkiLayout.AgentName(0)), "-noout", "-serial"], TimeSpan.FromSeconds(20));
            var serial = printed.Stdout.Trim()["serial=".Length..];
            Assert.Contains($"(serial {serial})", revoked.Stdout);

            var crl = await ProcessRun.RunAsync("openssl", ["crl", "-in", layout.CrlPath(), "-noout", "-text"], TimeSpan.FromSeconds(20));
            Assert.Contains($"Serial Number: {serial}", crl.Stdout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
