using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls;

/// <summary>The session file's form of a session: no peer certificate, the endpoint's name kept as SNI host name.</summary>
public sealed class SessionWithoutPeerSpec
{
    private const string Agent3 = "agent-00003";

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void A_session_restored_without_its_certificate_resumes_as_the_endpoint_it_was_made_for(string tls)
    {
        var version = tls == "1.2" ? TlsVersion.Tls12 : TlsVersion.Tls13;
        using var master = Master(version);
        using var agent = Agent(3, version);
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        var original = first.ClientSessions[^1];
        Assert.True(original.HasPeerCertificate);
        Assert.Equal(Agent3, original.Hostname);

        var full = original.Export();
        var stripped = original.ExportWithoutPeer();
        using var restored = TlsSession.Import(stripped);

        Assert.NotNull(restored);
        Assert.True(stripped.Length < full.Length - 200, $"{stripped.Length} of {full.Length} bytes: the certificate is still in");
        Assert.False(restored.HasPeerCertificate);
        Assert.Equal(Agent3, restored.Hostname);
        Assert.Equal(original.Protocol, restored.Protocol);
        Assert.Equal(original.CreatedUtc, restored.CreatedUtc);
        Assert.True(restored.IsResumable);

        using var second = TlsPair.Connect(master, agent, Agent3, restored);
        Assert.Equal(TlsState.Established, second.Client.State);
        Assert.True(second.Client.Handshake!.Resumed);
        Assert.Equal(Agent3, second.Client.Handshake.PeerIdentity);
        Assert.Equal("master", second.Server.Handshake!.PeerIdentity);

        // What the resumed link hands back to the cache descends from it, name and all.
        second.CloseFromClient();
        var renewed = version == TlsVersion.Tls13 ? Assert.Single(second.ClientSessions) : second.ClientSessions.LastOrDefault();
        if (renewed is not null)
        {
            Assert.Equal(Agent3, renewed.Hostname);
            using var third = TlsPair.Connect(master, agent, Agent3, renewed);
            Assert.True(third.Client.Handshake!.Resumed);
            Assert.Equal(Agent3, third.Client.Handshake.PeerIdentity);
        }
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x05, 0x01 })]
    [InlineData(new byte[] { 0x04, 0x01, 0x00 })]
    public void Bytes_that_are_no_session_come_back_unchanged(byte[] bytes)
    {
        Assert.Same(bytes, SessionDer.WithoutPeer(bytes));
    }
}
