using System.Security.Cryptography.X509Certificates;
using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls;

public sealed class TlsContextSpec
{
    [Fact]
    public void Missing_certificate_file_is_named()
    {
        var options = MasterOptions() with { CertificatePath = "/nonexistent/master.crt" };

        var error = Assert.Throws<TlsConfigurationException>(() => TlsContext.CreateClient(options));

        Assert.Equal("cannot load certificate '/nonexistent/master.crt': file not found", error.Message);
    }

    [Fact]
    public void Key_of_another_certificate_names_both_files_and_the_reason()
    {
        var options = MasterOptions() with { PrivateKeyPath = Certs.Agent(1).Key };

        var error = Assert.Throws<TlsConfigurationException>(() => TlsContext.CreateServer(options));

        Assert.StartsWith($"cannot load private key '{Certs.Agent(1).Key}' for certificate '{Certs.Master.Certificate}': ", error.Message);
        Assert.Contains("values mismatch", error.Message);
    }

    [Fact]
    public void Ca_bundle_without_certificates_is_named_with_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), "switchboard-bad-ca-" + Guid.NewGuid().ToString("N") + ".crt");
        File.WriteAllText(path, "this is not PEM\n");
        try
        {
            var error = Assert.Throws<TlsConfigurationException>(() => TlsContext.CreateClient(MasterOptions() with { CaPath = path }));

            Assert.StartsWith($"cannot load CA bundle '{path}': ", error.Message);
            Assert.True(error.Message.Length > $"cannot load CA bundle '{path}': ".Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Garbage_private_key_file_is_named_with_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), "switchboard-bad-key-" + Guid.NewGuid().ToString("N") + ".key");
        File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            var error = Assert.Throws<TlsConfigurationException>(() => TlsContext.CreateClient(MasterOptions() with { PrivateKeyPath = path }));

            Assert.StartsWith($"cannot load private key '{path}' for certificate '{Certs.Master.Certificate}': ", error.Message);
            Assert.True(error.Message.Length > $"cannot load private key '{path}' for certificate '{Certs.Master.Certificate}': ".Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fingerprint_is_the_sha256_of_our_certificate()
    {
        using var context = TlsContext.CreateClient(MasterOptions());
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Certs.Master.Certificate));

        Assert.Equal(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant(), context.CertificateFingerprint);
    }

    [Fact]
    public void Ticket_keys_with_wrong_lengths_are_refused()
    {
        using var context = TlsContext.CreateServer(AgentOptions(0));
        var bad = NewTicketKey() with { Name = new byte[4] };

        Assert.Throws<ArgumentException>(() => context.SetTicketKeys(new TicketKeySet(null, bad, null)));
    }
}
