using System.Net;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using Switchboard.IO;

namespace Switchboard.Tests.IO;

/// <summary>
/// An IO thread's epoll set on its own, polled by the test with the test actor as the IO actor: what it
/// reports, for which link, and that an edge is reported once, not again until something new happens.
/// </summary>
public sealed class SocketReactorSpec : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static (SocketReactor Reactor, TcpListener Listener) Start()
    {
        var reactor = SocketReactor.Create() ?? throw new InvalidOperationException("epoll unavailable");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return (reactor, listener);
    }

    /// <summary>Polls once and returns what was reported for <paramref name="linkId"/>, which must include <paramref name="mask"/>.</summary>
    private uint PollFor(SocketReactor reactor, long linkId, uint mask)
    {
        reactor.Poll(1000);
        var events = ExpectMsg<IoActor.SocketEvents>(Timeout);
        var i = Array.IndexOf(events.Links, linkId, 0, events.Count);
        Assert.True(i >= 0, $"no event for link {linkId}");
        Assert.True((events.Masks[i] & mask) != 0, $"mask {events.Masks[i]:x} lacks {mask:x}");
        return events.Masks[i];
    }

    [Fact]
    public async Task A_connect_in_progress_is_reported_writable_and_completes_without_error()
    {
        var (reactor, listener) = Start();
        var owner = reactor.AddOwner(TestActor);
        var descriptor = SocketDescriptor.Open(AddressFamily.InterNetwork, keepAlive: false);

        var started = SocketReactor.BeginConnect(descriptor, (IPEndPoint)listener.LocalEndpoint);
        Assert.Contains(started, new[] { SocketError.Success, SocketError.WouldBlock });
        Assert.Equal(SocketError.Success, owner.Register(descriptor, 41));

        var mask = PollFor(reactor, 41, SocketReactor.Out);
        Assert.Equal(0u, mask & (SocketReactor.Err | SocketReactor.Hup));
        Assert.Equal(SocketError.Success, SocketReactor.ConnectResult(descriptor, mask));
        Assert.Equal(SocketError.Success, SocketDescriptor.PendingError(descriptor));
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(Timeout);
        SocketDescriptor.Close(descriptor);
        listener.Stop();
        reactor.Close();
    }

    [Fact]
    public void A_refused_connect_is_named_as_refused()
    {
        var (reactor, listener) = Start();
        var owner = reactor.AddOwner(TestActor);
        var address = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop(); // nothing listens there any more
        var descriptor = SocketDescriptor.Open(AddressFamily.InterNetwork, keepAlive: false);

        var started = SocketReactor.BeginConnect(descriptor, address);
        if (started == SocketError.WouldBlock)
        {
            Assert.Equal(SocketError.Success, owner.Register(descriptor, 42));
            var mask = PollFor(reactor, 42, SocketReactor.Err);
            started = SocketReactor.ConnectResult(descriptor, mask);
        }

        Assert.Equal(SocketError.ConnectionRefused, started);
        SocketDescriptor.Close(descriptor);
        reactor.Close();
    }

    [Fact]
    public async Task Data_and_the_peers_close_are_each_reported_once_to_the_owner_of_the_link()
    {
        var (reactor, listener) = Start();
        var other = CreateTestProbe();
        reactor.AddOwner(other.Ref);
        var owner = reactor.AddOwner(TestActor);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint).WaitAsync(Timeout);
        var peer = await listener.AcceptSocketAsync().WaitAsync(Timeout);
        listener.Stop();
        socket.Blocking = false;
        Assert.Equal(SocketError.Success, owner.Register((int)socket.Handle, 43));
        PollFor(reactor, 43, SocketReactor.Out); // writable from the start

        reactor.Poll(100);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // edge-triggered: nothing new, nothing reported

        peer.Send("hello"u8);
        PollFor(reactor, 43, SocketReactor.In);
        reactor.Poll(100);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        var buffer = new byte[16];
        Assert.Equal(5, socket.Receive(buffer, SocketFlags.None, out var error));
        Assert.Equal(SocketError.Success, error);
        peer.Dispose();
        PollFor(reactor, 43, SocketReactor.RdHup);
        Assert.Equal(0, socket.Receive(buffer, SocketFlags.None, out error));
        other.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // the other IO actor of the thread heard nothing of it
        reactor.Close();
    }

    [Fact]
    public void A_wake_from_another_thread_ends_a_wait_with_nothing_to_report()
    {
        var reactor = SocketReactor.Create() ?? throw new InvalidOperationException("epoll unavailable");
        reactor.AddOwner(TestActor);
        reactor.Wake();

        var started = DateTime.UtcNow;
        reactor.Poll(5000);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "the wake did not end the wait");
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        reactor.Close();
    }
}
