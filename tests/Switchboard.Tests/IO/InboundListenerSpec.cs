using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Supervision;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Stress;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.IO;

/// <summary>The runtime's own listener: agents dial in, frames flow both ways, TLS 1.2 clients resume by session ID, a reload renews its certificate.</summary>
public sealed class InboundListenerSpec : TestKit
{
    private static readonly TestPki Pki = TestPki.Instance;

    public InboundListenerSpec() : base(Support.Settings.Config("""
        akka.loglevel = WARNING
        switchboard.listener { host = "127.0.0.1", port = 0 }
        """))
    {
    }

    private (SwitchboardRuntime Master, IPEndPoint Address) StartMaster()
    {
        var master = SwitchboardRuntime.Start(Sys, SettingsLoader.Load(Sys.Settings.Config));
        return (master, master.Listener!.Address);
    }

    [Fact]
    public async Task An_agent_dialing_in_is_known_by_its_certificate_identity_and_frames_flow_both_ways()
    {
        var (master, address) = StartMaster();
        master.Supervisor.Tell(new Subscribe(TestActor));

        // The "agent" is another Switchboard, presenting agent-00004's certificate, with the master as its endpoint.
        var (crt, key) = Pki.Agent(4);
        var agentConfig = ConfigurationFactory.ParseString($$"""
            switchboard.tls { certificate = "{{crt}}", private-key = "{{key}}" }
            switchboard.endpoints = [{ name = "master", host = "127.0.0.1", port = {{address.Port}} }]
            akka.loglevel = WARNING
            """).WithFallback(Support.Settings.Config());
        var agentSystem = ActorSystem.Create("agent", agentConfig);
        try
        {
            var agent = SwitchboardRuntime.Start(agentSystem, SettingsLoader.Load(agentConfig));
            var agentInbox = CreateTestProbe(agentSystem);
            agent.Supervisor.Tell(new Subscribe(agentInbox.Ref));
            await AwaitAssertAsync(async () =>
                Assert.Equal(1, (await agent.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3))).Connected), TimeSpan.FromSeconds(10));

            agent.Supervisor.Tell(new Send("master", Encoding.UTF8.GetBytes("check result")));
            var received = ExpectMsg<Received>(TimeSpan.FromSeconds(5));
            Assert.Equal("agent-00004", received.Endpoint);
            Assert.Equal("check result", Encoding.UTF8.GetString(received.Payload));

            master.Supervisor.Tell(new Send("agent-00004", Encoding.UTF8.GetBytes("run check")), TestActor);
            var back = agentInbox.ExpectMsg<Received>(TimeSpan.FromSeconds(5));
            Assert.Equal(("master", "run check"), (back.Endpoint, Encoding.UTF8.GetString(back.Payload)));
            Assert.Equal(1, (await master.Supervisor.Ask<StatusReport>(GetStatus.Instance)).InboundLinks);
        }
        finally
        {
            await agentSystem.Terminate();
        }
    }

    [Fact]
    public async Task A_TLS_1_2_client_without_tickets_resumes_by_session_ID_through_the_server_cache()
    {
        var (_, address) = StartMaster();
        var file = Path.Combine(Path.GetTempPath(), $"noticket-{Guid.NewGuid():N}.sess");
        var (crt, key) = Pki.Agent(5);
        string[] Client(params string[] more) =>
        [
            "-connect", $"127.0.0.1:{address.Port}", "-servername", "master", "-cert", crt, "-key", key,
            "-CAfile", Pki.Layout.CaCertificate, "-verify_return_error", "-tls1_2", "-no_ticket", .. more,
        ];
        try
        {
            var first = await ProcessRun.OpenSslClientAsync(Client("-sess_out", file), ProcessRun.HandshakeDone);
            var second = await ProcessRun.OpenSslClientAsync(Client("-sess_in", file), ProcessRun.HandshakeDone);
            Assert.Contains("New, TLSv1.2", first.Stdout);
            Assert.Contains("Reused, TLSv1.2", second.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_client_certificate_from_an_unknown_CA_is_refused()
    {
        var (_, address) = StartMaster();
        var (crt, key) = Pki.Untrusted;
        var run = await ProcessRun.OpenSslClientAsync(
        [
            "-connect", $"127.0.0.1:{address.Port}", "-servername", "master", "-cert", crt, "-key", key,
            "-CAfile", Pki.Layout.CaCertificate, "-tls1_2",
        ], output => output.Contains("alert", StringComparison.Ordinal));
        Assert.Contains("alert unknown ca", run.All);
        Assert.Equal(0, (await Sys.ActorSelection("/user/switchboard").Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3))).InboundLinks);
    }

    [Fact]
    public async Task A_reload_gives_new_inbound_handshakes_the_new_certificate_while_a_live_inbound_link_keeps_its_own()
    {
        var (master, address) = StartMaster();
        master.Supervisor.Tell(new Subscribe(TestActor));

        // A live inbound link, made under the first certificate.
        var (agentCrt, agentKey) = Pki.Agent(6);
        var clientContext = TlsContext.CreateClient(new TlsContextOptions(Pki.Layout.CaCertificate, agentCrt, agentKey));
        using var live = await TlsClientPeer.ConnectAsync(address, clientContext, "master", TimeSpan.FromSeconds(5));
        Assert.NotNull(live.Handshake);

        // Renew the master's certificate: same CA and name, a new key.
        var renewed = Directory.CreateTempSubdirectory("renewed-").FullName;
        try
        {
            using (var ca = CertificateAuthority.Load(Pki.Layout.CaCertificate, Pki.Layout.CaKey))
            {
                ca.Issue("master").WriteTo(Path.Combine(renewed, "master.crt"), Path.Combine(renewed, "master.key"));
            }

            var next = master.Settings with
            {
                Tls = master.Settings.Tls with { Certificate = Path.Combine(renewed, "master.crt"), PrivateKey = Path.Combine(renewed, "master.key") },
            };
            var reload = await master.ReloadAsync(next);
            Assert.Null(reload.TlsProblem);

            // A new handshake presents the renewed certificate (s_client prints the one it received).
            var renewedPem = PemBody(await File.ReadAllTextAsync(Path.Combine(renewed, "master.crt")));
            await AwaitAssertAsync(async () =>
            {
                var run = await ProcessRun.OpenSslClientAsync(
                [
                    "-connect", $"127.0.0.1:{address.Port}", "-servername", "master", "-cert", agentCrt, "-key", agentKey,
                    "-CAfile", Pki.Layout.CaCertificate, "-verify_return_error",
                ], ProcessRun.HandshakeDone);
                Assert.Contains(renewedPem, PemBody(run.Stdout));
            }, TimeSpan.FromSeconds(15));

            // The live link, made under the old certificate, still carries frames both ways.
            await live.SendAsync(TlsClientPeer.Frame(Encoding.UTF8.GetBytes("still here")));
            var received = ExpectMsg<Received>(TimeSpan.FromSeconds(5));
            Assert.Equal(("agent-00006", "still here"), (received.Endpoint, Encoding.UTF8.GetString(received.Payload)));
        }
        finally
        {
            Directory.Delete(renewed, recursive: true);
        }
    }

    /// <summary>The base64 lines of PEM text, joined, so certificates can be compared whatever surrounds them.</summary>
    private static string PemBody(string text) =>
        string.Concat(text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal) && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')));
}
