using System.Security.Cryptography;
using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls;

public sealed class TlsConnectionSpec
{
    private const string Agent3 = "agent-00003";

    [Theory]
    [InlineData("1.2", "TLSv1.2")]
    [InlineData("1.3", "TLSv1.3")]
    public void Mutual_handshake_completes_and_names_both_peers(string tls, string protocol)
    {
        var version = Version(tls);
        using var master = Master(version);
        using var agent = Agent(3, version);
        using var pair = TlsPair.Connect(master, agent, Agent3);

        Assert.Equal(TlsState.Established, pair.Client.State);
        Assert.Equal(TlsState.Established, pair.Server.State);
        Assert.True(pair.ClientProgress.HasFlag(TlsProgress.HandshakeCompleted));
        Assert.True(pair.ServerProgress.HasFlag(TlsProgress.HandshakeCompleted));
        Assert.Equal(protocol, pair.Client.Handshake!.Protocol);
        Assert.Equal(protocol, pair.Server.Handshake!.Protocol);
        Assert.Equal(pair.Client.Handshake.Cipher, pair.Server.Handshake.Cipher);
        Assert.False(pair.Client.Handshake.Resumed);
        Assert.True(pair.Client.Handshake.EphemeralKeyExchange);
        Assert.True(pair.Server.Handshake.EphemeralKeyExchange);
        Assert.Equal(Agent3, pair.Client.Handshake.PeerIdentity);
        Assert.Equal("master", pair.Server.Handshake.PeerIdentity);
        Assert.Null(pair.Client.Failure);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Data_flows_both_ways_including_a_megabyte(string tls)
    {
        var version = Version(tls);
        using var master = Master(version);
        using var agent = Agent(3, version);
        using var pair = TlsPair.Connect(master, agent, Agent3);
        var megabyte = RandomNumberGenerator.GetBytes(1024 * 1024);

        pair.ClientSends("ping"u8);
        pair.ServerSends(megabyte);

        Assert.Equal("ping"u8.ToArray(), pair.ServerPlaintext.WrittenSpan.ToArray());
        Assert.Equal(megabyte, pair.ClientPlaintext.WrittenSpan.ToArray());
        Assert.Equal(TlsState.Established, pair.Client.State);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Buffers_grown_by_a_burst_are_given_back_once_idle_and_the_link_keeps_working(string tls)
    {
        var version = Version(tls);
        using var master = Master(version);
        using var agent = Agent(3, version);
        using var pair = TlsPair.Connect(master, agent, Agent3);
        var burst = RandomNumberGenerator.GetBytes(256 * 1024);

        pair.ServerSends(burst); // arrives at the client as one 256 KiB write into its input BIO
        pair.ClientSends(burst);

        Assert.True(pair.Client.BioSwaps > 0, "the client's grown BIOs were never replaced");
        Assert.InRange(pair.Client.InputCapacity, 0, TlsConnection.IdleBioCapacity);
        Assert.InRange(pair.Client.OutputCapacity, 0, TlsConnection.IdleBioCapacity);
        Assert.InRange(pair.Server.InputCapacity, 0, TlsConnection.IdleBioCapacity);

        pair.ClientPlaintext.ResetWrittenCount();
        pair.ServerPlaintext.ResetWrittenCount();
        pair.ClientSends("after"u8);
        pair.ServerSends("swap"u8);
        Assert.Equal("after"u8.ToArray(), pair.ServerPlaintext.WrittenSpan.ToArray());
        Assert.Equal("swap"u8.ToArray(), pair.ClientPlaintext.WrittenSpan.ToArray());
        Assert.Equal(TlsState.Established, pair.Client.State);
        Assert.Equal(TlsState.Established, pair.Server.State);
    }

    [Fact]
    public void Close_notify_reaches_the_peer_as_peer_closed()
    {
        using var master = Master(TlsVersion.Tls13);
        using var agent = Agent(3, TlsVersion.Tls13);
        using var pair = TlsPair.Connect(master, agent, Agent3);

        pair.CloseFromClient();

        Assert.True(pair.ServerProgress.HasFlag(TlsProgress.PeerClosed));
        Assert.True(pair.ClientProgress.HasFlag(TlsProgress.PeerClosed));
        Assert.Equal(TlsState.Closed, pair.Server.State);
        Assert.Equal(TlsState.Closed, pair.Client.State);
        Assert.Null(pair.Server.Failure);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Records_cut_at_arbitrary_byte_boundaries_still_work(string tls)
    {
        var version = Version(tls);
        using var master = Master(version);
        using var agent = Agent(3, version);
        using var pair = TlsPair.Create(master, agent, Agent3);
        pair.ChunkSize = 7;
        pair.Start();
        pair.Pump();
        var payload = RandomNumberGenerator.GetBytes(40_000);

        pair.ChunkSize = 1_001;
        pair.ClientSends(payload);

        Assert.Equal(TlsState.Established, pair.Client.State);
        Assert.Equal(TlsState.Established, pair.Server.State);
        Assert.Equal(payload, pair.ServerPlaintext.WrittenSpan.ToArray());
    }

    [Fact]
    public void Half_a_flight_leaves_the_handshake_waiting_for_more()
    {
        using var master = Master(TlsVersion.Tls13);
        using var agent = Agent(3, TlsVersion.Tls13);
        using var pair = TlsPair.Create(master, agent, Agent3);
        pair.Start();
        var clientHello = pair.TakeBytesForServer();

        var progress = pair.DeliverToServer(clientHello.AsSpan(0, clientHello.Length / 2));

        Assert.Equal(TlsProgress.None, progress);
        Assert.Equal(TlsState.Handshaking, pair.Server.State);
        Assert.True(pair.Server.WantsMoreInput);
        Assert.Empty(pair.TakeBytesForClient());

        pair.DeliverToServer(clientHello.AsSpan(clientHello.Length / 2));
        pair.Pump();
        Assert.Equal(TlsState.Established, pair.Client.State);
        Assert.Equal(TlsState.Established, pair.Server.State);
    }

    [Fact]
    public void Sending_before_the_handshake_completes_is_refused()
    {
        using var master = Master(TlsVersion.Tls13);
        using var connection = TlsConnection.CreateClient(master, Agent3, resume: null);

        var error = Assert.Throws<InvalidOperationException>(() => connection.Send("x"u8, new System.Buffers.ArrayBufferWriter<byte>()));
        Assert.Contains("Handshaking", error.Message);
    }
}
