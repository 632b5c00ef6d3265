using Switchboard.Testing.Pki;

namespace Switchboard.Tests.Support;

/// <summary>
/// Certificates every test shares, generated once per test run into a temp directory: the layout of
/// <c>switchboard certs</c> (CA, master, agent-00000..agent-00009) plus the misissued ones fault tests need.
/// </summary>
internal sealed class TestPki
{
    private static readonly Lazy<TestPki> Shared = new(() => new TestPki());

    private TestPki()
    {
        var directory = Path.Combine(Path.GetTempPath(), "switchboard-tests-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Layout = PkiLayout.Generate(directory, AgentCount);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };

        var misissued = Path.Combine(directory, "misissued");
        Directory.CreateDirectory(misissued);
        using (var ca = CertificateAuthority.Load(Layout.CaCertificate, Layout.CaKey))
        {
            Expired = Write(misissued, "expired", ca.Issue(AgentName(0), notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1)));
        }
        using (var foreign = CertificateAuthority.Create("Foreign CA"))
        {
            ForeignCaCertificate = Path.Combine(misissued, "foreign-ca.crt");
            File.WriteAllText(ForeignCaCertificate, foreign.Root.CertificatePem);
            Untrusted = Write(misissued, "untrusted", foreign.Issue(AgentName(0)));
            UntrustedMaster = Write(misissued, "untrusted-master", foreign.Issue(PkiLayout.MasterName));
        }
    }

    public const int AgentCount = 10;

    public static TestPki Instance => Shared.Value;

    public PkiLayout Layout { get; }

    /// <summary>A certificate for agent-00000, issued by the right CA, but expired yesterday.</summary>
    public (string Certificate, string Key) Expired { get; }

    /// <summary>A certificate for agent-00000 from a CA nobody trusts.</summary>
    public (string Certificate, string Key) Untrusted { get; }

    /// <summary>A "master" certificate from a CA nobody trusts (for inbound refusal tests).</summary>
    public (string Certificate, string Key) UntrustedMaster { get; }

    public string ForeignCaCertificate { get; }

    public static string AgentName(int index) => PkiLayout.AgentName(index);

    public (string Certificate, string Key) Agent(int index)
    {
        var name = AgentName(index);
        return (Layout.AgentCertificate(name), Layout.AgentKey(name));
    }

    public (string Certificate, string Key) Master => (Layout.MasterCertificate, Layout.MasterKey);

    private static (string, string) Write(string directory, string stem, IssuedCertificate issued)
    {
        var crt = Path.Combine(directory, stem + ".crt");
        var key = Path.Combine(directory, stem + ".key");
        issued.WriteTo(crt, key);
        return (crt, key);
    }
}
