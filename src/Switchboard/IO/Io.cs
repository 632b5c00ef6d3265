using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Routing;
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
        IActorRef? SessionSink) : IConsistentHashable
    {
        public object ConsistentHashKey => EndpointName;
    }

    /// <summary>An accepted socket whose handshake (and whole life) the IO actor now owns.</summary>
    internal sealed record AcceptLink(long LinkId, Socket Socket, TlsContext Context, InboundHandler Handler, IActorRef Listener) : IConsistentHashable
    {
        public object ConsistentHashKey => LinkId;
    }

    internal sealed record WriteFrame(long LinkId, ReadOnlyMemory<byte> Payload, IActorRef? ReplyTo = null);

    /// <summary>Close with close_notify (keeps the session resumable).</summary>
    internal sealed record CloseLink(long LinkId, string Reason);

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

    /// <summary>Answer to a WriteFrame that met no live link: the payload was not sent.</summary>
    internal sealed record FrameNotWritten(long LinkId, ReadOnlyMemory<byte> Payload, IActorRef? ReplyTo);

    /// <summary>Told to the listener when an inbound link leaves the pre-authentication phase.</summary>
    internal sealed record InboundHandshakeEnded(long LinkId, bool Succeeded);

    /// <summary>Told to the listener when an inbound link that was up has ended.</summary>
    internal sealed record InboundLinkClosed(long LinkId);
}
