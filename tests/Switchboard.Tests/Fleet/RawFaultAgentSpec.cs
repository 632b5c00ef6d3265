using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.Fleet;

/// <summary>Each raw-socket fault against a plain client socket, and the agent's bounds.</summary>
public sealed class RawFaultAgentSpec
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Stall_accepts_and_never_answers_and_lets_go_when_the_client_closes()
    {
        await using var agent = Start(FaultMode.Stall);
        using (var client = await Connect(agent))
        {
            await client.SendAsync(new byte[200], SocketFlags.None);
            Assert.Equal(0, await ReceiveWithin(client, TimeSpan.FromMilliseconds(300)));
            Assert.Equal(1, agent.OpenConnections);
        }

        await Eventually(() => agent.OpenConnections == 0, "the agent lets go of a closed connection");
        Assert.Equal(0, agent.InternalErrors);
    }

    [Fact]
    public async Task Garbage_answers_with_bytes_that_are_no_TLS_record()
    {
        await using var agent = Start(FaultMode.Garbage);
        using var client = await Connect(agent);
        var buffer = new byte[1024];
        var received = await client.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Wait);
        Assert.True(received > 2);
        Assert.DoesNotContain(buffer[0], new byte[] { 20, 21, 22, 23, 24 });
        Assert.NotEqual(3, buffer[1]);
    }

    [Fact]
    public async Task Reset_answers_the_first_flight_with_a_reset()
    {
        await using var agent = Start(FaultMode.Reset);
        using var client = await Connect(agent);
        await client.SendAsync(new byte[] { 22, 3, 1 }, SocketFlags.None);
        var error = await Assert.ThrowsAsync<SocketException>(async () => await client.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Wait));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    [Fact]
    public async Task Stall_mid_sends_a_real_server_flight_that_never_completes_the_handshake()
    {
        await using var server = new RealServer();
        await using var agent = Start(FaultMode.StallMid, server.Address);
        using var client = await Connect(agent);
        using var tls = TlsConnection.CreateClient(ClientContext(), TestPki.AgentName(0), resume: null);
        var (toSend, plaintext) = (new ArrayBufferWriter<byte>(), new ArrayBufferWriter<byte>());
        tls.Start(toSend);
        await client.SendAsync(toSend.WrittenMemory, SocketFlags.None);
        var buffer = new byte[16 * 1024];
        var total = 0;
        // However loaded the machine, the flight comes within the wait; after it, 300 ms of silence.
        var quiet = Wait;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < 2 * Wait)
        {
            var received = await ReceiveWithin(client, quiet, buffer);
            if (received == 0)
            {
                break;
            }

            toSend.ResetWrittenCount();
            Assert.Equal(TlsProgress.None, tls.Receive(buffer.AsSpan(0, received), toSend, plaintext) & ~TlsProgress.NewSessions);
            total += received;
            quiet = TimeSpan.FromMilliseconds(300);
        }

        Assert.True(total > 100, $"only {total} bytes of server flight");
        Assert.Equal(TlsState.Handshaking, tls.State);
    }

    [Fact]
    public async Task Slow_trickles_its_server_flight_one_byte_per_200_ms()
    {
        await using var server = new RealServer();
        await using var agent = Start(FaultMode.Slow, server.Address);
        using var client = await Connect(agent);
        using var tls = TlsConnection.CreateClient(ClientContext(), TestPki.AgentName(0), resume: null);
        var toSend = new ArrayBufferWriter<byte>();
        tls.Start(toSend);
        var clock = Stopwatch.StartNew();
        await client.SendAsync(toSend.WrittenMemory, SocketFlags.None);
        var buffer = new byte[1024];
        var total = 0;
        while (total < 3)
        {
            var received = await ReceiveWithin(client, Wait, buffer);
            Assert.True(received > 0, $"the flight stopped after {total} bytes");
            total += received;
        }

        // Only lower bounds: a loaded machine can delay bytes but never deliver them early, so the
        // third byte cannot be here before two intervals have passed since the ClientHello left;
        // a flight sent whole would be here within milliseconds.
        Assert.True(clock.Elapsed >= 2 * FaultSpec.SlowByteInterval - TimeSpan.FromMilliseconds(20), $"3 bytes after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Beyond_the_connection_cap_new_connections_are_reset_and_dropping_frees_them()
    {
        await using var agent = Start(FaultMode.Stall);
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < RawFaultAgent.MaxConnections; i++)
            {
                clients.Add(await Connect(agent));
            }

            await Eventually(() => agent.OpenConnections == RawFaultAgent.MaxConnections, "every connection within the cap is held");
            await Assert.ThrowsAnyAsync<SocketException>(async () =>
            {
                using var extra = await Connect(agent); // the reset may already overtake the connect
                if (await extra.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Wait) == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionReset); // closed is refused too
                }
            });

            agent.DropConnections();
            await Eventually(() => agent.OpenConnections == 0, "dropping closes every held connection");
            using var after = await Connect(agent);
            await Eventually(() => agent.OpenConnections == 1, "the agent keeps accepting after a drop");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Disposing_closes_open_connections_and_the_listening_socket()
    {
        var agent = Start(FaultMode.Stall);
        using var client = await Connect(agent);
        await Eventually(() => agent.OpenConnections == 1, "the connection is held");
        await agent.DisposeAsync();
        Assert.True(await ClosedWithin(client, Wait), "the agent left the connection hanging after it was disposed");
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await late.ConnectAsync(agent.Address));
    }

    private static RawFaultAgent Start(FaultMode mode, IPEndPoint? server = null) =>
        RawFaultAgent.Start(new IPEndPoint(IPAddress.Loopback, 0), mode, server, backlog: 128);

    /// <summary>A real TLS server with agent 0's identity, for the faults that misbehave in front of one.</summary>
    private sealed class RealServer : IAsyncDisposable
    {
        private readonly ActorSystem _system = ActorSystem.Create("real-server", Support.Settings.Config("akka.loglevel = WARNING"));

        public RealServer()
        {
            var settings = Support.Settings.Load();
            var io = IoPool.Start(_system, settings with { Connection = settings.Connection with { Acknowledgements = false, HandshakeTimeout = TimeSpan.FromMinutes(2) } });
            var (certificate, key) = TestPki.Instance.Agent(0);
            var tls = new TlsSettings(TestPki.Instance.Layout.CaCertificate, certificate, key, TlsVersion.Tls12, TlsVersion.Tls13, false);
            Address = io.Listen(new IPEndPoint(IPAddress.Loopback, 0), tls, new AgentHandler(silent: false)).Address;
        }

        public IPEndPoint Address { get; }

        public async ValueTask DisposeAsync() => await _system.Terminate();
    }

    private static TlsContext ClientContext() =>
        TlsContext.CreateClient(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, TestPki.Instance.Master.Certificate, TestPki.Instance.Master.Key));

    private static async Task<Socket> Connect(RawFaultAgent agent)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(agent.Address);
        return socket;
    }

    /// <summary>Bytes received within the time (0 if none came, or the peer closed).</summary>
    private static async Task<int> ReceiveWithin(Socket socket, TimeSpan within, byte[]? buffer = null)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await socket.ReceiveAsync(buffer ?? new byte[1024], SocketFlags.None, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Whether the peer ended the connection within the time: an orderly close or a reset (a socket closed with
    /// unread bytes resets), as opposed to nothing at all.
    /// </summary>
    private static async Task<bool> ClosedWithin(Socket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await socket.ReceiveAsync(new byte[1024], SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static Task Eventually(Func<bool> condition, string what) =>
        Support.Eventually.AssertAsync(() => Assert.True(condition(), what), Wait);
}
