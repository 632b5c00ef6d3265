using System.Net;
using Akka.Actor;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// What happens on the links peers open to a listener. The IO actor that owns a link calls its handler on
/// that actor's thread, one call at a time per link, so a handler needs no locks for per-link state and
/// must not block. <see cref="InboundLink.Send"/> from inside a call is written at once, on the same
/// thread: answering a frame costs no actor message.
/// </summary>
public abstract class InboundHandler
{
    /// <summary>The link's handshake completed and the peer's certificate was verified.</summary>
    public virtual void OnLinkUp(InboundLink link)
    {
    }

    /// <summary>A frame arrived. The span is valid only during the call; copy what you keep.</summary>
    public abstract void OnFrame(InboundLink link, ReadOnlySpan<byte> payload);

    /// <summary>
    /// A link that was up is gone, and why: the cause's tag (<c>peer_closed</c>, <c>idle_timeout</c>,
    /// <c>protocol</c>, <c>closed</c>, ...), a colon, and the reason in words, as in an endpoint's last error.
    /// </summary>
    public virtual void OnLinkDown(InboundLink link, string reason)
    {
    }

    /// <summary>
    /// Whether the IO layer sends on its own on this handler's links: heartbeats and acknowledgements. True
    /// for every real peer; false only for a handler that must look like a peer that has gone quiet after
    /// its handshake (it still receives, and sends only what it sends itself).
    /// </summary>
    public virtual bool KeepsLinksAlive => true;

    /// <summary>
    /// A frame written with <see cref="InboundLink.Send"/> by the product's own path (a Send to an inbound
    /// peer) that never reached the kernel because the link died first: its sender must hear of it.
    /// </summary>
    internal virtual void OnUnsent(InboundLink link, ReadOnlyMemory<byte> payload, IActorRef? replyTo)
    {
    }

    /// <summary>
    /// Where this handler's frames are counted against a receive window, when it passes them on to actors
    /// instead of dealing with them in the call; null for a handler that is done when the call returns.
    /// </summary>
    internal virtual FrameCredit? Credit => null;
}

/// <summary>One link a peer opened to a listener, as its <see cref="InboundHandler"/> sees it.</summary>
public sealed class InboundLink
{
    // The link whose handler call is running on this thread: Send from inside it writes at once.
    [ThreadStatic]
    private static InboundLink? _inCallback;

    private readonly Action<ReadOnlySpan<byte>> _sendNow;

    internal InboundLink(long id, IActorRef io, EndPoint? remote, long acceptedTimestamp, Action<ReadOnlySpan<byte>> sendNow)
    {
        Id = id;
        Io = io;
        Remote = remote;
        AcceptedTimestamp = acceptedTimestamp;
        _sendNow = sendNow;
    }

    /// <summary>Unique in the process.</summary>
    public long Id { get; }

    /// <summary>The peer's address.</summary>
    public EndPoint? Remote { get; }

    /// <summary>When the connection was accepted, as <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>.</summary>
    public long AcceptedTimestamp { get; }

    /// <summary>The verified identity of the peer's certificate (DNS SAN or CN); set once the link is up.</summary>
    public string? PeerIdentity => Handshake?.PeerIdentity;

    /// <summary>"TLSv1.3" or "TLSv1.2"; set once the link is up.</summary>
    public string? Protocol => Handshake?.Protocol;

    /// <summary>Whether the handshake resumed a session; set once the link is up.</summary>
    public bool Resumed => Handshake?.Resumed ?? false;

    internal IActorRef Io { get; }

    internal HandshakeInfo? Handshake { get; set; }

    /// <summary>
    /// Sends one frame. From inside a handler call on this link it is written at once; from anywhere else it
    /// is copied and handed to the link's IO actor. A link that is gone drops it.
    /// </summary>
    public void Send(ReadOnlySpan<byte> payload)
    {
        if (_inCallback == this)
        {
            _sendNow(payload);
            return;
        }

        Io.Tell(new Io.WriteFrame(Id, payload.ToArray()), ActorRefs.NoSender);
    }

    /// <summary>Closes the link with close_notify (from any thread); the handler then hears <see cref="InboundHandler.OnLinkDown"/>.</summary>
    public void Close(string reason) => Io.Tell(new Io.CloseLink(Id, reason), ActorRefs.NoSender);

    /// <summary>Marks this thread as running a handler call for <paramref name="link"/> until disposed.</summary>
    internal static CallbackScope Enter(InboundLink link)
    {
        var previous = _inCallback;
        _inCallback = link;
        return new CallbackScope(previous);
    }

    internal readonly struct CallbackScope(InboundLink? previous) : IDisposable
    {
        public void Dispose() => _inCallback = previous;
    }
}
