using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.IO;

namespace Switchboard.Tests.IO;

/// <summary>Alone, so no other test takes descriptor numbers while this one makes the kernel reuse one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DescriptorNumbersCollection
{
    public const string Name = "Descriptor numbers";
}

/// <summary>
/// A closed link's descriptor number is the next socket's: the link must then read and write nothing, or a
/// stray call would reach another link's peer.
/// </summary>
[Collection(DescriptorNumbersCollection.Name)]
public sealed class LinkAfterCloseSpec
{
    [Fact]
    public async Task A_closed_link_reads_and_writes_nothing_when_its_descriptor_number_belongs_to_a_new_socket()
    {
        var reactor = SocketReactor.Create() ?? throw new InvalidOperationException("epoll unavailable");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var (descriptor, peer) = await SocketDescriptorSpec.Connected();
        var link = Link.Dialed(1, descriptor, "endpoint-1", ActorRefs.Nobody, 1024, new Link.OutboundSide(ActorRefs.Nobody, null, null),
            reactor.AddOwner(ActorRefs.Nobody));
        link.Dispose();
        peer.Dispose();

        // The kernel hands out the lowest free number: open sockets until one has the closed link's.
        var fillers = new List<int>();
        var reused = SocketDescriptor.Open(AddressFamily.InterNetwork, keepAlive: false);
        while (reused != descriptor && fillers.Count < 256)
        {
            fillers.Add(reused);
            reused = SocketDescriptor.Open(AddressFamily.InterNetwork, keepAlive: false);
        }

        Assert.Equal(descriptor, reused);
        Assert.Contains(SocketReactor.BeginConnect(reused, (IPEndPoint)listener.LocalEndpoint), new[] { SocketError.Success, SocketError.WouldBlock });
        using var newPeer = await listener.AcceptSocketAsync().WaitAsync(SocketDescriptorSpec.Timeout);
        await newPeer.SendAsync("for the new link"u8.ToArray());

        Assert.Equal(SocketError.OperationAborted, link.TryRead(new byte[64], out var received));
        Assert.Equal(0, received);
        Assert.False(link.Write("stray"u8, 1024, out var error));
        Assert.Equal(SocketError.OperationAborted, error);

        // What arrived for the new socket is still there for it, and nothing of the old link reached its peer.
        var (read, count) = await SocketDescriptorSpec.ReceiveSoon(reused, new byte[64]);
        Assert.Equal(SocketError.Success, read);
        Assert.Equal(16, count);
        Assert.Equal(0, newPeer.Available);

        fillers.ForEach(SocketDescriptor.Close);
        SocketDescriptor.Close(reused);
        reactor.Close();
    }
}
