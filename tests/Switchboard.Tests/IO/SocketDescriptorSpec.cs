using System.Net;
using System.Net.Sockets;
using Switchboard.IO;

namespace Switchboard.Tests.IO;

/// <summary>
/// A dialed link's bare socket on an event loop: it has the options a .NET socket of a link has, never
/// waits, reads the peer's end as zero bytes, and names a peer that reset it the way .NET would.
/// </summary>
public sealed class SocketDescriptorSpec
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>A descriptor connected over loopback, and the peer's accepted socket.</summary>
    internal static async Task<(int Descriptor, Socket Peer)> Connected(bool keepAlive = false)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var descriptor = SocketDescriptor.Open(AddressFamily.InterNetwork, keepAlive);
        var started = SocketReactor.BeginConnect(descriptor, (IPEndPoint)listener.LocalEndpoint);
        Assert.Contains(started, new[] { SocketError.Success, SocketError.WouldBlock });
        var peer = await listener.AcceptSocketAsync().WaitAsync(Timeout);
        return (descriptor, peer);
    }

    /// <summary>Reads until something arrives, within the timeout: the descriptor never blocks, so the test waits.</summary>
    internal static async Task<(SocketError Error, int Received)> ReceiveSoon(int descriptor, byte[] buffer)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var error = SocketDescriptor.Receive(descriptor, buffer, out var received);
            if (error != SocketError.WouldBlock || DateTime.UtcNow > deadline)
            {
                return (error, received);
            }

            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_new_descriptor_has_no_delay_and_the_links_keep_alive_and_never_blocks()
    {
        var (descriptor, peer) = await Connected(keepAlive: true);
        using (peer)
        {
            // Read through .NET without taking the descriptor over.
            using var view = new Socket(new SafeSocketHandle(descriptor, ownsHandle: false));
            Assert.True(view.NoDelay);
            Assert.Equal(1, (int)view.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
            Assert.Equal(SocketDescriptor.KeepAliveIdleSeconds, (int)view.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
            Assert.Equal(SocketDescriptor.KeepAliveIntervalSeconds, (int)view.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
            Assert.Equal(SocketDescriptor.KeepAliveProbes, (int)view.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);

            // Nothing has arrived: a read says so at once instead of waiting.
            Assert.Equal(SocketError.WouldBlock, SocketDescriptor.Receive(descriptor, new byte[16], out var received));
            Assert.Equal(0, received);
        }

        SocketDescriptor.Close(descriptor);
    }

    [Fact]
    public async Task Bytes_go_both_ways_and_the_peers_close_reads_as_zero_bytes()
    {
        var (descriptor, peer) = await Connected();
        var buffer = new byte[16];
        using (peer)
        {
            Assert.Equal(SocketError.Success, SocketDescriptor.Send(descriptor, "ping"u8, out var sent));
            Assert.Equal(4, sent);
            Assert.Equal(4, await peer.ReceiveAsync(buffer).WaitAsync(Timeout));
            Assert.Equal("ping"u8.ToArray(), buffer[..4]);

            await peer.SendAsync("pong!"u8.ToArray());
            var (error, received) = await ReceiveSoon(descriptor, buffer);
            Assert.Equal(SocketError.Success, error);
            Assert.Equal("pong!"u8.ToArray(), buffer[..received]);
        }

        var (end, count) = await ReceiveSoon(descriptor, buffer);
        Assert.Equal(SocketError.Success, end);
        Assert.Equal(0, count);
        SocketDescriptor.Close(descriptor);
    }

    [Fact]
    public async Task A_peer_that_resets_the_connection_fails_the_next_read_as_a_reset_without_a_signal()
    {
        var (descriptor, peer) = await Connected();
        peer.LingerState = new LingerOption(true, 0); // close with RST
        peer.Dispose();

        var (error, _) = await ReceiveSoon(descriptor, new byte[16]);
        Assert.Equal(SocketError.ConnectionReset, error);

        // Writing to the dead connection fails the write (EPIPE, named as .NET names it); no SIGPIPE ends the process.
        var written = SocketDescriptor.Send(descriptor, "late"u8, out var sent);
        Assert.Contains(written, new[] { SocketError.Shutdown, SocketError.ConnectionReset });
        Assert.Equal(0, sent);
        SocketDescriptor.Close(descriptor);
    }
}
