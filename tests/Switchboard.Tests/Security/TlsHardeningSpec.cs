using System.Runtime.InteropServices;
using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Support;
using Switchboard.Tests.Tls;
using Switchboard.Tls;
using Switchboard.Tls.Native;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Security;

/// <summary>What a peer or a careless file mode must not get past: the TLS side of the attack suite.</summary>
public sealed class TlsHardeningSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-tls-attack-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string ExposedKey()
    {
        var key = Path.Combine(_directory, "master.key");
        File.Copy(TestPki.Instance.Master.Key, key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        return key;
    }

    [Fact]
    public void A_group_readable_private_key_is_refused_by_check_with_its_mode()
    {
        var key = ExposedKey();
        var config = ConfigurationFactory.ParseString($$"""
            switchboard.tls { ca = "{{TestPki.Instance.Layout.CaCertificate}}", certificate = "{{TestPki.Instance.Master.Certificate}}", private-key = "{{key}}" }
            """).WithFallback(SettingsLoader.LoadReference());

        var problem = Assert.Single(SettingsLoader.Read(config).Problems);

        Assert.Equal("switchboard.tls.private-key", problem.Path);
        Assert.Contains("mode 0640", problem.Message);
        Assert.Contains($"chmod 600 {key}", problem.Message);
    }

    [Fact]
    public void A_group_readable_private_key_is_refused_at_start_and_reload_too()
    {
        var options = MasterOptions() with { PrivateKeyPath = ExposedKey() };

        var refused = Assert.Throws<TlsConfigurationException>(() => TlsContext.CreateClient(options));

        Assert.Contains("accessible by group or others (mode 0640)", refused.Message);
    }

    [Fact]
    public void Keys_the_test_pki_writes_are_private_from_the_start()
    {
        var layout = PkiLayout.Generate(Path.Combine(_directory, "pki"), 1);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(layout.MasterKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(layout.CaKey));
    }

    [Fact]
    public void A_key_path_that_is_a_planted_symbolic_link_is_replaced_not_followed()
    {
        var target = Path.Combine(_directory, "elsewhere");
        File.WriteAllText(target, "not to be overwritten");
        var key = Path.Combine(_directory, "planted.key");
        File.CreateSymbolicLink(key, target);

        new IssuedCertificate("x", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "secret").WriteTo(Path.Combine(_directory, "x.crt"), key);

        Assert.Equal("not to be overwritten", File.ReadAllText(target));
        Assert.Null(new FileInfo(key).LinkTarget);
        Assert.Equal("secret", File.ReadAllText(key));
    }

    [Fact]
    public void A_partial_wildcard_names_no_agent()
    {
        using var ca = CertificateAuthority.Load(TestPki.Instance.Layout.CaCertificate, TestPki.Instance.Layout.CaKey);
        var issued = ca.Issue("agent-0*.fleet.test");

        // OpenSSL's default would let "agent-0*" match "agent-00001": a partial wildcard.
        Assert.False(Matches(issued.CertificatePem, "agent-00001.fleet.test"));
        Assert.True(Matches(issued.CertificatePem, "agent-0*.fleet.test"));
    }

    [DllImport("libcrypto.so.3")]
    private static extern IntPtr d2i_X509(IntPtr reuse, ref IntPtr der, long length);

    private static unsafe bool Matches(string pem, string name)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        var der = certificate.RawData;
        fixed (byte* p = der)
        {
            var cursor = (IntPtr)p;
            var x509 = d2i_X509(IntPtr.Zero, ref cursor, der.Length);
            Assert.NotEqual(IntPtr.Zero, x509);
            try
            {
                return PeerIdentity.Matches(x509, name);
            }
            finally
            {
                LibCrypto.X509_free(x509);
            }
        }
    }

    [Fact]
    public void Neither_side_lets_a_peer_renegotiate()
    {
        using var client = Master(TlsVersion.Tls12);
        using var server = Agent(1, TlsVersion.Tls12);

        // Setting no option answers the options in force.
        Assert.NotEqual(0UL, LibSsl.SSL_CTX_set_options(client.Handle, 0) & LibSsl.OpNoRenegotiation);
        Assert.NotEqual(0UL, LibSsl.SSL_CTX_set_options(server.Handle, 0) & LibSsl.OpNoRenegotiation);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void A_handshake_that_fails_its_identity_check_leaves_no_session_behind(string tls)
    {
        var version = Version(tls);
        // Two agents that share ticket keys: agent 3 accepts a ticket agent 1 issued. The session, made for
        // agent-00001 and restored without its certificate, is offered to agent-00003.
        var keys = new TicketKeySet(null, NewTicketKey(), null);
        using var master = Master(version);
        using var agent1 = Agent(1, version, keys: keys);
        using var agent3 = Agent(3, version, keys: keys);
        using var first = TlsPair.Connect(master, agent1, "agent-00001");
        first.CloseFromClient();
        using var madeForAgent1 = TlsSession.Import(first.ClientSessions[^1].ExportWithoutPeer())!;

        using var wrong = TlsPair.Connect(master, agent3, "agent-00003", madeForAgent1);
        wrong.ServerSends("after"u8);
        wrong.Pump();

        AssertRefusedLeavingNoSession(wrong);
    }

    /// <summary>
    /// An agent certificate as sites issue them for agents also reached by address: its host name as DNS SAN and
    /// CN, its address as iPAddress SAN; written beside the test's other files.
    /// </summary>
    private TlsContext AgentAt(string address, TlsVersion version, TicketKeySet? keys = null)
    {
        using var ca = CertificateAuthority.Load(TestPki.Instance.Layout.CaCertificate, TestPki.Instance.Layout.CaKey);
        var certificate = Path.Combine(_directory, $"{address}.crt");
        var key = Path.Combine(_directory, $"{address}.key");
        ca.Issue($"host-{address.Replace('.', '-')}.fleet.test", addresses: [System.Net.IPAddress.Parse(address)]).WriteTo(certificate, key);
        return TlsContext.CreateServer(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, certificate, key, version, version), ticketKeys: keys);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void An_agent_named_by_its_address_is_verified_by_its_address_both_full_and_resumed(string tls)
    {
        // OpenSSL's own check verifies an IP-literal name against iPAddress SANs; ours read DNS SANs only (the CN
        // when there are none), so the two disagreed and an agent with a host name and an address never got a link.
        var version = Version(tls);
        using var master = Master(version);
        using var agent = AgentAt("127.0.0.1", version);

        using var full = TlsPair.Connect(master, agent, "127.0.0.1");
        Assert.Equal(TlsState.Established, full.Client.State);
        Assert.False(full.Client.Handshake!.Resumed);
        Assert.Equal("127.0.0.1", full.Client.Handshake.PeerIdentity);
        full.CloseFromClient();

        using var resumed = TlsPair.Connect(master, agent, "127.0.0.1", full.ClientSessions[^1]);
        Assert.Equal(TlsState.Established, resumed.Client.State);
        Assert.True(resumed.Client.Handshake!.Resumed);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void A_session_made_for_one_address_fails_the_identity_check_at_another_and_leaves_no_session_behind(string tls)
    {
        var version = Version(tls);
        var keys = new TicketKeySet(null, NewTicketKey(), null);
        using var master = Master(version);
        using var first = AgentAt("127.0.0.1", version, keys);
        using var other = AgentAt("127.0.0.3", version, keys);
        using var made = TlsPair.Connect(master, first, "127.0.0.1");
        Assert.Equal(TlsState.Established, made.Client.State);
        made.CloseFromClient();

        // With its certificate (the cache in memory) and without it (the file): neither resumes at another address.
        foreach (var session in new[] { made.ClientSessions[^1], TlsSession.Import(made.ClientSessions[^1].ExportWithoutPeer())! })
        {
            using var wrong = TlsPair.Connect(master, other, "127.0.0.3", session);
            wrong.ServerSends("after"u8);
            wrong.Pump();

            AssertRefusedLeavingNoSession(wrong);
        }
    }

    [Fact]
    public void An_address_certificate_names_its_address_and_no_other_name()
    {
        using var ca = CertificateAuthority.Load(TestPki.Instance.Layout.CaCertificate, TestPki.Instance.Layout.CaKey);
        var byAddress = ca.Issue("127.0.0.1");
        var byBoth = ca.Issue("agent-00001.fleet.test", addresses: [System.Net.IPAddress.Parse("127.0.0.1")]);

        Assert.True(Matches(byAddress.CertificatePem, "127.0.0.1"));
        Assert.False(Matches(byAddress.CertificatePem, "127.0.0.3"));
        Assert.False(Matches(byAddress.CertificatePem, "::1"));
        Assert.True(Matches(byBoth.CertificatePem, "127.0.0.1"));
        Assert.True(Matches(byBoth.CertificatePem, "agent-00001.fleet.test"));
        Assert.False(Matches(byBoth.CertificatePem, "127.0.0.3"));
    }

    private static void AssertRefusedLeavingNoSession(TlsPair wrong)
    {
        Assert.Equal(TlsState.Failed, wrong.Client.State);
        Assert.Equal(TlsFailureKind.Identity, wrong.Client.Failure!.Kind);
        Assert.Empty(wrong.ClientSessions);
        Assert.Empty(wrong.Client.TakeNewSessions());
    }
}
