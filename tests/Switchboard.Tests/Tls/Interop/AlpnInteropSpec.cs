using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls.Interop;

/// <summary>
/// The acknowledged framing is negotiated by ALPN, so peers that know nothing of it keep the plain frames
/// of architecture §7: <c>openssl s_server</c> selects no protocol, and our client carries on without one.
/// </summary>
public sealed class AlpnInteropSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Our_client_offering_acknowledgements_still_connects_to_openssl_s_server_without_alpn_on_plain_frames(string flag)
    {
        var agent = Certs.Agent(3);
        await using var server = await OpenSslServer.StartAsync(Certs.Layout.CaCertificate, agent.Certificate, agent.Key, flag, accepts: 1, Timeout);
        using var master = TlsContext.CreateClient(MasterOptions() with { Acknowledgements = true });

        using var connection = TlsConnection.CreateClient(master, "agent-00003", resume: null);
        await SocketPump.ConnectAsync(connection, server.Port, Timeout);

        Assert.True(connection.Handshake is not null, $"handshake failed: {connection.Failure}\n{server.Output}");
        Assert.Null(connection.Handshake.Alpn);
        Assert.False(connection.Handshake.Acknowledged);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Our_listener_selects_the_acknowledged_framing_when_our_client_offers_it(string tls)
    {
        var version = Version(tls);
        using var master = TlsContext.CreateClient(MasterOptions(version, version) with { Acknowledgements = true });
        using var agent = TlsContext.CreateServer(AgentOptions(1) with { Acknowledgements = true });
        using var pair = TlsPair.Connect(master, agent, "agent-00001");

        Assert.Equal(TlsContext.AcknowledgedProtocol, pair.Client.Handshake?.Alpn);
        Assert.Equal(TlsContext.AcknowledgedProtocol, pair.Server.Handshake?.Alpn);
        Assert.True(pair.Client.Handshake!.Acknowledged);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void A_resumed_handshake_negotiates_the_acknowledged_framing_again(string tls)
    {
        var version = Version(tls);
        using var master = TlsContext.CreateClient(MasterOptions(version, version) with { Acknowledgements = true });
        using var agent = TlsContext.CreateServer(AgentOptions(1, version, version) with { Acknowledgements = true });
        using var first = TlsPair.Connect(master, agent, "agent-00001");
        var session = first.ClientSessions[^1];
        first.CloseFromClient();

        using var resumed = TlsPair.Connect(master, agent, "agent-00001", session);
        Assert.True(resumed.Client.Handshake?.Resumed, $"not resumed: {resumed.Client.Failure}");
        Assert.True(resumed.Client.Handshake!.Acknowledged);
        Assert.True(resumed.Server.Handshake!.Acknowledged);
        foreach (var held in first.ClientSessions)
        {
            held.Dispose();
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Either_side_with_acknowledgements_off_leaves_the_link_on_plain_frames(bool client, bool server)
    {
        using var master = TlsContext.CreateClient(MasterOptions() with { Acknowledgements = client });
        using var agent = TlsContext.CreateServer(AgentOptions(1) with { Acknowledgements = server });
        using var pair = TlsPair.Connect(master, agent, "agent-00001");

        Assert.NotNull(pair.Client.Handshake);
        Assert.NotNull(pair.Server.Handshake);
        Assert.Null(pair.Client.Handshake.Alpn);
        Assert.Null(pair.Server.Handshake.Alpn);
    }

    [Fact]
    public async Task Openssl_s_client_offering_acknowledgements_is_answered_with_them_by_our_listener()
    {
        // The other direction of interop: a foreign client that offers "switchboard/2" gets it selected,
        // one that offers something else gets no ALPN at all rather than a handshake failure.
        using var agent = TlsContext.CreateServer(AgentOptions(1) with { Acknowledgements = true });
        Assert.Equal(TlsContext.AcknowledgedProtocol, await OpenSslClientAlpn(agent, "switchboard/2"));
        Assert.Null(await OpenSslClientAlpn(agent, "h2,http/1.1"));
    }

    private static Task<string?> OpenSslClientAlpn(TlsContext server, string offer) =>
        OpenSslClient.NegotiatedAlpnAsync(server, Certs.Layout.CaCertificate, Certs.Layout.MasterCertificate, Certs.Layout.MasterKey, offer, Timeout);
}
