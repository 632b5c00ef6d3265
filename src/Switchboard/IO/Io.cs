using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Routing;
using Switchboard.IO.Delivery;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>The IO actors' protocol: commands they take, and what they tell a link's owner.</summary>
internal static class Io
{
    /// <summary>Connect and handshake. Routed by endpoint name, so an endpoint's links always land on the same IO actor.</summary>
    internal sealed record OpenLink(
        long LinkId,
        string EndpointName,
        IPEndPoint Address,
        TlsContext Context,
        TlsSession? Resume,
        string? ResumptionKey,
        IActorRef Owner,
        IActorRef? SessionSink,
        Resumption.SessionChain? ResumeChain = null,
        FrameCredit? Credit = null,
        DeliveryPosition? Delivery = null) : IConsistentHashable
    {
        public object ConsistentHashKey => EndpointName;
    }

    /// <summary>
    /// Where the owner's acknowledged delivery stands: its incarnation and the first frame the peer has not
    /// acknowledged. Given with <see cref="OpenLink"/>, it is sent as the link's Resume (the first frame, telling
    /// the peer who we are and where we stand) in the same write as the client's last handshake flight, if the
    /// link negotiates acknowledged framing. An owner whose context offers that framing must give it.
    /// </summary>
    internal readonly record struct DeliveryPosition(ulong Epoch, long NextSeq);

    /// <summary>An accepted socket whose handshake (and whole life) the IO actor now owns.</summary>
    internal sealed record AcceptLink(long LinkId, Socket Socket, TlsContext Context, InboundHandler Handler, IActorRef Listener, DeliveryRegistry? Deliveries = null) : IConsistentHashable
    {
        public object ConsistentHashKey => LinkId;
    }

    /// <param name="Seq">On an acknowledged link, the frame's sequence number (the wire carries it implicitly,
    /// by order); 0 on plain links. The sender keeps such frames until acknowledged.</param>
    internal sealed record WriteFrame(long LinkId, ReadOnlyMemory<byte> Payload, IActorRef? ReplyTo = null, long Seq = 0);

    /// <summary>Close with close_notify (keeps the session resumable).</summary>
    internal sealed record CloseLink(long LinkId, string Reason);

    /// <summary>
    /// A new revocation list (a reload): close every live link whose peer's certificate serial is in it. Sent to
    /// every IO actor (a router broadcast).
    /// </summary>
    internal sealed record CloseRevoked(IReadOnlySet<string> Serials);

    /// <summary>Drop at once, e.g. when the owner gave up on an attempt.</summary>
    internal sealed record AbortLink(long LinkId, LinkFailure Failure);

    // ---- what the owner hears ----

    internal sealed record TcpConnected(long LinkId, IActorRef Io);

    internal sealed record LinkUp(long LinkId, IActorRef Io, HandshakeInfo Handshake, TimeSpan HandshakeTime, EndPoint? Remote);

    /// <summary>The attempt failed before the handshake completed.</summary>
    internal sealed record LinkFailed(long LinkId, LinkFailure Failure, bool TcpConnected);

    /// <summary>A link that was up is gone.</summary>
    internal sealed record LinkDown(long LinkId, LinkFailure Failure);

    internal sealed record FrameReceived(long LinkId, byte[] Payload);

    /// <summary>The peer of an acknowledged link delivered every frame up to and including <paramref name="Delivered"/>.</summary>
    internal sealed record Acked(long LinkId, long Delivered);

    /// <summary>Answer to a WriteFrame that met no live link: the payload was not sent.</summary>
    internal sealed record FrameNotWritten(long LinkId, ReadOnlyMemory<byte> Payload, IActorRef? ReplyTo, long Seq = 0);

    /// <summary>Told to the listener when an inbound link leaves the pre-authentication phase.</summary>
    internal sealed record InboundHandshakeEnded(long LinkId, bool Succeeded, bool TimedOut = false);

    /// <summary>Subscribers caught up with the receive window: a link parked by <see cref="FrameCredit"/> reads again.</summary>
    internal sealed record ResumeReading(long LinkId);

    /// <summary>Told to the listener when an inbound link that was up has ended.</summary>
    internal sealed record InboundLinkClosed(long LinkId);
}
