using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Supervision;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.IO;

/// <summary>The runtime's own listener: agents dial in, frames flow both ways, TLS 1.2 clients resume by session ID.</summary>
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
            var first = await ProcessRun.OpenSslClientAsync(Client("-sess_out", file));
            var second = await ProcessRun.OpenSslClientAsync(Client("-sess_in", file));
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
        ]);
        Assert.Contains("alert unknown ca", run.All);
        Assert.Equal(0, (await Sys.ActorSelection("/user/switchboard").Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3))).InboundLinks);
    }
}
