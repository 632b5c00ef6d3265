using System.Net;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Supervision;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Stress;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.IO;

/// <summary>
/// How the listener shares its inbound slots: an address that stalls its handshakes cannot hold them all,
/// and the listener's request for a slot does not wait behind a queue of outbound reconnects.
/// </summary>
public sealed class ListenerTurnsSpec : TestKit
{
    // A gate of 8 with an inbound share of a half: 4 inbound handshakes at once, 3 of them for one address.
    private const int GateLimit = 8;
    private const int Stalled = 10;
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.3");
    private static readonly TimeSpan NeighbourPatience = TimeSpan.FromSeconds(5);

    private readonly SwitchboardSettings _settings;
    private readonly IoPool _io;

    public ListenerTurnsSpec() : base(Support.Settings.Config("akka.loglevel = WARNING"))
    {
        // The stalled handshakes outlive the neighbour's patience: only a slot kept free lets it in.
        _settings = Support.Settings.Load($$"""
            switchboard.connection.handshake-timeout = 30s
            switchboard.admission { limit = fixed, max-concurrent-handshakes = {{GateLimit}}, inbound-share = 0.5 }
            """);
        _io = IoPool.Start(Sys, _settings, "turns-io");
    }

    [Fact]
    public async Task An_address_stalling_its_handshakes_leaves_a_slot_for_another_address()
    {
        using var gate = AdmissionGate.Start(_settings, Sys.Scheduler, Sys.Log);
        var listener = Listen(gate);
        using var stalled = await StallAsync(listener.Address, Stalled);
        await AwaitAssertAsync(async () => Assert.Equal(Stalled, (await listener.StatusAsync()).PendingHandshakes), TimeSpan.FromSeconds(5));
        // Three of the ten hold a slot each (the gate counts them); the rest wait their address's turn.
        Assert.Equal(3, gate.Active);

        using var neighbour = await ConnectNeighbourAsync(listener.Address);
        Assert.True(neighbour.Handshake is not null, $"the neighbour was shut out by one address's stalled handshakes: {neighbour.Failure}");
        await AwaitAssertAsync(async () => Assert.Equal(Stalled, (await listener.StatusAsync()).PendingHandshakes), TimeSpan.FromSeconds(5));
        Assert.Equal(3, gate.Active);
    }

    [Fact]
    public async Task An_inbound_connection_is_granted_the_next_free_slot_ahead_of_queued_outbound_reconnects()
    {
        using var gate = AdmissionGate.Start(_settings, Sys.Scheduler, Sys.Log);
        var outbound = CreateTestProbe();
        var held = new List<long>();
        for (var i = 0; i < GateLimit; i++)
        {
            Assert.True(gate.TryEnter(outbound.Ref, out var ticket));
            held.Add(ticket);
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.False(gate.TryEnter(outbound.Ref, out _)); // a reconnect storm, queued
        }

        var listener = Listen(gate);
        var connecting = ConnectNeighbourAsync(listener.Address);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await listener.StatusAsync()).PendingHandshakes), TimeSpan.FromSeconds(5));
        Assert.Equal(101, gate.Queued);

        // One slot frees, and no other will: queued behind the storm, the neighbour would time out.
        gate.Release(held[0], AdmissionGate.Outcome.Completed);
        using var neighbour = await connecting;
        Assert.True(neighbour.Handshake is not null, $"the inbound connection waited behind the outbound queue: {neighbour.Failure}");
    }

    private InboundListener Listen(AdmissionGate gate)
    {
        var context = _io.ServerContext(_settings.Tls, serverSessions: null);
        return _io.Listen(new IPEndPoint(IPAddress.Loopback, 0), context, new ForwardingHandler(CreateTestProbe().Ref), $"turns-{Guid.NewGuid():N}", gate);
    }

    private static Task<TlsClientPeer> ConnectNeighbourAsync(IPEndPoint listener)
    {
        var (crt, key) = TestPki.Instance.Agent(1);
        using var context = TlsContext.CreateClient(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, crt, key));
        return TlsClientPeer.ConnectAsync(listener, context, PkiLayout.MasterName, NeighbourPatience, Neighbour);
    }

    /// <summary>Connections from the attacker's address that send a ClientHello and then nothing.</summary>
    private static async Task<Sockets> StallAsync(IPEndPoint listener, int count)
    {
        var (crt, key) = TestPki.Instance.Agent(2);
        using var context = TlsContext.CreateClient(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, crt, key));
        var hello = TlsClientPeer.ClientHello(context, PkiLayout.MasterName);
        var sockets = new Sockets();
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            socket.Bind(new IPEndPoint(Attacker, 0));
            await socket.ConnectAsync(listener).WaitAsync(TimeSpan.FromSeconds(5));
            await socket.SendAsync(hello, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5));
        }

        return sockets;
    }

    private sealed class Sockets : List<Socket>, IDisposable
    {
        public void Dispose() => ForEach(s => s.Dispose());
    }
}
