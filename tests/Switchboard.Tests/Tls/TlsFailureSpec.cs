using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls;

public sealed class TlsFailureSpec
{
    private const string Agent3 = "agent-00003";

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Client_refuses_a_server_its_ca_did_not_issue(string tls)
    {
        var version = Version(tls);
        using var master = TlsContext.CreateClient(MasterOptions(version, version) with { CaPath = Certs.ForeignCaCertificate });
        using var agent = Agent(3, version);
        using var pair = TlsPair.Connect(master, agent, Agent3);

        Assert.Equal(TlsState.Failed, pair.Client.State);
        Assert.True(pair.ClientProgress.HasFlag(TlsProgress.Failed));
        Assert.Equal(new TlsFailure(TlsFailureKind.Verify, "certificate verify failed: unable to get local issuer certificate"), pair.Client.Failure);
        // The alert went out with the failure, so the agent learns why.
        Assert.Equal(TlsState.Failed, pair.Server.State);
        Assert.Equal(new TlsFailure(TlsFailureKind.PeerAlert, "tlsv1 alert unknown ca"), pair.Server.Failure);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Server_refuses_a_client_its_ca_did_not_issue(string tls)
    {
        var version = Version(tls);
        using var master = TlsContext.CreateClient(MasterOptions(version, version) with
        {
            CertificatePath = Certs.UntrustedMaster.Certificate,
            PrivateKeyPath = Certs.UntrustedMaster.Key,
        });
        using var agent = Agent(3, version);
        using var pair = TlsPair.Connect(master, agent, Agent3);

        Assert.Equal(new TlsFailure(TlsFailureKind.Verify, "certificate verify failed: unable to get local issuer certificate"), pair.Server.Failure);
        Assert.Equal(TlsState.Failed, pair.Client.State);
        Assert.Equal(new TlsFailure(TlsFailureKind.PeerAlert, "tlsv1 alert unknown ca"), pair.Client.Failure);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Peer_with_another_name_fails_identity_with_both_names(string tls)
    {
        var version = Version(tls);
        using var master = Master(version);
        using var agent7 = Agent(7, version);
        using var pair = TlsPair.Connect(master, agent7, Agent3);

        Assert.Equal(TlsState.Failed, pair.Client.State);
        Assert.Equal(new TlsFailure(TlsFailureKind.Identity, "peer identity 'agent-00007' does not match endpoint 'agent-00003'"), pair.Client.Failure);
        Assert.NotEqual(TlsState.Established, pair.Server.State);
    }

    [Fact]
    public void Expired_certificate_is_refused_with_the_reason()
    {
        using var master = Master(TlsVersion.Tls13);
        using var expired = TlsContext.CreateServer(new TlsContextOptions(Certs.Layout.CaCertificate, Certs.Expired.Certificate, Certs.Expired.Key));
        using var pair = TlsPair.Connect(master, expired, "agent-00000");

        Assert.Equal(new TlsFailure(TlsFailureKind.Verify, "certificate verify failed: certificate has expired"), pair.Client.Failure);
        Assert.Equal(TlsFailureKind.PeerAlert, pair.Server.Failure?.Kind);
        Assert.Contains("certificate expired", pair.Server.Failure!.Reason);
    }

    [Fact]
    public void Garbage_to_a_server_fails_with_a_named_reason()
    {
        using var agent = Agent(3, TlsVersion.Tls13);
        using var server = TlsConnection.CreateServer(agent);
        var toSend = new System.Buffers.ArrayBufferWriter<byte>();

        var progress = server.Receive("GARBAGE\r\nnot a client hello at all\r\n"u8, toSend, new System.Buffers.ArrayBufferWriter<byte>());

        Assert.Equal(TlsProgress.Failed, progress);
        Assert.Equal(TlsState.Failed, server.State);
        Assert.Equal(new TlsFailure(TlsFailureKind.Protocol, "wrong version number"), server.Failure);
    }

    [Fact]
    public void Garbage_to_a_client_fails_with_a_named_reason()
    {
        using var master = Master(TlsVersion.Tls13);
        using var client = TlsConnection.CreateClient(master, Agent3, resume: null);
        var toSend = new System.Buffers.ArrayBufferWriter<byte>();
        client.Start(toSend);

        var progress = client.Receive("HTTP/1.1 400 Bad Request\r\n\r\n"u8, toSend, new System.Buffers.ArrayBufferWriter<byte>());

        Assert.Equal(TlsProgress.Failed, progress);
        Assert.Equal(new TlsFailure(TlsFailureKind.Protocol, "wrong version number"), client.Failure);
    }

    [Fact]
    public void Failed_connection_ignores_further_input()
    {
        using var agent = Agent(3, TlsVersion.Tls13);
        using var server = TlsConnection.CreateServer(agent);
        var sink = new System.Buffers.ArrayBufferWriter<byte>();
        server.Receive("GARBAGE\r\n\r\n"u8, sink, sink);

        Assert.Equal(TlsProgress.None, server.Receive("more"u8, sink, sink));
        Assert.Equal(TlsState.Failed, server.State);
    }
}
