using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls.Interop;

public sealed class OpenSslInteropSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("1.2", "-tls1_2", "TLSv1.2")]
    [InlineData("1.3", "-tls1_3", "TLSv1.3")]
    public async Task Engine_client_does_mutual_tls_with_openssl_s_server_and_resumes(string tls, string flag, string protocol)
    {
        var agent = Certs.Agent(3);
        await using var server = await OpenSslServer.StartAsync(Certs.Layout.CaCertificate, agent.Certificate, agent.Key, flag, accepts: 2, Timeout);
        using var master = Master(Version(tls));

        using var first = TlsConnection.CreateClient(master, "agent-00003", resume: null);
        var sessions = await SocketPump.ConnectAsync(first, server.Port, Timeout);

        Assert.True(first.Handshake is not null, $"first handshake failed: {first.Failure}\n{server.Output}");
        Assert.Equal(protocol, first.Handshake.Protocol);
        Assert.False(first.Handshake.Resumed);
        Assert.Equal("agent-00003", first.Handshake.PeerIdentity);
        Assert.NotEmpty(sessions);

        using var second = TlsConnection.CreateClient(master, "agent-00003", sessions[^1]);
        await SocketPump.ConnectAsync(second, server.Port, Timeout);

        Assert.True(second.Handshake is not null, $"second handshake failed: {second.Failure}\n{server.Output}");
        Assert.True(second.Handshake.Resumed, server.Output);
        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }

    [Fact]
    public async Task Openssl_s_server_refusing_our_certificate_is_a_named_peer_alert()
    {
        var agent = Certs.Agent(3);
        await using var server = await OpenSslServer.StartAsync(Certs.ForeignCaCertificate, agent.Certificate, agent.Key, "-tls1_3", accepts: 1, Timeout);
        using var master = Master(TlsVersion.Tls13);

        using var connection = TlsConnection.CreateClient(master, "agent-00003", resume: null);
        await SocketPump.ConnectAsync(connection, server.Port, Timeout);

        Assert.True(connection.State == TlsState.Failed, $"{connection} {connection.Handshake}\n{server.Output}");
        Assert.Equal(new TlsFailure(TlsFailureKind.PeerAlert, "tlsv1 alert unknown ca"), connection.Failure);
    }
}
