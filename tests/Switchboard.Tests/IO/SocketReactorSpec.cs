using System.Net;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using Switchboard.IO;

namespace Switchboard.Tests.IO;

/// <summary>
/// The IO actors' epoll reactor on its own, with the test actor in the IO actor's place: what it reports,
/// for which link, and that an edge is reported once, not again until something new happens.
/// </summary>
public sealed class SocketReactorSpec : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private (SocketReactor Reactor, TcpListener Listener) Start()
    {
        var reactor = SocketReactor.Start(TestActor, "reactor-spec") ?? throw new InvalidOperationException("epoll unavailable");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return (reactor, listener);
    }

    private IoActor.SocketEvents ExpectEventFor(long linkId, uint mask)
    {
        var events = ExpectMsg<IoActor.SocketEvents>(Timeout);
        var i = Array.IndexOf(events.Links, linkId, 0, events.Count);
        Assert.True(i >= 0, $"no event for link {linkId}");
        Assert.True((events.Masks[i] & mask) != 0, $"mask {events.Masks[i]:x} lacks {mask:x}");
        return events;
    }

    [Fact]
    public async Task A_connect_in_progress_is_reported_writable_and_completes_without_error()
    {
        var (reactor, listener) = Start();
        using var _ = reactor;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };

        var started = SocketReactor.BeginConnect(socket, (IPEndPoint)listener.LocalEndpoint);
        Assert.Contains(started, new[] { SocketError.Success, SocketError.WouldBlock });
        Assert.Equal(SocketError.Success, reactor.Register(socket, 41));

        ExpectEventFor(41, SocketReactor.Out);
        Assert.Equal(SocketError.Success, SocketReactor.ConnectResult(socket));
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(Timeout);
        listener.Stop();
    }

    [Fact]
    public void A_refused_connect_is_named_as_refused()
    {
        var (reactor, listener) = Start();
        using var _ = reactor;
        var address = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop(); // nothing listens there any more
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };

        var started = SocketReactor.BeginConnect(socket, address);
        if (started == SocketError.WouldBlock)
        {
            Assert.Equal(SocketError.Success, reactor.Register(socket, 42));
            ExpectEventFor(42, SocketReactor.Err | SocketReactor.Hup);
            started = SocketReactor.ConnectResult(socket);
        }

        Assert.Equal(SocketError.ConnectionRefused, started);
    }

    [Fact]
    public async Task Data_and_the_peers_close_are_each_reported_once_for_the_link_they_belong_to()
    {
        var (reactor, listener) = Start();
        using var _ = reactor;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint).WaitAsync(Timeout);
        var peer = await listener.AcceptSocketAsync().WaitAsync(Timeout);
        listener.Stop();
        socket.Blocking = false;
        Assert.Equal(SocketError.Success, reactor.Register(socket, 43));
        ExpectEventFor(43, SocketReactor.Out); // writable from the start
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        peer.Send("hello"u8);
        ExpectEventFor(43, SocketReactor.In);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // edge-triggered: nothing more until something new arrives

        var buffer = new byte[16];
        Assert.Equal(5, socket.Receive(buffer, SocketFlags.None, out var error));
        Assert.Equal(SocketError.Success, error);
        peer.Dispose();
        ExpectEventFor(43, SocketReactor.RdHup);
        Assert.Equal(0, socket.Receive(buffer, SocketFlags.None, out error));
    }
}
