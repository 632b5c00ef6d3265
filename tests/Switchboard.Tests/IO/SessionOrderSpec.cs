using Akka.Actor;
using System.Net;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.Tests.Stress;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.IO;

/// <summary>
/// A TLS 1.2 session comes with the handshake's end. An owner that is also the session sink (the probe) must
/// hold it before it hears the link is up, or the next connection it opens on that news starts without it.
/// </summary>
public sealed class SessionOrderSpec : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly SwitchboardSettings _settings;

    public SessionOrderSpec() : base(Support.Settings.Config("akka.loglevel = WARNING"))
    {
        _settings = SettingsLoader.Load(Sys.Settings.Config);
    }

    [Fact]
    public void A_tls_1_2_session_reaches_an_owner_that_is_its_sink_before_the_link_up()
    {
        var io = IoPool.Start(Sys, _settings, "io-order");
        var (agentCertificate, agentKey) = TestPki.Instance.Agent(1);
        var address = io.Listen(new IPEndPoint(IPAddress.Loopback, 0), _settings.Tls with { Certificate = agentCertificate, PrivateKey = agentKey },
            new ForwardingHandler(CreateTestProbe())).Address;
        var (certificate, key) = TestPki.Instance.Master;
        using var context = TlsContext.CreateClient(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, certificate, key, TlsVersion.Tls12, TlsVersion.Tls12));

        io.Router.Tell(new Io.OpenLink(LinkIds.Next(), TestPki.AgentName(1), address, context, Resume: null, ResumptionKey: "order", Owner: TestActor, SessionSink: TestActor));

        ExpectMsg<Io.TcpConnected>(Timeout);
        var sessions = ExpectMsg<ClientSessionsReceived>(Timeout);
        Assert.Equal("order", sessions.Key);
        Assert.Contains(sessions.Sessions, s => s.IsResumable);
        var up = ExpectMsg<Io.LinkUp>(Timeout);
        Assert.Equal("TLSv1.2", up.Handshake.Protocol);
        foreach (var session in sessions.Sessions)
        {
            session.Dispose();
        }
    }
}
